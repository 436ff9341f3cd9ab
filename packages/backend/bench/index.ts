/*
 * Backend benchmark of LB Doctor (issue #3), run by `node packages/backend/bench/run.cjs`:
 *
 * (a) A fleet of 50 simulated clusters of 2,000 LoadBalancer Services each (a child process).
 *     One full scan through the kubernetes plugin's proxy (POST /api/metallb/scan): wall time and
 *     peak memory; in the same run, the same lists fetched through the same proxy with no
 *     analysis and nothing stored. Prints scan / fetch (target <= 1.2).
 * (b) 50 concurrent clients for 20 s per route (autocannon, 4 alternating rounds) on
 *     GET /api/metallb/entity/... beside the catalog's GET /api/catalog/entities/by-name/... on
 *     the same backend, as the baseline (target: metallb's p99 no worse than the catalog's).
 *
 * A real backend (createBackend) with the catalog, kubernetes and metallb plugins on SQLite in
 * memory; callers use a static external-access token. Prints figures; never fails on them.
 * Flags: --clusters=50 --services=2000 --duration=20 --connections=50, and --analysis-workers=N
 * (metallb.scan.analysisWorkers; 0 analyses on the event loop) to compare with the default.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The catalog entity both load tests read; it owns one Service in every cluster. */
const APP = 'checkout';
const TOKEN = randomBytes(24).toString('hex');
/** The scan's defaults (metallb.scan.concurrency and pageLimit), used by the fetch baseline too. */
const CONCURRENCY = 4;
const PAGE_LIMIT = 500;

interface Args {
  clusters: number;
  services: number;
  duration: number;
  connections: number;
  /** metallb.scan.analysisWorkers; -1 keeps the plugin's default. */
  analysisWorkers: number;
}

interface SimulatedCluster {
  name: string;
  url: string;
  token: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    clusters: 50,
    services: 2000,
    duration: 20,
    connections: 50,
    analysisWorkers: -1,
  };
  for (const arg of argv) {
    const m =
      /^--(clusters|services|duration|connections|analysis-workers)=(\d+)$/.exec(
        arg,
      );
    if (!m) throw new Error(`bench: unknown argument ${arg}`);
    const key = m[1] === 'analysis-workers' ? 'analysisWorkers' : m[1];
    args[key as keyof Args] = Number(m[2]);
  }
  return args;
}

const log = (line = '') => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** One HTTP call with no client timeout (a full scan may take minutes). */
function call(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(options.body ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body ? JSON.stringify(options.body) : undefined);
  });
}

async function startFleet(
  args: Args,
): Promise<{ child: ChildProcess; clusters: SimulatedCluster[] }> {
  const child = spawn(
    process.execPath,
    [
      // Up front, so run.cjs does not re-start node: killing a launcher would orphan its child.
      '--expose-gc',
      path.resolve(__dirname, 'run.cjs'),
      '--simulator',
      String(args.clusters),
      String(args.services),
      APP,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', chunk => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end >= 0) resolve(buffer.slice(0, end));
    });
    child.once('exit', code =>
      reject(new Error(`simulator exited with ${code}`)),
    );
  });
  return { child, clusters: JSON.parse(line).clusters };
}

function backendConfig(
  port: number,
  clusters: SimulatedCluster[],
  catalogFile: string,
  analysisWorkers: number,
) {
  return {
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          { type: 'static', options: { token: TOKEN, subject: 'bench' } },
        ],
      },
    },
    catalog: {
      rules: [{ allow: ['Component'] }],
      locations: [{ type: 'file', target: catalogFile }],
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: clusters.map(c => ({
            name: c.name,
            url: c.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: c.token,
            skipTLSVerify: true,
          })),
        },
      ],
    },
    metallb: {
      // The benchmark starts the one scan it measures.
      schedule: {
        frequency: { hours: 24 },
        initialDelay: { hours: 24 },
        timeout: { hours: 1 },
      },
      scan: {
        clusterTimeout: 1800,
        ...(analysisWorkers >= 0 ? { analysisWorkers } : {}),
      },
    },
  };
}

async function waitFor(what: string, check: () => Promise<boolean>) {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`bench: timed out waiting for ${what}`);
}

