process.env.BACKSTAGE_TEST_DISABLE_DOCKER = '1';

import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { ServiceReport } from '@lb-doctor/plugin-metallb-common';
import { KnexMetallbStore, migrateDown, migrateUp } from './KnexMetallbStore';
import type { NewService } from './MetallbStore';

jest.setTimeout(60_000);

// PostgreSQL runs when scripts/test started one (it exports the matching connection string);
// every version it may come from Debian with is listed, SQLite always runs.
const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

it('runs on the PostgreSQL that scripts/test started', () => {
  const started = process.env.LBD_POSTGRES_VERSION;
  const ids = databases.eachSupportedId().map(([id]) => id);
  const expected = ['SQLITE_3', ...(started ? [`POSTGRES_${started}`] : [])];
  expect(ids).toEqual(expect.arrayContaining(expected));
});

function service(name: string, status: ServiceReport['status']): NewService {
  const report: ServiceReport = {
    namespace: 'shop',
    name,
    loadBalancerClass: null,
    requested: [],
    ingress: ['10.0.0.1'],
    metallb: {
      handled: true,
      outcome: 'keep',
      ips: ['10.0.0.1'],
      pool: 'default',
      event: null,
      events: [],
      writes: false,
      notes: [],
    },
    owners: [{ controller: 'metallb', evidence: [] }],
    findings:
      status === 'ok'
        ? []
        : [
            {
              rule: 'ip-in-use',
              severity: status,
              message: 'm',
              evidence: [],
              remediations: [],
            },
          ],
    status,
  };
  return {
    cluster: 'east',
    namespace: 'shop',
    name,
    uid: `uid-${name}`,
    labels: { 'backstage.io/kubernetes-id': name },
    status,
    report,
    observation: {
      observedAt: '2026-01-01T00:00:00.000Z',
      ingress: ['10.0.0.1'],
      metallbEvents: 2,
    },
  };
}

const clusterReport = {
  name: 'east',
  metallb: {
    installed: true,
    version: null,
    assumedVersion: '0.15.2',
    lbClass: null,
    configSource: 'crds' as const,
    controllers: [],
    pools: [],
    configErrors: [],
  },
  controllers: [],
  findings: [],
  unknownKinds: [],
  summary: { services: 2, ok: 1, info: 0, warning: 0, error: 1, byRule: {} },
};

