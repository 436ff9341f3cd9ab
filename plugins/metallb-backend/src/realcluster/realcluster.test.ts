import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import type { ClusterState } from '@lb-doctor/plugin-metallb-node';
import request from 'supertest';
import { metallbPlugin } from '../plugin';
import { adminClient, ApiError, testbedEnv } from './testbed';

/*
 * The backend against a real kube-apiserver with the real MetalLB controller: the test bed of
 * scripts/testbed (run with scripts/testbed/with-testbed.sh). Without it, the whole file is
 * skipped, and says so loudly, so a green run never hides that it did not run.
 */
const testbed = testbedEnv();
if (!testbed) {
  process.stderr.write(
    '\n*** metallb-backend realcluster tests SKIPPED: no test bed (TESTBED_APISERVER_URL etc.).\n' +
      "*** Run them with: scripts/testbed/with-testbed.sh bash -c 'cd plugins/metallb-backend && CI=true yarn backstage-cli package test src/realcluster'\n\n",
  );
}
const describeReal = testbed ? describe : describe.skip;

jest.setTimeout(240_000);

const NS = 'lbd-real';
const BULK_NS = 'lbd-bulk';
const BULK = 2000;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describeReal('metallb backend against the real API server and MetalLB', () => {
  const api = testbed ? adminClient(testbed) : undefined!;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  const svc = (name: string, annotations: Record<string, string> = {}) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, annotations },
    spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] },
  });

  async function clusters(): Promise<Record<string, ClusterState>> {
    const res = await request(server).get('/api/metallb/clusters');
    return Object.fromEntries(
      (res.body.items as ClusterState[]).map(c => [c.name, c]),
    );
  }

  async function waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    ms = 60_000,
  ): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  beforeAll(async () => {
    const t = testbed!;
    for (const name of [NS, BULK_NS])
      await api.call('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      });
    await api.call(
      'POST',
      `/apis/metallb.io/v1beta1/namespaces/${t.metallbNamespace}/ipaddresspools`,
      {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'IPAddressPool',
        metadata: { name: 'lbd-real', namespace: t.metallbNamespace },
        spec: {
          addresses: ['192.0.2.64/29'],
          serviceAllocation: { namespaces: [NS] },
        },
      },
    );
    await sleep(1000); // MetalLB loads the pool
    for (const s of [
      svc('web'),
      svc('pinned', { 'metallb.io/loadBalancerIPs': '192.0.2.70' }),
      svc('outside', { 'metallb.io/loadBalancerIPs': '203.0.113.9' }),
    ])
      await api.call('POST', `/api/v1/namespaces/${NS}/services`, s);
    await waitFor('MetalLB to handle the three Services', async () => {
      const list = await api.call('GET', `/api/v1/namespaces/${NS}/services`);
      const events = await api.call('GET', `/api/v1/namespaces/${NS}/events`);
      const ips = (name: string) =>
        list.items.find((s: any) => s.metadata.name === name)?.status
          ?.loadBalancer?.ingress?.length ?? 0;
      const failed = events.items.some(
        (e: any) =>
          e.involvedObject.name === 'outside' &&
          e.reason === 'AllocationFailed',
      );
      return ips('web') > 0 && ips('pinned') > 0 && failed ? true : undefined;
    });
    // 2,000 more, with another controller's class: MetalLB ignores them, the scan must page.
    const names = Array.from({ length: BULK }, (_, i) => `bulk-${i}`);
    for (let i = 0; i < names.length; i += 32) {
      await Promise.all(
        names.slice(i, i + 32).map(name =>
          api.call('POST', `/api/v1/namespaces/${BULK_NS}/services`, {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name, namespace: BULK_NS },
            spec: {
              type: 'LoadBalancer',
              loadBalancerClass: 'example.com/other',
              ports: [{ port: 80, protocol: 'TCP' }],
            },
          }),
        ),
      );
    }

    const cluster = (name: string, token: string) => ({
      name,
      url: t.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: token,
      caFile: t.caFile,
    });
    backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        metallbPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    cluster('testbed', t.scannerToken),
                    cluster('limited', t.limitedToken),
                  ],
                },
              ],
            },
            metallb: {
              scan: { concurrency: 2, clusterTimeout: 120, pageLimit: 500 },
            },
          },
        }),
        mockServices.scheduler.factory(),
        catalogServiceMock.factory({ entities: [] }),
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => actionsRegistryServiceMock(),
        }),
      ],
    });
    server = backend.server;
    await waitFor('the startup scans', async () => {
      const all = await clusters();
      return all.testbed?.lastRun?.finishedAt &&
        all.limited?.lastRun?.finishedAt
        ? all
        : undefined;
    });
  });

  afterAll(async () => {
    await backend?.stop();
    api?.close();
  });

  it('scans the real cluster and predicts what MetalLB did', async () => {
    const res = await request(server).get('/api/metallb/clusters/testbed');
    expect(res.status).toBe(200);
    expect(res.body.problems).toEqual([]);
    expect(res.body.lastRun.status).toBe('ok');
    const services = res.body.report.services as Array<any>;
    const byName = (name: string) =>
      services.find(s => s.namespace === NS && s.name === name);
    // What MetalLB really did, read back through the kubernetes plugin, is stable for the engine.
    expect(byName('web').ingress).toEqual(['192.0.2.64']);
    expect(byName('web').metallb.outcome).toBe('keep');
    expect(byName('pinned').ingress).toEqual(['192.0.2.70']);
    expect(byName('pinned').metallb.outcome).toBe('keep');
    expect(byName('outside').metallb).toMatchObject({
      outcome: 'fail',
      event: {
        type: 'Warning',
        reason: 'AllocationFailed',
        message: `Failed to allocate IP for "${NS}/outside": ["203.0.113.9"] is not allowed in config`,
      },
    });
    // MetalLB's own Events were read too.
    expect(
      byName('outside').findings.map((f: { rule: string }) => f.rule),
    ).toContain('ip-not-in-any-pool');
  });

  it(`pages through ${BULK} Services (pageLimit 500)`, async () => {
    const res = await request(server).get('/api/metallb/clusters/testbed');
    const bulk = (res.body.report.services as Array<any>).filter(
      s => s.namespace === BULK_NS,
    );
    expect(bulk).toHaveLength(BULK);
    expect(bulk.every(s => s.metallb.outcome === 'ignore')).toBe(true);
  });

  it('reports a 403 on metallb.io with the ClusterRole to apply, and still analyses the rest', async () => {
    const { limited } = await clusters();
    expect(limited.lastRun?.status).toBe('partial');
    const forbidden = limited.problems.filter(p => p.kind === 'forbidden');
    expect(forbidden.map(p => p.resource)).toEqual(
      expect.arrayContaining(['ipaddresspools.metallb.io']),
    );
    expect(forbidden.every(p => p.status === 403)).toBe(true);
    // The real API server's own words reach the operator.
    expect(forbidden[0].message).toContain('forbidden');
    expect(forbidden[0].action).toContain('kind: ClusterRole');
    expect(limited.summary?.services).toBeGreaterThanOrEqual(BULK + 3);
  });

  // Last: it removes MetalLB's CRDs from this test bed for good.
  it('reports a 404 when the MetalLB CRDs are gone', async () => {
    const crds = await api.call(
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    );
    for (const crd of crds.items.filter((c: any) =>
      c.metadata.name.endsWith('.metallb.io'),
    ))
      await api.call(
        'DELETE',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
      );
    await waitFor('metallb.io to disappear', async () => {
      try {
        await api.call('GET', '/apis/metallb.io/v1beta1/ipaddresspools');
        return undefined;
      } catch (e) {
        return e instanceof ApiError && e.status === 404 ? true : undefined;
      }
    });
    const scan = await request(server)
      .post('/api/metallb/scan')
      .send({ cluster: 'testbed' });
    expect(scan.status).toBe(200);
    // A 404 on metallb.io is an answer (the type does not exist), not a scan problem: the lists
    // count as read and empty, and the verdicts say what MetalLB does without configuration.
    const res = await request(server).get('/api/metallb/clusters/testbed');
    expect(res.body.problems).toEqual([]);
    expect(res.body.lastRun.status).toBe('ok');
    expect(res.body.report.metallb).toMatchObject({
      configSource: 'none',
      pools: [],
    });
    expect(res.body.report.unknownKinds).not.toContain('ipAddressPools');
    expect(res.body.summary.services).toBeGreaterThanOrEqual(BULK + 3);
  });
});