/** The lists a scan reads (plugins/metallb-backend/src/scan/resources.ts), by path. */
const LISTS = [
  '/api/v1/services',
  '/api/v1/namespaces',
  '/api/v1/nodes',
  '/api/v1/events',
  '/apis/metallb.io/v1beta1/ipaddresspools',
  '/apis/metallb.io/v1beta1/l2advertisements',
  '/apis/metallb.io/v1beta1/bgpadvertisements',
  '/apis/metallb.io/v1beta1/configurationstates',
  '/apis/metallb.io/v1beta1/servicel2statuses',
  '/apis/metallb.io/v1beta1/servicebgpstatuses',
  '/apis/apps/v1/deployments',
  '/apis/apps/v1/daemonsets',
];
const CONFIG_MAPS = [
  '/api/v1/namespaces/metallb-system/configmaps/config',
  '/api/v1/namespaces/kube-system/configmaps/kube-proxy',
  '/api/v1/namespaces/kube-system/configmaps/kubevip',
];

/**
 * Fetches every list of every cluster through the kubernetes proxy as a scan does (clusters
 * `CONCURRENCY` at a time, one request at a time per cluster, pages of `PAGE_LIMIT`), parsing each
 * page (a client must, to follow `continue`) and keeping nothing.
 */
async function fetchOnly(base: string, clusters: SimulatedCluster[]) {
  let objects = 0;
  const queue = [...clusters];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const headers = { 'backstage-kubernetes-cluster': c.name };
      for (const list of LISTS) {
        let cont: string | undefined;
        do {
          const query = new URLSearchParams({ limit: String(PAGE_LIMIT) });
          if (cont) query.set('continue', cont);
          const res = await call(
            'GET',
            `${base}/api/kubernetes/proxy${list}?${query}`,
            { headers },
          );
          const page = res.status === 200 ? JSON.parse(res.body) : {};
          objects += page.items?.length ?? 0;
          cont = page.metadata?.continue || undefined;
        } while (cont);
      }
      for (const configMap of CONFIG_MAPS) {
        await call('GET', `${base}/api/kubernetes/proxy${configMap}`, {
          headers,
        });
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ms: performance.now() - started, objects };
}

/**
 * Peak of heap and RSS while `run` runs, sampled every 10 ms, from a collected heap; and the event
 * loop's delay meanwhile (the backend runs in this process: a long delay stalls its HTTP API).
 */
async function withPeakMemory<T>(run: () => Promise<T>) {
  global.gc?.();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  }, 10);
  try {
    const result = await run();
    return {
      result,
      before,
      peakHeap,
      peakRss,
      loopDelayP99: loopDelay.percentile(99) / 1e6,
      loopDelayMax: loopDelay.max / 1e6,
    };
  } finally {
    clearInterval(timer);
    loopDelay.disable();
  }
}

interface AutocannonResult {
  latency: { p50: number; p99: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
}) => Promise<AutocannonResult>;

/** autocannon is a root devDependency (the repository's tooling), not the backend's. */
const autocannon = createRequire(
  path.resolve(__dirname, '../../../package.json'),
)('autocannon') as Autocannon;

interface LoadFigures {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  failures: number;
}

