import { startSimulator, RunningSimulator } from './index';

type Json = Record<string, any>;
const T = 'lb-doctor-demo-token';

async function get(base: string, path: string): Promise<Json> {
  const res = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${T}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

/** The manager owning status.loadBalancer.ingress, read from managedFields as a scanner would. */
const ingressOwner = (svc: Json) =>
  (svc.metadata.managedFields as Json[])
    .filter(m => m.fieldsV1?.['f:status']?.['f:loadBalancer']?.['f:ingress'])
    .map(m => m.manager);

describe('actors', () => {
  let sim: RunningSimulator;
  const url = (name: string) => sim.clusters.find(c => c.name === name)!.url;

  beforeAll(async () => {
    sim = await startSimulator({
      scenarios: [
        'edge-chisel',
        'healthy-dc',
        'sharing-exhausted',
        'legacy-configmap',
        'multi-controller',
      ],
      actors: false,
    });
  });
  afterAll(() => sim.close());

  it('edge-chisel: chisel-operator and MetalLB take turns on the status', async () => {
    const base = url('edge-chisel');
    const path = '/api/v1/namespaces/edge/services/edge-gateway';
    const clearBefore = (
      await get(
        base,
        '/api/v1/namespaces/edge/events?fieldSelector=reason%3DClearAssignment',
      )
    ).items[0];
    expect(clearBefore.count).toBe(25);
    let svc = await get(base, path);
    expect(ingressOwner(svc)).toEqual(['controller']);
    const rvs = [Number(svc.metadata.resourceVersion)];
    const owners: string[][] = [];
    const ips: string[] = [];
    for (let i = 0; i < 4; i++) {
      await sim.tick();
      svc = await get(base, path);
      rvs.push(Number(svc.metadata.resourceVersion));
      owners.push(ingressOwner(svc));
      ips.push(svc.status.loadBalancer.ingress[0].ip);
    }
    expect(owners).toEqual([
      ['chisel-operator'],
      ['controller'],
      ['chisel-operator'],
      ['controller'],
    ]);
    expect(ips).toEqual([
      '203.0.113.10',
      '192.168.50.240',
      '203.0.113.10',
      '192.168.50.240',
    ]);
    for (let i = 1; i < rvs.length; i++)
      expect(rvs[i]).toBeGreaterThan(rvs[i - 1]);
    const chisel = (svc.metadata.managedFields as Json[]).find(
      m => m.manager === 'chisel-operator',
    );
    expect(chisel).toBeUndefined(); // lost its only field: the entry disappears
    const controller = (svc.metadata.managedFields as Json[]).find(
      m => m.manager === 'controller',
    );
    expect(controller).toMatchObject({
      operation: 'Update',
      subresource: 'status',
      fieldsType: 'FieldsV1',
    });
    expect(Date.parse(controller!.time)).toBeGreaterThan(
      Date.parse('2026-11-25T08:59:57Z'),
    );
    expect(svc.metadata.annotations['metallb.io/ip-allocated-from-pool']).toBe(
      'edge-pool',
    );

    const events = await get(
      base,
      '/api/v1/namespaces/edge/events?fieldSelector=involvedObject.name%3Dedge-gateway',
    );
    const clear = events.items.find(
      (e: Json) => e.reason === 'ClearAssignment',
    );
    expect(clear.count).toBe(27);
    expect(clear.message).toBe(
      'current IP for "edge/edge-gateway" not allowed by config, will attempt for new IP assignment: ["203.0.113.10"] is not allowed in config',
    );
    expect(clear.source).toEqual({ component: 'metallb-controller' });
    expect(Date.parse(clear.lastTimestamp)).toBeGreaterThan(
      Date.parse(clear.firstTimestamp),
    );
    const allocated = events.items.find(
      (e: Json) => e.reason === 'IPAllocated',
    );
    expect(allocated.message).toBe('Assigned IP ["192.168.50.240"]');

    const media = await get(
      base,
      '/api/v1/namespaces/edge/events?fieldSelector=involvedObject.name%3Dmedia-server',
    );
    expect(media.items).toHaveLength(1);
    expect(media.items[0]).toMatchObject({
      type: 'Warning',
      reason: 'AllocationFailed',
      message:
        'Failed to allocate IP for "edge/media-server": ["203.0.113.10"] is not allowed in config',
      count: 2,
    });
    const mediaSvc = await get(
      base,
      '/api/v1/namespaces/edge/services/media-server',
    );
    expect(mediaSvc.spec.loadBalancerIP).toBe('203.0.113.10');
    expect(
      (mediaSvc.metadata.managedFields as Json[]).find(
        m => m.manager === 'chisel-operator',
      )?.fieldsV1,
    ).toEqual({
      'f:spec': { 'f:loadBalancerIP': {} },
    });
    // The chisel-class Service is left alone by MetalLB.
    const tunnel = await get(
      base,
      '/api/v1/namespaces/storefront/services/storefront-tunnel',
    );
    expect(ingressOwner(tunnel)).toEqual(['chisel-operator']);
  });

  it('healthy-dc: the MetalLB actor finds nothing to change', async () => {
    const base = url('healthy-dc');
    const before = await get(base, '/api/v1/services');
    const eventsBefore = await get(base, '/api/v1/events');
    await sim.tick(3);
    const after = await get(base, '/api/v1/services');
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
    expect((await get(base, '/api/v1/events')).items).toEqual(
      eventsBefore.items,
    );
  });

  it('sharing-exhausted: failures repeat with growing counts', async () => {
    const base = url('sharing-exhausted');
    const failed =
      '/api/v1/events?fieldSelector=reason%3DAllocationFailed,involvedObject.name%3Dreports-export';
    const countBefore = (await get(base, failed)).items[0].count;
    expect(countBefore).toBeGreaterThanOrEqual(14);
    await sim.tick(2);
    const events = (
      await get(base, '/api/v1/events?fieldSelector=reason%3DAllocationFailed')
    ).items as Json[];
    const by = (name: string) =>
      events.find(e => e.involvedObject.name === name)!;
    expect(by('reports-export')).toMatchObject({
      count: countBefore + 2,
      message:
        'Failed to allocate IP for "reports/reports-export": no available IPs',
    });
    expect(by('storefront-admin').message).toBe(
      'Failed to allocate IP for "storefront/storefront-admin": can\'t change sharing key for "storefront/storefront-admin", address also in use by storefront/storefront',
    );
    expect(by('payments-grpc').message).toBe(
      'Failed to allocate IP for "payments/payments-grpc": port TCP/443 is already in use on "172.16.20.6"',
    );
    const pending = await get(
      base,
      '/api/v1/namespaces/reports/services/reports-export',
    );
    expect(pending.status.loadBalancer).toEqual({});
  });

  it('legacy-configmap: pools come from the ConfigMap', async () => {
    const base = url('legacy-configmap');
    const countBefore = (await get(base, '/api/v1/namespaces/reports/events'))
      .items[0].count;
    await sim.tick();
    const ev = (await get(base, '/api/v1/namespaces/reports/events')).items[0];
    expect(ev).toMatchObject({
      reason: 'AllocationFailed',
      count: countBefore + 1,
      message:
        'Failed to allocate IP for "reports/reports": ["192.168.2.50"] is not allowed in config',
    });
    const storefront = await get(
      base,
      '/api/v1/namespaces/storefront/services/storefront',
    );
    expect(storefront.status.loadBalancer.ingress[0].ip).toBe('192.168.1.240');
  });

  it('multi-controller: kube-vip adds ports, MetalLB rewrites the status', async () => {
    const base = url('multi-controller');
    await sim.tick();
    let svc = await get(
      base,
      '/api/v1/namespaces/storefront/services/storefront',
    );
    expect(svc.status.loadBalancer.ingress[0].ports).toEqual([
      { port: 80, protocol: 'TCP' },
    ]);
    expect(ingressOwner(svc)).toEqual(['kube-vip']);
    await sim.tick();
    svc = await get(base, '/api/v1/namespaces/storefront/services/storefront');
    expect(svc.status.loadBalancer.ingress[0].ports).toBeUndefined();
    expect(ingressOwner(svc)).toEqual(['controller']);
    const cilium = await get(
      base,
      '/api/v1/namespaces/media/services/media-server',
    );
    expect(ingressOwner(cilium)).toEqual(['cilium-operator-lb-ipam']);
    const pools = await get(
      base,
      '/apis/cilium.io/v2alpha1/ciliumloadbalancerippools',
    );
    expect(pools.items[0].metadata.name).toBe('cilium-pool');
  });
});
