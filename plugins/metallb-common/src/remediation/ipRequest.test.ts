import type { Service } from '../model/kubernetes';
import {
  moveToAnnotationRemediation,
  removeDuplicateRequestRemediation,
  useAddressPoolRemediation,
  useFreeIpRemediation,
} from './ipRequest';
import {
  annotationsOf,
  liveService,
  parseValidDocuments,
  specOf,
} from './testUtils';

function patchOf(commands: string[] | undefined): Record<string, unknown> {
  const patch = (commands ?? []).find(c => c.startsWith('kubectl patch'));
  if (!patch) throw new Error('no patch command');
  const match = /-p '(.*)'$/.exec(patch);
  return JSON.parse((match?.[1] ?? '{}').replace(/'\\''/g, "'"));
}

describe('moveToAnnotationRemediation', () => {
  const svc = liveService({ spec: { loadBalancerIP: '192.168.1.240' } });

  it('moves the IP into metallb.io/loadBalancerIPs and removes the field in one patch', () => {
    const r = moveToAnnotationRemediation(svc);
    expect(r.id).toBe('move-to-annotation');
    const [out] = parseValidDocuments(r.yaml);
    expect(specOf(out).loadBalancerIP).toBeUndefined();
    expect(annotationsOf(out)['metallb.io/loadBalancerIPs']).toBe(
      '192.168.1.240',
    );
    expect(specOf(out).clusterIP).toBeUndefined();
    expect(r.commands?.[0]).toMatch(
      /^kubectl patch service whoami -n apps --type=merge -p /,
    );
    expect(patchOf(r.commands)).toEqual({
      metadata: {
        annotations: { 'metallb.io/loadBalancerIPs': '192.168.1.240' },
      },
      spec: { loadBalancerIP: null },
    });
    expect(r.description).toMatch(/refuses a Service that sets both/);
  });

  it('uses metallb.universe.tf/ for MetalLB older than 0.14.9', () => {
    const r = moveToAnnotationRemediation(svc, {
      annotationPrefix: 'metallb.universe.tf/',
    });
    const [out] = parseValidDocuments(r.yaml);
    expect(annotationsOf(out)['metallb.universe.tf/loadBalancerIPs']).toBe(
      '192.168.1.240',
    );
    expect(annotationsOf(out)['metallb.io/loadBalancerIPs']).toBeUndefined();
  });

  it('removes a stale old-prefix annotation in the same patch', () => {
    const r = moveToAnnotationRemediation(
      liveService({
        spec: { loadBalancerIP: '10.0.0.5' },
        annotations: { 'metallb.universe.tf/loadBalancerIPs': '10.0.0.9' },
      }),
    );
    const patch = patchOf(r.commands) as {
      metadata: { annotations: Record<string, unknown> };
    };
    expect(
      patch.metadata.annotations['metallb.universe.tf/loadBalancerIPs'],
    ).toBeNull();
    expect(r.description).toMatch(/10\.0\.0\.9/);
  });

  it('proposes nothing to patch without spec.loadBalancerIP', () => {
    const r = moveToAnnotationRemediation(liveService());
    expect(r.commands?.some(c => c.includes('patch'))).toBe(false);
    parseValidDocuments(r.yaml);
  });
});

describe('removeDuplicateRequestRemediation', () => {
  it('keeps the annotation value and drops the field', () => {
    const svc = liveService({
      spec: { loadBalancerIP: '192.168.1.99' },
      annotations: { 'metallb.io/loadBalancerIPs': '192.168.1.240' },
    });
    const r = removeDuplicateRequestRemediation(svc);
    expect(r.id).toBe('remove-duplicate-request');
    const [out] = parseValidDocuments(r.yaml);
    expect(annotationsOf(out)['metallb.io/loadBalancerIPs']).toBe(
      '192.168.1.240',
    );
    expect(specOf(out).loadBalancerIP).toBeUndefined();
    expect(patchOf(r.commands)).toEqual({ spec: { loadBalancerIP: null } });
    expect(r.description).toMatch(/192\.168\.1\.99, which is dropped/);
  });

  it('moves the field into an empty annotation', () => {
    const svc = liveService({
      spec: { loadBalancerIP: '192.168.1.99' },
      annotations: { 'metallb.io/loadBalancerIPs': '' },
    });
    const [out] = parseValidDocuments(
      removeDuplicateRequestRemediation(svc).yaml,
    );
    expect(annotationsOf(out)['metallb.io/loadBalancerIPs']).toBe(
      '192.168.1.99',
    );
  });

  it('keeps the deprecated-prefix annotation when that is the one set', () => {
    const svc = liveService({
      spec: { loadBalancerIP: '192.168.1.240' },
      annotations: { 'metallb.universe.tf/loadBalancerIPs': '192.168.1.240' },
    });
    const [out] = parseValidDocuments(
      removeDuplicateRequestRemediation(svc).yaml,
    );
    expect(annotationsOf(out)['metallb.universe.tf/loadBalancerIPs']).toBe(
      '192.168.1.240',
    );
    expect(specOf(out).loadBalancerIP).toBeUndefined();
  });
});

describe('useFreeIpRemediation', () => {
  it('requests the free IP and pins its pool', () => {
    const r = useFreeIpRemediation(
      liveService({ spec: { loadBalancerIP: '203.0.113.7' } }),
      { ips: '192.168.1.241', pool: 'lan' },
    );
    expect(r.id).toBe('use-free-ip');
    const [out] = parseValidDocuments(r.yaml);
    expect(annotationsOf(out)['metallb.io/loadBalancerIPs']).toBe(
      '192.168.1.241',
    );
    expect(annotationsOf(out)['metallb.io/address-pool']).toBe('lan');
    expect(specOf(out).loadBalancerIP).toBeUndefined();
    expect(r.commands?.[0]).toContain('whoami -n apps');
    expect(r.description).toMatch(/192\.168\.1\.240 to 192\.168\.1\.241/);
  });

  it('keeps one address per family and reports the rest', () => {
    const r = useFreeIpRemediation(liveService(), {
      ips: ['192.168.1.241', '192.168.1.242', 'nope', '2001:db8::10'],
      pinPool: false,
      pool: 'lan',
    });
    const [out] = parseValidDocuments(r.yaml);
    expect(annotationsOf(out)['metallb.io/loadBalancerIPs']).toBe(
      '192.168.1.241,2001:db8::10',
    );
    expect(annotationsOf(out)['metallb.io/address-pool']).toBeUndefined();
    expect(r.description).toMatch(/192\.168\.1\.242, nope/);
  });

  it('gives no YAML when no IP is valid', () => {
    const r = useFreeIpRemediation(liveService(), { ips: ['x', ''] });
    expect(r.yaml).toBeUndefined();
    expect(r.commands).toBeUndefined();
  });

  it('warns a dual-stack Service needs two addresses', () => {
    const svc = liveService({
      spec: {
        clusterIPs: ['10.43.0.1', 'fd00::1'],
        ipFamilyPolicy: 'RequireDualStack',
      },
    });
    expect(
      useFreeIpRemediation(svc, { ips: '192.168.1.241' }).description,
    ).toMatch(/dual-stack/);
  });
});

describe('useAddressPoolRemediation', () => {
  it('sets the pool and removes every fixed request', () => {
    const svc = liveService({
      spec: { loadBalancerIP: '192.168.1.240' },
      annotations: { 'metallb.universe.tf/loadBalancerIPs': '192.168.1.240' },
    });
    const r = useAddressPoolRemediation(svc, { pool: 'lan' });
    expect(r.id).toBe('use-address-pool');
    const [out] = parseValidDocuments(r.yaml);
    expect(annotationsOf(out)['metallb.io/address-pool']).toBe('lan');
    expect(
      annotationsOf(out)['metallb.universe.tf/loadBalancerIPs'],
    ).toBeUndefined();
    expect(specOf(out).loadBalancerIP).toBeUndefined();
    expect(patchOf(r.commands)).toEqual({
      metadata: {
        annotations: {
          'metallb.universe.tf/loadBalancerIPs': null,
          'metallb.io/address-pool': 'lan',
        },
      },
      spec: { loadBalancerIP: null },
    });
  });

  it('handles a missing pool and malformed Services', () => {
    expect(
      useAddressPoolRemediation(liveService(), { pool: ' ' }).yaml,
    ).toBeUndefined();
    const r = useAddressPoolRemediation(
      { metadata: { name: 'x', annotations: 7 } } as unknown as Service,
      { pool: 'lan' },
    );
    const [out] = parseValidDocuments(r.yaml);
    expect(annotationsOf(out)['metallb.io/address-pool']).toBe('lan');
  });
});
