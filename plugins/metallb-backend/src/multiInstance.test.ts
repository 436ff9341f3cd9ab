// TestDatabases would otherwise try Docker, which CI machines here do not have.
process.env.BACKSTAGE_TEST_DISABLE_DOCKER = '1';

import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { startSimulator } from '@lb-doctor/cluster-simulator';
import type { ClusterState } from '@lb-doctor/plugin-metallb-node';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import {
  CountingProxy,
  startCountingProxy,
} from './__testUtils__/countingProxy';
import { metallbPlugin } from './plugin';
import { kubernetesConfig } from './__testUtils__/kubernetesConfig';

jest.setTimeout(120_000);

// Two instances of a deployment share one PostgreSQL, as in production; scripts/test starts one
// and exports the connection string of its version.
const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});
const postgres = databases.eachSupportedId()[0]?.[0] as
  | TestDatabaseId
  | undefined;

if (!postgres) {
  // eslint-disable-next-line no-console
  console.warn(
    [
      '',
      '*'.repeat(78),
      '* SKIPPED: two metallb backends on one PostgreSQL. No PostgreSQL is available:',
      '* set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (or 16/17), e.g.',
      '* `source scripts/postgres.sh && lbd_start_postgres`.',
      '*'.repeat(78),
    ].join('\n'),
  );
}

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'storefront',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'storefront' },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  },
];

/** Seconds between scheduled scans: short, so a few periods pass in one test. */
const PERIOD_SECONDS = 2;

(postgres ? describe : describe.skip)(
  'two metallb backends sharing one PostgreSQL',
  () => {
    let sim: Awaited<ReturnType<typeof startSimulator>>;
    /** One proxy per instance, so the cluster's log says which instance asked. */
    const proxies: CountingProxy[] = [];
    let shared: Knex;
    const connections: Knex[] = [];
    const backends: Array<Awaited<ReturnType<typeof startTestBackend>>> = [];
    /** Before either instance registered the task: no scheduler slot is earlier. */
    let registeredAfter = 0;

    /** Each instance has its own connection pool to the same database, as two pods would. */
    const connect = () => {
      const knex = knexFactory({
        client: 'pg',
        connection: shared.client.config.connection,
      });
      connections.push(knex);
      return knex;
    };

    const start = (knex: Knex, proxy: CountingProxy) =>
      startTestBackend({
        features: [
          kubernetesPlugin,
          metallbPlugin,
          mockServices.rootConfig.factory({
            data: {
              kubernetes: kubernetesConfig({
                name: 'edge-chisel',
                url: `${proxy.url}/clusters/edge-chisel`,
                token: sim.clusters[0].token,
              }),
              metallb: {
                schedule: {
                  frequency: { seconds: PERIOD_SECONDS },
                  timeout: { seconds: 30 },
                },
              },
            },
          }),
          // Every plugin of the instance, the scheduler included, uses this database: the
          // scheduler's global lock lives in its tables there.
          mockServices.database.factory({ knex }),
          // The real scheduler, not the mock: only it coordinates `scope: 'global'` tasks.
          schedulerServiceFactory,
          catalogServiceMock.factory({ entities }),
        ],
      });

    /** Runs of the scheduled scan, oldest first, as the shared store recorded them. */
    const runs = async () =>
      (
        await shared('metallb_scan_runs')
          .where({ cluster: 'edge-chisel' })
          .orderBy('id')
          .select('started_at', 'finished_at', 'status')
      ).map(r => ({
        startedAt: new Date(r.started_at).getTime(),
        finishedAt: r.finished_at ? new Date(r.finished_at).getTime() : null,
        status: r.status as string,
      }));

    /** First pages of the Services list the instances asked the cluster for: one per scan. */
    const serviceLists = (proxy: CountingProxy) =>
      proxy.requests.filter(
        r =>
          /\/api\/v1\/services\?/.test(r.url) && !/[?&]continue=/.test(r.url),
      ).length;

    beforeAll(async () => {
      sim = await startSimulator({ scenarios: ['edge-chisel'], actors: false });
      shared = await databases.init(postgres!);
      registeredAfter = Date.now();
      // One after the other, as a rolling deployment starts pods: both migrate the same schema.
      for (let i = 0; i < 2; i++) {
        const proxy = await startCountingProxy(sim.url);
        proxies.push(proxy);
        backends.push(await start(connect(), proxy));
      }
    });

    afterAll(async () => {
      for (const backend of backends) await backend.stop();
      for (const knex of connections) await knex.destroy();
      for (const proxy of proxies) await proxy.close();
      await sim?.close();
    });

    it('scans once per period, whichever instance holds the lock', async () => {
      const wanted = 4;
      for (let i = 0; i < 600; i++) {
        const done = (await runs()).filter(r => r.finishedAt !== null);
        if (done.length >= wanted) break;
        await new Promise(r => setTimeout(r, 100));
      }
      const all = await runs();
      const finished = all.filter(r => r.finishedAt !== null);
      expect(finished.length).toBeGreaterThanOrEqual(wanted);
      expect(finished.every(r => r.status === 'ok')).toBe(true);

      // With the lock, scans never overlap: each starts after the previous one finished.
      for (let i = 1; i < finished.length; i++) {
        expect(finished[i].startedAt).toBeGreaterThanOrEqual(
          finished[i - 1].finishedAt!,
        );
      }
      // And there is one scan per period: the scheduler's slots are a period apart from the
      // first registration on, and a late slot is merged, never doubled (the next slot is the
      // later of "previous slot + period" and now). Two schedulers each running the task would
      // scan about twice as often as this allows.
      const last = all[all.length - 1].startedAt;
      const periodMs = PERIOD_SECONDS * 1000;
      expect(all.length).toBeLessThanOrEqual(
        Math.floor((last - registeredAfter) / periodMs) + 1,
      );
      // The cluster saw exactly one Services list per recorded scan, nothing duplicated.
      const lists = serviceLists(proxies[0]) + serviceLists(proxies[1]);
      expect(lists).toBeGreaterThanOrEqual(finished.length);
      expect(lists).toBeLessThanOrEqual(all.length);
    });

    it('serves the same results from both instances', async () => {
      const [a, b] = await Promise.all(
        backends.map(backend =>
          request(backend.server).get('/api/metallb/report?limit=1000'),
        ),
      );
      expect(a.status).toBe(200);
      expect(a.body.totalItems).toBeGreaterThan(0);
      expect(b.body).toEqual(a.body);
      // Rows carry their owner entity on both.
      expect(
        a.body.items.find((s: { name: string }) => s.name === 'storefront')
          ?.entityRefs,
      ).toEqual(['component:default/storefront']);

      const states = await Promise.all(
        backends.map(async backend => {
          const res = await request(backend.server).get(
            '/api/metallb/clusters/edge-chisel',
          );
          return res.body as ClusterState;
        }),
      );
      expect(states[0].lastRun?.status).toBe('ok');
      expect(states[1].scannedAt).toBe(states[0].scannedAt);
    });

    it('takes a manual scan on each instance at the same moment', async () => {
      const answers = await Promise.all(
        backends.map(backend =>
          request(backend.server).post('/api/metallb/scan').send({}),
        ),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.body.clusters).toEqual([
          expect.objectContaining({ cluster: 'edge-chisel', status: 'ok' }),
        ]);
      }
    });
  },
);