async function round(url: string, args: Args, durationSeconds: number) {
  const r = await autocannon({
    url,
    connections: args.connections,
    duration: durationSeconds,
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return {
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: r.requests.average,
    requests: r.requests.total,
    failures: r.non2xx + r.errors,
  };
}

function printLoad(label: string, f: LoadFigures) {
  log(
    `  ${label.padEnd(46)} p50 ${String(f.p50).padStart(5)} ms   p99 ${String(
      f.p99,
    ).padStart(5)} ms   ${f.rps.toFixed(0).padStart(6)} req/s   (${
      f.requests
    } requests, ${f.failures} failed)`,
  );
}

/**
 * Both routes under the same load, alternating in rounds (`duration` seconds each in all), so a
 * busy moment of a shared machine does not land on one route only. A route's figures: median p50
 * of its rounds, worst p99, mean requests/s.
 */
async function compareRoutes(
  routes: Array<{ label: string; url: string }>,
  args: Args,
): Promise<LoadFigures[]> {
  const rounds = 4;
  const roundSeconds = Math.max(1, Math.round(args.duration / rounds));
  // A short warm-up so every route is measured hot.
  for (const r of routes) await round(r.url, args, 2);
  const results = routes.map(() => [] as LoadFigures[]);
  for (let i = 0; i < rounds; i++) {
    for (const [k, r] of routes.entries()) {
      results[k].push(await round(r.url, args, roundSeconds));
    }
  }
  return results.map((list, k) => {
    const p50s = list.map(f => f.p50).sort((a, b) => a - b);
    const figures = {
      p50: p50s[Math.floor(p50s.length / 2)],
      p99: Math.max(...list.map(f => f.p99)),
      rps: list.reduce((n, f) => n + f.rps, 0) / list.length,
      requests: list.reduce((n, f) => n + f.requests, 0),
      failures: list.reduce((n, f) => n + f.failures, 0),
    };
    printLoad(routes[k].label, figures);
    return figures;
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  const dir = mkdtempSync(path.join(tmpdir(), 'lb-doctor-bench-'));
  const catalogFile = path.join(dir, 'catalog.yaml');
  writeFileSync(
    catalogFile,
    JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: APP,
        annotations: { 'backstage.io/kubernetes-id': APP },
      },
      spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
    }),
  );

  log(
    `LB Doctor backend benchmark: ${args.clusters} clusters x ${args.services} Services`,
  );
  const fleet = await startFleet(args);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () =>
        new ConfigReader(
          backendConfig(
            port,
            fleet.clusters,
            catalogFile,
            args.analysisWorkers,
          ),
        ),
    }),
  );
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(import('@backstage/plugin-kubernetes-backend'));
  backend.add(import('@lb-doctor/plugin-metallb-backend'));
  try {
    await backend.start();
    await waitFor('the catalog entity', async () => {
      const res = await call(
        'GET',
        `${base}/api/catalog/entities/by-name/component/default/${APP}`,
      );
      return res.status === 200;
    });

    // (a) Scan against fetching the same lists.
    log();
    log('(a) one full scan against fetching the same lists, same proxy');
    const fetch1 = await fetchOnly(base, fleet.clusters);
    const scan = await withPeakMemory(async () => {
      const started = performance.now();
      const res = await call('POST', `${base}/api/metallb/scan`, { body: {} });
      if (res.status !== 200) {
        throw new Error(`scan answered ${res.status}: ${res.body}`);
      }
      const summary = JSON.parse(res.body) as {
        clusters: Array<{ status: string; services: number }>;
      };
      return { ms: performance.now() - started, summary };
    });
    const fetch2 = await fetchOnly(base, fleet.clusters);
    global.gc?.();
    const retained = process.memoryUsage().heapUsed - scan.before.heapUsed;
    const fetchMs = Math.min(fetch1.ms, fetch2.ms);
    const { summary } = scan.result;
    const scanned = summary.clusters.reduce((n, c) => n + c.services, 0);
    const notOk = summary.clusters.filter(c => c.status !== 'ok').length;
    log(
      `  fetch only (no analysis)   ${seconds(fetch1.ms)} then ${seconds(
        fetch2.ms,
      )}, ${fetch1.objects} objects`,
    );
    log(
      `  full scan                  ${seconds(
        scan.result.ms,
      )}, ${scanned} Services stored, ${
        summary.clusters.length
      } clusters (${notOk} not ok)`,
    );
    log(
      `  peak memory during scan    heap ${mb(scan.peakHeap)} (from ${mb(
        scan.before.heapUsed,
      )}), rss ${mb(scan.peakRss)} (from ${mb(
        scan.before.rss,
      )}); retained after scan ${mb(retained)}`,
    );
    log(
      `  event loop delay in scan   p99 ${scan.loopDelayP99.toFixed(
        0,
      )} ms, max ${scan.loopDelayMax.toFixed(0)} ms`,
    );
    const ratio = scan.result.ms / fetchMs;
    log(
      `  scan / fetch               ${ratio.toFixed(2)} (target <= 1.2: ${
        ratio <= 1.2 ? 'met' : 'MISSED'
      })`,
    );

    // (b) Entity endpoint under load, beside the catalog's own.
    log();
    log(
      `(b) ${args.connections} concurrent clients, ${args.duration} s per route in 4 alternating rounds (autocannon)`,
    );
    const entity = await call(
      'GET',
      `${base}/api/metallb/entity/default/component/${APP}`,
    );
    const services = (JSON.parse(entity.body).services ?? []).length;
    const [catalog, metallb] = await compareRoutes(
      [
        {
          label: 'catalog GET /entities/by-name/... (baseline)',
          url: `${base}/api/catalog/entities/by-name/component/default/${APP}`,
        },
        {
          label: `metallb GET /entity/... (${services} Services)`,
          url: `${base}/api/metallb/entity/default/component/${APP}`,
        },
      ],
      args,
    );
    log(
      `  p99 metallb / catalog      ${(
        metallb.p99 / Math.max(catalog.p99, 1)
      ).toFixed(2)} (target <= 1: ${
        metallb.p99 <= catalog.p99 ? 'met' : 'MISSED'
      })`,
    );
  } finally {
    await backend.stop();
    fleet.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
