import type { ServiceReport } from '@lb-doctor/plugin-metallb-common';
import { churnFinding, observeService, withChurnFinding } from './churn';

function report(owners: string[], ingress: string[]): ServiceReport {
  return {
    namespace: 'shop',
    name: 'web',
    loadBalancerClass: null,
    requested: [],
    ingress,
    metallb: {
      handled: true,
      outcome: 'keep',
      ips: ingress,
      pool: null,
      event: null,
      events: [],
      writes: false,
      notes: [],
    },
    owners: owners.map(controller => ({
      controller: controller as ServiceReport['owners'][number]['controller'],
      evidence: [],
    })),
    findings: [
      {
        rule: 'controller-contention',
        severity: 'error',
        message: 'two controllers',
        evidence: [],
        remediations: [{ id: 'set-class', title: 't', description: 'd' }],
      },
    ],
    status: 'warning',
  };
}

const metallbEvent = (count: number) => ({
  involvedObject: { kind: 'Service', namespace: 'shop', name: 'web' },
  reason: 'IPAllocated',
  source: { component: 'metallb-controller' },
  count,
});

describe('churn', () => {
  it('counts only MetalLB events about the Service', () => {
    const r = report(['metallb'], ['10.0.0.1']);
    const obs = observeService(
      { metadata: { resourceVersion: '10' } },
      r,
      [
        metallbEvent(3),
        { ...metallbEvent(5), source: { component: 'chisel-operator' } },
        {
          ...metallbEvent(7),
          involvedObject: { kind: 'Service', namespace: 'shop', name: 'db' },
        },
      ],
      '2026-01-01T00:00:00.000Z',
    );
    expect(obs).toEqual({
      observedAt: '2026-01-01T00:00:00.000Z',
      ingress: ['10.0.0.1'],
      resourceVersion: '10',
      metallbEvents: 3,
    });
    expect(observeService({}, r, undefined, 'x').metallbEvents).toBeNull();
  });

  it('reports a measured write loop when two owners flip the ingress', () => {
    const r = report(['metallb', 'chisel-operator'], ['203.0.113.9']);
    const previous = {
      observedAt: '2026-01-01T00:00:00.000Z',
      ingress: ['10.0.0.1'],
      resourceVersion: '100',
      metallbEvents: 4,
    };
    const current = {
      observedAt: '2026-01-01T00:02:00.000Z',
      ingress: ['203.0.113.9'],
      resourceVersion: '180',
      metallbEvents: 10,
    };
    const finding = churnFinding(previous, current, r);
    expect(finding).toMatchObject({ rule: 'write-loop', severity: 'error' });
    // 6 MetalLB writes in 2 minutes.
    expect(finding?.message).toContain('6 writes in 2.0 min (3.00 writes/min)');
    expect(finding?.evidence.join('\n')).toContain('10.0.0.1] -> [203.0.113.9');
    expect(finding?.remediations).toEqual(r.findings[0].remediations);
    const updated = withChurnFinding(r, finding);
    expect(updated.status).toBe('error');
    expect(updated.findings[0].rule).toBe('write-loop');
    const engineLoop = {
      ...finding!,
      message: 'seen in Events',
      evidence: ['Event ClearAssignment seen 9 times'],
    };
    const twice = withChurnFinding(
      { ...r, findings: [engineLoop, ...r.findings] },
      finding,
    );
    expect(twice.findings.filter(f => f.rule === 'write-loop')).toHaveLength(1);
    expect(twice.findings[0].message).toBe(finding!.message);
    expect(twice.findings[0].evidence).toContain(
      'Event ClearAssignment seen 9 times',
    );
  });

  it('stays quiet for a single owner whose ingress changed once, or without a previous scan', () => {
    const r = report(['metallb'], ['10.0.0.2']);
    const previous = {
      observedAt: '2026-01-01T00:00:00.000Z',
      ingress: ['10.0.0.1'],
      metallbEvents: 4,
    };
    const current = {
      observedAt: '2026-01-01T00:05:00.000Z',
      ingress: ['10.0.0.2'],
      metallbEvents: 4,
    };
    expect(churnFinding(previous, current, r)).toBeUndefined();
    expect(churnFinding(undefined, current, r)).toBeUndefined();
    expect(withChurnFinding(r, undefined)).toBe(r);
  });
});