describe('KnexMetallbStore', () => {
  it.each(databases.eachSupportedId())(
    'migrates up and down on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUp(knex);
      expect(await knex.schema.hasTable('metallb_services')).toBe(true);
      expect(await knex.schema.hasTable('metallb_history')).toBe(true);
      await migrateDown(knex);
      expect(await knex.schema.hasTable('metallb_services')).toBe(false);
      expect(await knex.schema.hasTable('metallb_scan_runs')).toBe(false);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'stores results, keeps first_seen and drops vanished Services on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUp(knex);
      const store = new KnexMetallbStore(knex);
      const t1 = new Date('2026-01-01T00:00:00.000Z');
      const t2 = new Date('2026-01-01T00:05:00.000Z');

      const run1 = await store.startRun('east', t1);
      await store.saveClusterResult({
        runId: run1,
        cluster: 'east',
        scannedAt: t1,
        report: clusterReport,
        snapshot: { name: 'east', services: [] },
        services: [service('web', 'ok'), service('db', 'error')],
        history: [{ rule: 'ip-in-use', severity: 'error', count: 1 }],
      });
      await store.finishRun(run1, {
        finishedAt: t1,
        status: 'ok',
        problems: [],
        stale: false,
      });

      const run2 = await store.startRun('east', t2);
      await store.saveClusterResult({
        runId: run2,
        cluster: 'east',
        scannedAt: t2,
        report: clusterReport,
        snapshot: { name: 'east', services: [] },
        services: [service('web', 'warning')],
        history: [{ rule: 'ip-in-use', severity: 'warning', count: 1 }],
      });
      await store.finishRun(run2, {
        finishedAt: t2,
        status: 'failed',
        error: 'boom',
        problems: [{ resource: 'services', kind: 'http', message: 'boom' }],
        stale: true,
      });

      const services = await store.listServices({ cluster: 'east' });
      expect(services.map(s => s.name)).toEqual(['web']);
      expect(services[0].firstSeen).toBe(t1.toISOString());
      expect(services[0].updatedAt).toBe(t2.toISOString());
      expect(services[0].status).toBe('warning');
      expect(services[0].labels).toEqual({
        'backstage.io/kubernetes-id': 'web',
      });

      const observations = await store.getObservations('east');
      expect(observations.get('shop/web')?.metallbEvents).toBe(2);

      const runs = await store.latestRuns();
      expect(runs.get('east')).toMatchObject({
        id: run2,
        status: 'failed',
        error: 'boom',
        stale: true,
        startedAt: t2.toISOString(),
      });
      expect((await store.getCluster('east'))?.scannedAt).toBe(
        t2.toISOString(),
      );
      expect(await store.getSnapshot('east')).toEqual({
        name: 'east',
        services: [],
      });
      expect(await store.getSnapshot('west')).toBeUndefined();

      const history = await store.getHistory({ cluster: 'east', from: t2 });
      expect(history).toEqual([
        expect.objectContaining({ runId: run2, severity: 'warning', count: 1 }),
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'prunes old runs and history but keeps the latest run on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUp(knex);
      const store = new KnexMetallbStore(knex);
      const old = new Date('2025-01-01T00:00:00.000Z');
      const older = new Date('2024-12-01T00:00:00.000Z');
      const recent = new Date('2026-01-01T00:00:00.000Z');
      for (const [cluster, at] of [
        ['east', older],
        ['east', old],
        ['east', recent],
        ['west', old],
      ] as const) {
        const id = await store.startRun(cluster, at);
        await store.saveClusterResult({
          runId: id,
          cluster,
          scannedAt: at,
          report: clusterReport,
          snapshot: { name: cluster },
          services: [],
          history: [{ rule: '*', severity: 'ok', count: 3 }],
        });
      }
      const cutoff = new Date('2025-06-01T00:00:00.000Z');
      const pruned = await store.prune(cutoff);
      expect(pruned).toEqual({ runs: 2, history: 3 });
      const runs = await store.latestRuns();
      expect(runs.get('west')?.startedAt).toBe(old.toISOString());
      expect(runs.get('east')?.startedAt).toBe(recent.toISOString());
      expect(await store.getHistory({})).toHaveLength(1);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'lets two writers save the same cluster at once on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUp(knex);
      // Two stores, as two backend instances (or POST /scan beside the scheduled scan) have.
      const stores = [new KnexMetallbStore(knex), new KnexMetallbStore(knex)];
      const services = Array.from({ length: 120 }, (_, i) =>
        service(`svc-${i}`, 'ok'),
      );
      const save = (store: KnexMetallbStore, at: Date) =>
        store.saveClusterResult({
          runId: 1,
          cluster: 'east',
          scannedAt: at,
          report: clusterReport,
          snapshot: { name: 'east', services: [] },
          services,
          history: [],
        });
      for (let round = 0; round < 3; round++) {
        const at = new Date(Date.UTC(2026, 0, 1, 0, round));
        await Promise.all(stores.map(store => save(store, at)));
      }
      expect(await stores[1].listServices({ cluster: 'east' })).toHaveLength(
        120,
      );
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'finds Services by their kubernetes-id label, also rows stored before the column on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // The first migration only, a row as it stored them, then the rest.
      await knex.migrate.up({
        directory: resolvePackagePath(
          '@lb-doctor/plugin-metallb-backend',
          'migrations',
        ),
        name: '20261125120000_init.js',
      });
      await knex('metallb_services').insert({
        cluster: 'east',
        namespace: 'shop',
        name: 'old',
        labels: JSON.stringify({ 'backstage.io/kubernetes-id': 'old' }),
        status: 'ok',
        report: '{}',
        observation: '{}',
        first_seen: new Date(),
        updated_at: new Date(),
      });
      await migrateUp(knex);
      const store = new KnexMetallbStore(knex);
      expect(
        (await store.listServices({ kubernetesId: 'old' })).map(s => s.name),
      ).toEqual(['old']);

      await store.saveClusterResult({
        runId: 1,
        cluster: 'west',
        scannedAt: new Date(),
        report: clusterReport,
        snapshot: { name: 'west', services: [] },
        services: [service('web', 'ok'), service('db', 'ok')],
        history: [],
      });
      expect(
        (await store.listServices({ kubernetesId: 'web' })).map(
          s => `${s.cluster}/${s.name}`,
        ),
      ).toEqual(['west/web']);
      expect(await store.listServices({ kubernetesId: 'none' })).toEqual([]);
      expect((await store.listScanTimes()).map(c => c.name)).toEqual(['west']);
      await knex.destroy();
    },
  );
});
