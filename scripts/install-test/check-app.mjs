/*
 * Starts the built create-app backend (which serves the built frontend) against the cluster
 * simulator and checks what a user would see:
 *
 *   node check-app.mjs APP_DIR CONFIG_YAML
 *
 * - GET /api/metallb/report (as the guest user) holds the simulator's edge-chisel findings: the
 *   Chisel operator and MetalLB fighting over edge/edge-gateway (controller-contention);
 * - the frontend bundle the backend serves contains LB Doctor's "Load Balancers" entity tab.
 *
 * The simulator and the backend listen on free loopback ports, so this runs beside the demo.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const [appDir, configFile] = process.argv.slice(2).map(p => path.resolve(p));
const deadline = Date.now() + 240_000;
const children = [];
const logs = { simulator: '', backend: '' };

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function start(name, command, args, options) {
  const child = spawn(command, args, {
    ...options,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const keep = chunk => {
    logs[name] = (logs[name] + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.push(child);
  return child;
}

function stopAll() {
  for (const child of children) {
    if (child.exitCode === null) {
      try {
        // The whole group (yarn, backstage-cli, the backend), at once: a backend that takes its
        // time to shut down must not outlive the test.
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

function fail(message) {
  console.error(`install-test: ${message}`);
  for (const [name, log] of Object.entries(logs)) {
    console.error(`--- last output of the ${name}:\n${log.slice(-6000)}`);
  }
  stopAll();
  process.exit(1);
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function waitFor(what, probe, child) {
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      fail(
        `the ${what} exited with status ${child.exitCode} before it was ready`,
      );
    }
    // `backstage-cli package start` outlives a crashed backend (it waits for a change to restart).
    if (
      /Assertion failed|Backend startup failed|Backend failed to start/.test(
        logs.backend,
      )
    ) {
      fail(`the backend crashed while waiting for ${what}`);
    }
    try {
      const result = await probe();
      if (result) return result;
    } catch {
      /* not yet */
    }
    await sleep(500);
  }
  return fail(`timed out waiting for ${what}`);
}

process.on('SIGINT', () => fail('interrupted'));
process.on('SIGTERM', () => fail('terminated'));
process.on('uncaughtException', error =>
  fail(`unexpected: ${error.stack ?? error}`),
);
process.on('unhandledRejection', error =>
  fail(`unexpected: ${error?.stack ?? error}`),
);

const simPort = await freePort();
const backendPort = await freePort();
const base = `http://127.0.0.1:${backendPort}`;

const simulator = start(
  'simulator',
  process.execPath,
  [
    path.join(root, 'packages/cluster-simulator/bin/cluster-simulator'),
    '--port',
    String(simPort),
    '--scenario',
    'edge-chisel',
    '--scenario',
    'healthy-dc',
  ],
  { cwd: root },
);
await waitFor(
  'cluster simulator',
  async () =>
    (
      await fetch(`http://127.0.0.1:${simPort}/clusters/edge-chisel/healthz`)
    ).ok,
  simulator,
);

// Only what differs from the app's own app-config.yaml: ports and clusters. The README's metallb
// block is the second config file.
const cluster = name => ({
  name,
  url: `http://127.0.0.1:${simPort}/clusters/${name}`,
  authProvider: 'serviceAccount',
  serviceAccountToken: 'lb-doctor-demo-token',
  skipTLSVerify: true,
});
const testConfig = {
  app: { baseUrl: base },
  backend: {
    baseUrl: base,
    listen: { port: backendPort, host: '127.0.0.1' },
    database: { client: 'better-sqlite3', connection: ':memory:' },
  },
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [cluster('edge-chisel'), cluster('healthy-dc')],
      },
    ],
  },
};
const portsConfig = path.join(appDir, 'app-config.install-test-ports.json');
fs.writeFileSync(portsConfig, JSON.stringify(testConfig, null, 2));

const backend = start(
  'backend',
  'yarn',
  [
    'workspace',
    'backend',
    'start',
    '--require',
    path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      'sqlite-workaround.cjs',
    ),
    '--config',
    path.join(appDir, 'app-config.yaml'),
    '--config',
    configFile,
    '--config',
    portsConfig,
  ],
  { cwd: appDir },
);

