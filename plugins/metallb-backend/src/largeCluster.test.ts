import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { generateCluster, startSimulator } from '@lb-doctor/cluster-simulator';
import type {
  ClusterState,
  FleetReportItem,
} from '@lb-doctor/plugin-metallb-node';
import request from 'supertest';
import {
  CountingProxy,
  startCountingProxy,
} from './__testUtils__/countingProxy';
import { metallbPlugin } from './plugin';
import { kubernetesConfig } from './__testUtils__/kubernetesConfig';

jest.setTimeout(180_000);

/** More than four pages of the default `limit` (500), not a multiple of it. */
const SERVICES = 2_111;

const storefront: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'storefront',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'storefront' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

describe('a cluster of 2,000+ LoadBalancer Services', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let proxy: CountingProxy;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    sim = await startSimulator({
      scenarioObjects: [
        generateCluster({ name: 'big', services: SERVICES, pools: 4 }),
      ],
      actors: false,
    });
    proxy = await startCountingProxy(sim.url);
    backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        metallbPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: kubernetesConfig({
              name: 'big',
              url: `${proxy.url}/clusters/big`,
              token: sim.clusters[0].token,
            }),
            // No metallb.scan.pageLimit: the default page size under test.
          },
        }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({ entities: [storefront] }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await proxy?.close();
    await sim?.close();
  });

  it('reads every page, stores and reports every Service', async () => {
    const scan = await request(backend.server)
      .post('/api/metallb/scan')
      .send({});
    expect(scan.status).toBe(200);
    expect(scan.body.clusters).toEqual([
      expect.objectContaining({
        cluster: 'big',
        status: 'ok',
        services: SERVICES,
      }),
    ]);

    // The Services list came in pages of the default limit, following `continue` tokens.
    const pages = proxy.requests.filter(r =>
      /\/api\/v1\/services\?/.test(r.url),
    );
    expect(pages.length).toBe(Math.ceil(SERVICES / 500));
    expect(pages.every(r => /[?&]limit=500(&|$)/.test(r.url))).toBe(true);
    expect(pages.filter(r => /[?&]continue=/.test(r.url))).toHaveLength(
      pages.length - 1,
    );

    const clusters = await request(backend.server).get('/api/metallb/clusters');
    const big = (clusters.body.items as ClusterState[]).find(
      c => c.name === 'big',
    );
    expect(big?.summary?.services).toBe(SERVICES);

    // Every Service once in the paged report, as generated (svc-00000 ... svc-02110).
    const names = new Set<string>();
    let mapped = 0;
    for (let offset = 0; ; offset += 1000) {
      const page = await request(backend.server).get(
        `/api/metallb/report?cluster=big&limit=1000&offset=${offset}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.totalItems).toBe(SERVICES);
      const items = page.body.items as FleetReportItem[];
      for (const s of items) names.add(`${s.namespace}/${s.name}`);
      mapped += items.filter(s =>
        s.entityRefs.includes('component:default/storefront'),
      ).length;
      if (items.length < 1000) break;
    }
    expect(names.size).toBe(SERVICES);
    const expected = Array.from(
      { length: SERVICES },
      (_, i) => `svc-${String(i).padStart(5, '0')}`,
    );
    expect([...names].map(n => n.split('/')[1]).sort()).toEqual(expected);
    // The generator labels every fifth Service `backstage.io/kubernetes-id: storefront`.
    expect(mapped).toBe(Math.ceil(SERVICES / 5));

    const json = await request(backend.server).get(
      '/api/metallb/report/export?format=json&cluster=big',
    );
    expect(json.body).toHaveLength(SERVICES);
    const csv = await request(backend.server).get(
      '/api/metallb/report/export?format=csv&cluster=big',
    );
    // Header, one line per Service, and the final CRLF.
    expect(csv.text.split('\r\n')).toHaveLength(SERVICES + 2);
  });
});
