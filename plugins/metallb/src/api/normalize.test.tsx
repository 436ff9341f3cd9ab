import { render, screen } from '@testing-library/react';
import { ClustersTable } from '../components/ClustersTable';
import {
  normalizeClusters,
  normalizeEntityReport,
  normalizeHistory,
  normalizeReport,
  normalizeScan,
  parseClusterError,
} from './normalize';
import { makeService } from '../__testUtils__/fixtures';

const ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: lb-doctor-reader
rules:
  - apiGroups:
      - ""
    resources:
      - services
`;

// The text the backend's describeProblems() builds for a forbidden read plus another problem.
const ERROR_TEXT = `Forbidden: services.
services is forbidden: User "backstage" cannot list resource "services"
The identity the kubernetes plugin uses for cluster edge may not read services. Apply this read-only ClusterRole and bind it (ClusterRoleBinding) to that identity:
${ROLE}
timed out reading events
Check that the API server is reachable from Backstage.`;

describe('normalize', () => {
  it('splits a cluster error into message, advice and the RBAC manifest', () => {
    const parsed = parseClusterError(ERROR_TEXT);
    expect(parsed.message).toBe('Forbidden: services.');
    expect(parsed.yaml).toBe(ROLE);
    expect(parsed.action).toContain('Apply this read-only ClusterRole');
    expect(parsed.action).toContain('timed out reading events');
    expect(parsed.action).not.toContain('apiVersion');
  });

  it('keeps a plain error text as the message', () => {
    expect(parseClusterError('connection refused')).toEqual({
      message: 'connection refused',
    });
  });

  it("maps the backend's entity answer (string errors, null times)", () => {
    const report = normalizeEntityReport({
      entityRef: 'component:default/web',
      annotations: {},
      services: [],
      clusters: [
        { name: 'edge', scannedAt: null, stale: true, error: ERROR_TEXT },
      ],
      scannedAt: null,
    });
    expect(report.scannedAt).toBeUndefined();
    expect(report.clusters[0].scannedAt).toBeUndefined();
    expect(report.clusters[0].error?.yaml).toBe(ROLE);
  });

  it('counts write loops from byRule when the summary has no writeLoops', () => {
    const report = normalizeReport({
      summary: {
        clusters: 1,
        services: 2,
        ok: 1,
        info: 0,
        warning: 0,
        error: 1,
        byRule: { 'write-loop': 3 },
      },
      items: [],
      totalItems: 0,
    });
    expect(report.summary.writeLoops).toBe(3);
  });

  it('nests flat Service items under service', () => {
    const report = normalizeReport({
      items: [
        {
          cluster: 'prod',
          namespace: 'shop',
          name: 'web',
          loadBalancerClass: null,
          requested: [],
          ingress: [],
          metallb: {
            handled: true,
            outcome: 'keep',
            ips: [],
            pool: null,
            event: null,
            events: [],
            writes: false,
            notes: [],
          },
          owners: [],
          findings: [],
          status: 'ok',
        },
      ],
      totalItems: 1,
    });
    expect(report.items[0].cluster).toBe('prod');
    expect(report.items[0].service.name).toBe('web');
    expect(report.items[0].entityRefs).toEqual([]);
  });

  it("keeps the backend's entityRefs and reads a single entityRef of older backends", () => {
    const service = makeService();
    const report = normalizeReport({
      items: [
        {
          ...service,
          cluster: 'prod',
          entityRefs: ['component:default/web', 'component:default/shop'],
        },
        { ...service, cluster: 'edge', entityRef: 'component:default/edge' },
        { cluster: 'old', service, entityRef: 'component:default/old' },
      ],
    });
    expect(report.items.map(i => i.entityRefs)).toEqual([
      ['component:default/web', 'component:default/shop'],
      ['component:default/edge'],
      ['component:default/old'],
    ]);
    expect(report.items[0].service).not.toHaveProperty('entityRefs');
  });

  it("maps the backend's cluster states", () => {
    const { items } = normalizeClusters({
      items: [
        {
          name: 'prod',
          scannable: true,
          stale: false,
          scannedAt: '2026-01-01T00:00:00Z',
          lastRun: {
            startedAt: '2026-01-01T00:00:00Z',
            finishedAt: null,
            status: 'failed',
          },
          error: 'connection refused',
          summary: { services: 4, error: 2, warning: 1 },
        },
      ],
    });
    expect(items[0]).toEqual({
      name: 'prod',
      scannable: true,
      stale: false,
      lastScan: {
        startedAt: '2026-01-01T00:00:00Z',
        ok: false,
        error: 'connection refused',
      },
      services: 4,
      errors: 2,
      warnings: 1,
    });
  });

  it('keeps a partial scan apart from a failed one', () => {
    const { items } = normalizeClusters({
      items: [
        {
          name: 'broken',
          scannable: true,
          stale: false,
          lastRun: {
            startedAt: '2026-01-01T00:00:00Z',
            finishedAt: '2026-01-01T00:00:05Z',
            status: 'partial',
          },
          error: 'Forbidden: ipaddresspools.metallb.io.',
        },
      ],
    });
    expect(items[0].lastScan).toMatchObject({ ok: false, partial: true });
    render(<ClustersTable clusters={items} />);
    expect(
      screen.getByText('Partial: Forbidden: ipaddresspools.metallb.io.'),
    ).toBeInTheDocument();
  });

  it('maps history items with per-status counts to points', () => {
    expect(
      normalizeHistory({
        items: [
          {
            cluster: 'prod',
            scannedAt: '2026-01-01T00:00:00Z',
            statuses: { error: 2, warning: 1, ok: 5 },
          },
        ],
      }),
    ).toEqual({
      points: [
        {
          at: '2026-01-01T00:00:00Z',
          cluster: 'prod',
          error: 2,
          warning: 1,
          info: 0,
        },
      ],
    });
  });

  it('maps a scan run summary to runs', () => {
    expect(
      normalizeScan({
        clusters: [
          { cluster: 'a', status: 'ok' },
          { cluster: 'b', status: 'failed', error: 'x' },
        ],
      }),
    ).toEqual({
      runs: [
        { cluster: 'a', ok: true },
        { cluster: 'b', ok: false, error: 'x' },
      ],
    });
  });
});