await waitFor(
  'backend',
  async () => (await fetch(`${base}/api/metallb/health`)).ok,
  backend,
);

// Sign in as the guest user, as the frontend does.
const { backstageIdentity } = await waitFor(
  'guest sign-in',
  async () => {
    const res = await fetch(
      `${base}/api/auth/guest/refresh?optional&env=development`,
      {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      },
    );
    return res.ok ? res.json() : undefined;
  },
  backend,
);
const headers = { Authorization: `Bearer ${backstageIdentity.token}` };

// The scheduled scan runs at startup; wait for its result rather than forcing one.
const report = await waitFor(
  "a report with the simulator's findings",
  async () => {
    const res = await fetch(`${base}/api/metallb/report`, { headers });
    if (!res.ok) throw new Error(`GET /api/metallb/report: ${res.status}`);
    const body = await res.json();
    return body.items?.length ? body : undefined;
  },
  backend,
);

// Both simulated clusters were scanned; the fleet report lists the Services with findings.
const clusterList = await (
  await fetch(`${base}/api/metallb/clusters`, { headers })
).json();
const clusterItems = Array.isArray(clusterList)
  ? clusterList
  : clusterList.items ?? [];
for (const name of ['edge-chisel', 'healthy-dc']) {
  const c = clusterItems.find(i => i.name === name);
  // Either shape of the cluster list: { lastRun: { status }, summary: { services } } or the older
  // { lastScan: { ok }, services }.
  const scanned = c?.lastRun?.status === 'ok' || c?.lastScan?.ok === true;
  const services = c?.summary?.services ?? c?.services ?? 0;
  if (!scanned || !services) {
    fail(
      `GET /api/metallb/clusters: ${name} not scanned: ${JSON.stringify(c)}`,
    );
  }
}
const clusters = new Set(report.items.map(i => i.cluster));
// Report items are the Service's report with its cluster (older backends nested it in `service`).
const serviceOf = item => item.service ?? item;
const gateway = report.items.find(
  i =>
    i.cluster === 'edge-chisel' &&
    serviceOf(i).namespace === 'edge' &&
    serviceOf(i).name === 'edge-gateway',
);
if (!gateway) fail('report has no edge-chisel Service edge/edge-gateway');
const rules = serviceOf(gateway).findings.map(f => f.rule);
if (!rules.includes('controller-contention')) {
  fail(
    `edge/edge-gateway has findings [${rules}], expected controller-contention`,
  );
}
console.log(
  `install-test: /api/metallb/report: ${report.items.length} Services in ${
    clusters.size
  } clusters; edge/edge-gateway: ${rules.join(', ')}`,
);

// The frontend the backend serves: index.html, then its scripts, must hold the entity tab.
const html = await (await fetch(`${base}/`)).text();
if (!html.includes('<div id="root">')) fail('GET / did not return the app');
const distDir = path.join(appDir, 'packages/app/dist/static');
const bundle = fs
  .readdirSync(distDir)
  .filter(f => f.endsWith('.js'))
  .map(f => fs.readFileSync(path.join(distDir, f), 'utf8'))
  .join('\n');
for (const needle of [
  '@lb-doctor/plugin-metallb', // discovered through app.packages: all
  'metallb:entity-content', // the tab's route
  'Load Balancers', // its title
  '"load-balancers"', // its path
]) {
  if (!bundle.includes(needle))
    fail(`the app's frontend bundle does not contain "${needle}"`);
}
// The bundle the backend serves is that one.
const served = [...html.matchAll(/src="([^"]+\.js)"/g)].map(m => m[1]);
if (!served.length) fail('index.html references no script');
const firstScript = await fetch(new URL(served[0], base));
if (!firstScript.ok) fail(`GET ${served[0]}: ${firstScript.status}`);
console.log(
  'install-test: the frontend bundle contains the Load Balancers entity tab',
);

stopAll();
process.exit(0);
