import {
  BackendFeature,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { startSimulator } from '@lb-doctor/cluster-simulator';
import {
  ClusterServiceReport,
  ClusterState,
  EntityLbStatus,
  FleetReportItem,
  metallbOwnershipDetectorsExtensionPoint,
} from '@lb-doctor/plugin-metallb-node';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { metallbPlugin } from './plugin';

jest.setTimeout(60_000);

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

/** A port that nothing listens on: bind, note it, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** A module teaching the plugin about an in-house controller, through the extension point. */
const acmeDetectorModule = createBackendModule({
  pluginId: 'metallb',
  moduleId: 'acme-detector',
  register(env) {
    env.registerInit({
      deps: { detectors: metallbOwnershipDetectorsExtensionPoint },
      async init({ detectors }) {
        detectors.addDetectors({
          id: 'acme-lb',
          detect: service =>
            service.metadata?.annotations?.['acme.example/lb'] === 'true'
              ? {
                  controller: 'unknown',
                  evidence: ['annotation acme.example/lb'],
                }
              : undefined,
        });
      },
    });
  },
});

const entity = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

const entities = [
  entity('storefront', { 'backstage.io/kubernetes-id': 'storefront' }),
  entity('edge', {
    'backstage.io/kubernetes-label-selector':
      'app in (edge-gateway, media-server)',
    'backstage.io/kubernetes-namespace': 'edge',
  }),
  entity('no-k8s', {}),
];

describe('metallb backend against the cluster simulator', () => {
  let sim: Simulator;
  let downPort: number;
  /** edge-chisel's stored Services as the first backend served them before it stopped. */
  let edgeBeforeRestart: ClusterServiceReport[] = [];
  const dbDir = createMockDirectory();
  /** A SQLite file database; each backend gets its own connection, closed after it stops. */
  const openDatabase = () =>
    knexFactory({
      client: 'better-sqlite3',
      connection: { filename: `${dbDir.path}/metallb.sqlite` },
      useNullAsDefault: true,
      // One long-lived connection, as knex uses for in-memory SQLite: SQLite has one writer, and
      // the scheduled scan and POST /scan write concurrently.
      pool: { min: 1, max: 1, idleTimeoutMillis: 24 * 3600 * 1000 },
    });
  // Shared by the first backend only: a registry refuses a second registration of an id.
  const actions = actionsRegistryServiceMock();

  function config(overrides: { edgeUrl?: string } = {}) {
    const edge = sim.clusters.find(c => c.name === 'edge-chisel')!;
    const broken = sim.clusters.find(c => c.name === 'broken')!;
    const cluster = (name: string, url: string, token: string) => ({
      name,
      url,
      authProvider: 'serviceAccount',
      serviceAccountToken: token,
      skipTLSVerify: true,
    });
    return {
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              cluster('edge-chisel', overrides.edgeUrl ?? edge.url, edge.token),
              cluster('broken', broken.url, broken.token),
              cluster('down', `http://127.0.0.1:${downPort}`, 'nope'),
              {
                name: 'gke-user',
                url: 'https://gke.example.com',
                authProvider: 'google',
              },
            ],
          },
        ],
      },
      // Pages of two objects, so every list follows `continue` tokens.
      metallb: { scan: { concurrency: 2, clusterTimeout: 20, pageLimit: 2 } },
    };
  }

  async function start(
    extra: {
      edgeUrl?: string;
      features?: BackendFeature[];
      actionsRegistry?: ReturnType<typeof actionsRegistryServiceMock>;
      knex?: Knex;
    } = {},
  ) {
    const registry = extra.actionsRegistry ?? actionsRegistryServiceMock();
    return startTestBackend({
      features: [
        kubernetesPlugin,
        metallbPlugin,
        mockServices.rootConfig.factory({ data: config(extra) }),
        ...(extra.knex
          ? [mockServices.database.factory({ knex: extra.knex })]
          : []),
        mockServices.scheduler.factory(),
        catalogServiceMock.factory({ entities }),
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => registry,
        }),
        ...(extra.features ?? []),
      ],
    });
  }

  /** The scheduler runs the scan at startup without waiting for it: wait for its runs. */
  async function waitForScan(server: Server): Promise<ClusterState[]> {
    for (let i = 0; i < 200; i++) {
      const res = await request(server).get('/api/metallb/clusters');
      const items: ClusterState[] = res.body.items ?? [];
      const scannable = items.filter(c => c.scannable);
      if (
        scannable.length === 3 &&
        scannable.every(c => c.lastRun?.finishedAt)
      ) {
        return items;
      }
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error('startup scan did not finish');
  }

  const measured = (s: ClusterServiceReport | undefined) =>
    (s?.findings ?? []).filter(
      f =>
        f.rule === 'write-loop' &&
        f.evidence.some(e => e.includes('between scans')),
    );

  beforeAll(async () => {
    downPort = await closedPort();
    sim = await startSimulator({
      scenarios: ['edge-chisel', 'broken'],
      actors: false,
    });
  });

  afterAll(async () => {
    await sim?.close();
  });

  describe('a running backend', () => {
    let backend: Awaited<ReturnType<typeof start>>;
    let server: Server;
    const knex = openDatabase();
    let clusters: ClusterState[];

    beforeAll(async () => {
      backend = await start({
        actionsRegistry: actions,
        features: [acmeDetectorModule],
        knex,
      });
      server = backend.server;
      clusters = await waitForScan(server);
    });

    afterAll(async () => {
      if (server) {
        const res = await request(server).get(
          '/api/metallb/report?cluster=edge-chisel&limit=1000',
        );
        edgeBeforeRestart = res.body.items;
      }
      await backend?.stop();
      await knex.destroy();
    });

    it('scans every scannable cluster at startup and reports their state', () => {
      const byName = Object.fromEntries(clusters.map(c => [c.name, c]));
      expect(byName['edge-chisel']).toMatchObject({
        scannable: true,
        stale: false,
        lastRun: { status: 'ok' },
      });
      expect(byName['edge-chisel'].summary?.services).toBeGreaterThanOrEqual(4);
      expect(byName['edge-chisel'].scannedAt).not.toBeNull();

      // 403 on metallb.io, cut-off Events and dropped connections: analysed with what could
      // be read, and told which ClusterRole to apply.
      const broken = byName.broken;
      expect(broken.lastRun?.status).toBe('partial');
      expect(broken.stale).toBe(false);
      expect(broken.summary?.services).toBeGreaterThan(0);
      expect(broken.error).toContain('Forbidden: ipaddresspools.metallb.io');
      expect(broken.error).toContain('kind: ClusterRole');
      expect(broken.error).toContain('- ipaddresspools');
      expect(broken.problems.map(p => p.resource)).toEqual(
        expect.arrayContaining(['ipaddresspools.metallb.io', 'events']),
      );

      // Unreachable: failed, never scanned, and did not take the others down.
      expect(byName.down).toMatchObject({
        stale: false,
        scannedAt: null,
        lastRun: { status: 'failed' },
      });
      expect(byName.down.error).toMatch(
        /^Cannot connect to cluster down: connect ECONNREFUSED/,
      );
      expect(byName.down.error).not.toContain('nope');

      expect(byName['gke-user']).toMatchObject({ scannable: false });
      expect(byName['gke-user'].reason).toContain('google');
    });

    it('serves the fleet report with filters and paging', async () => {
      const all = await request(server).get('/api/metallb/report');
      expect(all.status).toBe(200);
      const names = (all.body.items as ClusterServiceReport[]).map(
        s => `${s.cluster}/${s.namespace}/${s.name}`,
      );
      expect(names).toEqual(
        expect.arrayContaining([
          'edge-chisel/edge/edge-gateway',
          'edge-chisel/storefront/storefront',
          'broken/storefront/storefront',
        ]),
      );
      expect(all.body.totalItems).toBe(names.length);
      const gateway = (all.body.items as ClusterServiceReport[]).find(
        s => s.name === 'edge-gateway',
      )!;
      expect(gateway.owners.map(o => o.controller)).toEqual(
        expect.arrayContaining(['metallb', 'chisel-operator']),
      );
      expect(gateway.status).toBe('error');

      const chisel = await request(server).get(
        '/api/metallb/report?cluster=edge-chisel&controller=chisel-operator',
      );
      expect(chisel.body.items.length).toBeGreaterThan(0);
      expect(
        (chisel.body.items as ClusterServiceReport[]).every(
          s =>
            s.cluster === 'edge-chisel' &&
            s.owners.some(o => o.controller === 'chisel-operator'),
        ),
      ).toBe(true);
      expect(chisel.body.summary.byController['chisel-operator']).toBe(
        chisel.body.totalItems,
      );

      const page = await request(server).get(
        '/api/metallb/report?limit=1&offset=1',
      );
      expect(page.body.items).toHaveLength(1);
      expect(page.body.totalItems).toBe(names.length);
      expect(page.body.items[0].name).toBe(all.body.items[1].name);

      const errors = await request(server).get(
        '/api/metallb/report?severity=error',
      );
      expect(errors.body.totalItems).toBeLessThan(names.length);

      const bad = await request(server).get('/api/metallb/report?limit=-3');
      expect(bad.status).toBe(400);

      const byEntity = await request(server).get(
        '/api/metallb/report?entity=component:default/storefront&cluster=edge-chisel',
      );
      expect(
        (byEntity.body.items as ClusterServiceReport[]).map(s => s.name).sort(),
      ).toEqual(['storefront', 'storefront-tunnel']);
    });

    it('names the catalog entities each report row maps to', async () => {
      const res = await request(server).get(
        '/api/metallb/report?cluster=edge-chisel&limit=1000',
      );
      const items = res.body.items as FleetReportItem[];
      const refs = Object.fromEntries(
        items.map(s => [`${s.namespace}/${s.name}`, s.entityRefs]),
      );
      expect(refs['edge/edge-gateway']).toEqual(['component:default/edge']);
      expect(refs['storefront/storefront']).toEqual([
        'component:default/storefront',
      ]);
      // Every row carries the field (entityIndex.test.ts: `[]` when no entity maps).
      expect(items.every(s => Array.isArray(s.entityRefs))).toBe(true);

      // The entity filter uses the same mapping as the rows.
      const byEntity = await request(server).get(
        '/api/metallb/report?entity=component:default/edge&limit=1000',
      );
      const filtered = byEntity.body.items as FleetReportItem[];
      expect(filtered.length).toBeGreaterThan(0);
      expect(
        filtered.every(s => s.entityRefs.includes('component:default/edge')),
      ).toBe(true);
      expect(filtered.length).toBe(
        (
          await request(server).get('/api/metallb/report?limit=1000')
        ).body.items.filter((s: FleetReportItem) =>
          s.entityRefs.includes('component:default/edge'),
        ).length,
      );

      const json = await request(server).get(
        '/api/metallb/report/export?format=json&cluster=edge-chisel&namespace=edge',
      );
      expect(
        (json.body as FleetReportItem[]).find(s => s.name === 'edge-gateway')
          ?.entityRefs,
      ).toEqual(['component:default/edge']);
      const csv = await request(server).get(
        '/api/metallb/report/export?format=csv&cluster=edge-chisel&namespace=edge',
      );
      expect(csv.text.split('\r\n')[0]).toMatch(/,entities$/);
      expect(csv.text).toMatch(
        /edge-chisel,edge,edge-gateway,.*,component:default\/edge\r\n/,
      );
    });

    it('exports the report', async () => {
      const csv = await request(server).get(
        '/api/metallb/report/export?format=csv&cluster=edge-chisel',
      );
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.text.split('\r\n')[0]).toMatch(
        /^cluster,namespace,name,status/,
      );
      expect(csv.text).toContain('edge-chisel,edge,edge-gateway,error');
      const md = await request(server).get(
        '/api/metallb/report/export?format=markdown',
      );
      expect(md.text).toContain('| edge-chisel | edge/edge-gateway | error |');
      const json = await request(server).get(
        '/api/metallb/report/export?format=json',
      );
      expect(Array.isArray(json.body)).toBe(true);
    });

    it('measures churn across scans', async () => {
      // Nothing moved since the startup scan: no measured loop.
      const quiet = await request(server)
        .post('/api/metallb/scan')
        .send({ cluster: 'edge-chisel' });
      expect(quiet.status).toBe(200);
      expect(quiet.body.clusters).toEqual([
        expect.objectContaining({ cluster: 'edge-chisel', status: 'ok' }),
      ]);
      const before = await request(server).get(
        '/api/metallb/report?cluster=edge-chisel&namespace=edge',
      );
      const gatewayBefore = (before.body.items as ClusterServiceReport[]).find(
        s => s.name === 'edge-gateway',
      );
      expect(measured(gatewayBefore)).toEqual([]);

      await sim.tick(4);
      await request(server)
        .post('/api/metallb/scan')
        .send({ cluster: 'edge-chisel' });
      const after = await request(server).get(
        '/api/metallb/report?cluster=edge-chisel&rule=write-loop',
      );
      const gateway = (after.body.items as ClusterServiceReport[]).find(
        s => s.name === 'edge-gateway',
      );
      const loops = measured(gateway);
      expect(loops).toHaveLength(1);
      expect(loops[0].severity).toBe('error');
      expect(loops[0].message).toMatch(/writes\/min/);
      // The fixed Service (chisel class, MetalLB ignores it) does not loop.
      const tunnel = await request(server).get(
        '/api/metallb/report?cluster=edge-chisel&namespace=storefront',
      );
      expect(
        measured(
          (tunnel.body.items as ClusterServiceReport[]).find(
            s => s.name === 'storefront-tunnel',
          ),
        ),
      ).toEqual([]);
    });

    it('runs ownership detectors added by modules', async () => {
      sim.apply('edge-chisel', [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {
            name: 'acme-svc',
            namespace: 'edge',
            annotations: { 'acme.example/lb': 'true' },
          },
          spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
        },
      ]);
      await request(server)
        .post('/api/metallb/scan')
        .send({ cluster: 'edge-chisel' });
      const res = await request(server).get(
        '/api/metallb/report?cluster=edge-chisel&namespace=edge&limit=1000',
      );
      const items = res.body.items as ClusterServiceReport[];
      const acme = items.find(s => s.name === 'acme-svc');
      expect(acme?.owners).toEqual(
        expect.arrayContaining([
          { controller: 'unknown', evidence: ['annotation acme.example/lb'] },
        ]),
      );
      const gateway = items.find(s => s.name === 'edge-gateway');
      expect(
        gateway?.owners.some(o =>
          o.evidence.includes('annotation acme.example/lb'),
        ),
      ).toBe(false);
    });

    it('rejects scans of unknown clusters and bad bodies', async () => {
      const unknown = await request(server)
        .post('/api/metallb/scan')
        .send({ cluster: 'mars' });
      expect(unknown.status).toBe(404);
      const bad = await request(server)
        .post('/api/metallb/scan')
        .send({ cluster: 5 });
      expect(bad.status).toBe(400);
    });

    it('maps catalog entities to their Services', async () => {
      const store = await request(server).get(
        '/api/metallb/entity/default/component/storefront',
      );
      expect(store.status).toBe(200);
      const body = store.body as EntityLbStatus;
      expect(body.entityRef).toBe('component:default/storefront');
      expect(body.annotations).toEqual({
        'backstage.io/kubernetes-id': 'storefront',
      });
      expect(
        body.services
          .filter(s => s.cluster === 'edge-chisel')
          .map(s => `${s.namespace}/${s.name}`)
          .sort(),
      ).toEqual(['storefront/storefront', 'storefront/storefront-tunnel']);
      expect(body.clusters.map(c => c.name)).toEqual(
        expect.arrayContaining(['edge-chisel', 'broken', 'down']),
      );
      expect(body.scannedAt).not.toBeNull();

      const edge = await request(server).get(
        '/api/metallb/entity/default/component/edge',
      );
      expect(
        (edge.body as EntityLbStatus).services.map(s => s.name).sort(),
      ).toEqual(['edge-gateway', 'media-server']);

      const missing = await request(server).get(
        '/api/metallb/entity/default/component/no-k8s',
      );
      expect(missing.status).toBe(200);
      expect(missing.body).toMatchObject({
        missingAnnotation: 'backstage.io/kubernetes-id',
        services: [],
      });

      const unknown = await request(server).get(
        '/api/metallb/entity/default/component/ghost',
      );
      expect(unknown.status).toBe(404);
    });

    it('validates manifests against the stored snapshot', async () => {
      const report = await request(server).get(
        '/api/metallb/report?cluster=edge-chisel&namespace=storefront',
      );
      const taken = (report.body.items as ClusterServiceReport[]).find(
        s => s.name === 'storefront',
      )!.ingress[0];
      expect(taken).toBeDefined();
      const manifest = [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: newcomer',
        '  namespace: storefront',
        '  annotations:',
        `    metallb.io/loadBalancerIPs: ${taken}`,
        'spec:',
        '  type: LoadBalancer',
        '  ports: [{ port: 443 }]',
      ].join('\n');
      const res = await request(server)
        .post('/api/metallb/validate')
        .send({ cluster: 'edge-chisel', manifests: manifest });
      expect(res.status).toBe(200);
      expect(res.body.services.map((s: { name: string }) => s.name)).toEqual([
        'newcomer',
      ]);
      expect(
        res.body.services[0].findings.map((f: { rule: string }) => f.rule),
      ).toContain('ip-in-use');

      const never = await request(server)
        .post('/api/metallb/validate')
        .send({ cluster: 'down', manifests: manifest });
      expect(never.status).toBe(404);
      expect(never.body.error.message).toMatch(/never been scanned/);

      const invalid = await request(server)
        .post('/api/metallb/validate')
        .send({ cluster: 'edge-chisel' });
      expect(invalid.status).toBe(400);
    });

    it('keeps history per scan', async () => {
      const res = await request(server).get(
        '/api/metallb/history?cluster=edge-chisel',
      );
      expect(res.status).toBe(200);
      // Startup scan plus the two in the churn test.
      expect(res.body.items.length).toBeGreaterThanOrEqual(3);
      expect(res.body.items[0].cluster).toBe('edge-chisel');
      expect(
        res.body.items[res.body.items.length - 1].rules['write-loop'],
      ).toBeDefined();
      const none = await request(server).get(
        '/api/metallb/history?cluster=edge-chisel&to=2000-01-01',
      );
      expect(none.body.items).toEqual([]);
    });

    it('answers /health without credentials and refuses others without them', async () => {
      const health = await request(server)
        .get('/api/metallb/health')
        .set('authorization', mockCredentials.none.header());
      expect(health.status).toBe(200);
      const report = await request(server)
        .get('/api/metallb/report')
        .set('authorization', mockCredentials.none.header());
      expect(report.status).toBe(401);
    });

    it('registers read-only MCP actions', async () => {
      const { output } = await actions.invoke({
        id: 'test:get-entity-lb-status',
        input: { entityRef: 'component:default/storefront' },
        credentials: mockCredentials.user(),
      });
      expect(
        (
          output as { services: Array<{ cluster: string; name: string }> }
        ).services
          .map(s => `${s.cluster}/${s.name}`)
          .sort(),
      ).toEqual([
        'broken/storefront',
        'edge-chisel/storefront',
        'edge-chisel/storefront-tunnel',
      ]);
      const chiselOwned = await request(server).get(
        '/api/metallb/report?cluster=edge-chisel&controller=chisel-operator',
      );
      const fleet = await actions.invoke({
        id: 'test:get-fleet-report',
        input: { cluster: 'edge-chisel', controller: 'chisel-operator' },
        credentials: mockCredentials.user(),
      });
      expect(fleet.output).toMatchObject({
        totalItems: chiselOwned.body.totalItems,
      });
      expect(chiselOwned.body.totalItems).toBeGreaterThan(0);
      expect(
        actions.actions.get('test:get-fleet-report')?.attributes?.readOnly,
      ).toBe(true);
    });
  });

  it('keeps results across a restart and marks a now-unreachable cluster stale', async () => {
    // Same SQLite directory as the backend above; edge-chisel now points at a dead port.
    const knex = openDatabase();
    const backend = await start({
      edgeUrl: `http://127.0.0.1:${downPort}`,
      knex,
    });
    try {
      const clusters = await waitForScan(backend.server);
      const edge = clusters.find(c => c.name === 'edge-chisel')!;
      expect(edge).toMatchObject({
        stale: true,
        lastRun: { status: 'failed' },
      });
      expect(edge.scannedAt).not.toBeNull();
      expect(edge.error).toMatch(/Cannot connect/);
      const report = await request(backend.server).get(
        '/api/metallb/report?cluster=edge-chisel&limit=1000',
      );
      expect(edgeBeforeRestart.map(s => s.name)).toContain('acme-svc');
      expect(report.body.items).toEqual(edgeBeforeRestart);
      const history = await request(backend.server).get(
        '/api/metallb/history?cluster=edge-chisel',
      );
      // Startup, two churn scans and the detector scan of the first backend.
      expect(history.body.items.length).toBeGreaterThanOrEqual(4);
    } finally {
      await backend.stop();
      await knex.destroy();
    }
  });

  it('answers 403 without the permissions', async () => {
    const backend = await start({
      features: [
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    try {
      for (const path of [
        '/report',
        '/report/export',
        '/clusters',
        '/history',
      ]) {
        const res = await request(backend.server).get(`/api/metallb${path}`);
        expect(res.status).toBe(403);
      }
      const scan = await request(backend.server)
        .post('/api/metallb/scan')
        .send({});
      expect(scan.status).toBe(403);
      expect(scan.body.error.message).toContain('metallb.scan.create');
    } finally {
      await backend.stop();
    }
  });
});
