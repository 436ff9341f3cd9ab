#!/usr/bin/env node
// Asks packages/cluster-simulator and the test bed's real kube-apiserver the same questions about
// the same objects and prints where their answers differ (status codes, Status bodies, list
// metadata and continue tokens, managedFields). A report, not a gate: it always exits 0 unless
// it cannot run.
//
//   scripts/testbed/with-testbed.sh node scripts/testbed/simulator-vs-real.mjs
import http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repo, testbedClient, ApiError } from './lib/kube.mjs';

const require = createRequire(join(repo, 'package.json'));
require('@backstage/cli/config/nodeTransform.cjs');
const { startSimulator } = require(join(
  repo,
  'packages/cluster-simulator/src/index.ts',
));

const NS = 'sim-cmp';
const METALLB_NS = process.env.TESTBED_METALLB_NAMESPACE ?? 'metallb-system';
const services = ['a', 'b', 'c', 'd', 'e'].map(name => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: NS, labels: { app: 'cmp' } },
  spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] },
}));
const namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: NS },
};

// ---- the real side ------------------------------------------------------------------------------
const real = testbedClient({ userAgent: 'lbd-compare' });
const limited = testbedClient({
  kubeconfig: process.env.TESTBED_LIMITED_KUBECONFIG,
});
await real.request('POST', '/api/v1/namespaces', namespace);
for (const s of services)
  await real.request(
    'POST',
    `/api/v1/namespaces/${NS}/services?fieldManager=lbd-compare`,
    s,
  );
// One status write by another manager, as a load-balancer controller makes.
await real.request(
  'PATCH',
  `/api/v1/namespaces/${NS}/services/a/status?fieldManager=other-lb`,
  { status: { loadBalancer: { ingress: [{ ip: '192.0.2.200' }] } } },
  'application/merge-patch+json',
);
const realA = await real.request('GET', `/api/v1/namespaces/${NS}/services/a`);

// ---- the simulator, with the objects as the real server stored them --------------------------------
const stored = (
  await real.request('GET', `/api/v1/namespaces/${NS}/services`)
).items.map(s => ({ apiVersion: 'v1', kind: 'Service', ...s }));
const scenario = (name, extra) => ({
  name,
  token: 'cmp-token',
  user: 'lbd-limited',
  objects: [namespace, ...stored],
  ...extra,
});
const sim = await startSimulator({
  actors: false,
  scenarioObjects: [
    scenario('cmp', { crds: ['metallb'] }),
    scenario('cmp-limited', {
      crds: ['metallb'],
      rbac: [{ apiGroups: [''], resources: ['*'], verbs: ['get', 'list'] }],
    }),
    scenario('cmp-nocrd', {}),
  ],
});
const simUrl = name => sim.clusters.find(c => c.name === name).url;
const simGet = (cluster, path, token = 'cmp-token') =>
  new Promise((resolve, reject) => {
    const url = new URL(simUrl(cluster) + path);
    http
      .get(
        url,
        {
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
          },
        },
        res => {
          let text = '';
          res.on('data', c => (text += c));
          res.on('end', () => {
            let body = text;
            try {
              body = JSON.parse(text);
            } catch {
              // keep text
            }
            resolve({
              status: res.statusCode,
              type: res.headers['content-type'],
              body,
            });
          });
        },
      )
      .on('error', reject);
  });
const realGet = async (client, path) => {
  try {
    return { status: 200, body: await client.request('GET', path) };
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: e.body };
    throw e;
  }
};

// ---- compare ------------------------------------------------------------------------------------------
const differences = [];
const same = [];
const compare = (label, a, b) => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  if (x === y) same.push(label);
  else differences.push({ label, simulator: a, real: b });
};
const statusView = r =>
  typeof r.body === 'object' && r.body?.kind === 'Status'
    ? {
        code: r.status,
        reason: r.body.reason,
        message: r.body.message,
        details: r.body.details,
      }
    : {
        code: r.status,
        body: typeof r.body === 'string' ? r.body.slice(0, 80) : r.body?.kind,
      };

try {
  // 1. An object that does not exist.
  compare(
    'GET a missing Service',
    statusView(await simGet('cmp', `/api/v1/namespaces/${NS}/services/nope`)),
    statusView(await realGet(real, `/api/v1/namespaces/${NS}/services/nope`)),
  );
  // 2. A wrong token (the real side: a token the server does not know).
  {
    const r = await new Promise(resolve => {
      const u = new URL(process.env.TESTBED_APISERVER_URL);
      // Plain https with the CA, bad bearer.
      import('node:https').then(({ default: https }) =>
        https
          .get(
            {
              hostname: u.hostname,
              port: u.port,
              path: `/api/v1/namespaces/${NS}/services`,
              ca: require('node:fs').readFileSync(process.env.TESTBED_CA_FILE),
              headers: {
                Authorization: 'Bearer nope',
                Accept: 'application/json',
              },
            },
            res => {
              let t = '';
              res.on('data', c => (t += c));
              res.on('end', () =>
                resolve({ status: res.statusCode, body: JSON.parse(t) }),
              );
            },
          )
          .on('error', e => resolve({ status: 0, body: String(e) })),
      );
    });
    compare(
      'a wrong bearer token',
      statusView(
        await simGet('cmp', `/api/v1/namespaces/${NS}/services`, 'nope'),
      ),
      statusView(r),
    );
  }
  // 3. Forbidden on metallb.io.
  compare(
    'list ipaddresspools without rights (403)',
    statusView(
      await simGet('cmp-limited', '/apis/metallb.io/v1beta1/ipaddresspools'),
    ),
    statusView(
      await realGet(limited, '/apis/metallb.io/v1beta1/ipaddresspools'),
    ),
  );
  // 4. A group the server does not serve (a cluster without MetalLB's CRDs).
  compare(
    'list ipaddresspools where the CRDs are missing (404)',
    statusView(
      await simGet('cmp-nocrd', '/apis/metallb.io/v1beta1/ipaddresspools'),
    ),
    statusView(
      await realGet(real, '/apis/nothing.example.com/v1beta1/ipaddresspools'),
    ),
  );
  // 5. Pagination.
  const simPage = await simGet(
    'cmp',
    `/api/v1/namespaces/${NS}/services?limit=2`,
  );
  const realPage = await realGet(
    real,
    `/api/v1/namespaces/${NS}/services?limit=2`,
  );
  compare(
    'list metadata keys with limit=2',
    Object.keys(simPage.body.metadata).sort(),
    Object.keys(realPage.body.metadata).sort(),
  );
  compare(
    'remainingItemCount with limit=2',
    simPage.body.metadata.remainingItemCount,
    realPage.body.metadata.remainingItemCount,
  );
  const decode = t => {
    try {
      const j = JSON.parse(Buffer.from(t, 'base64').toString('utf8'));
      return { keys: Object.keys(j).sort(), v: j.v, start: j.start };
    } catch {
      return 'not base64 JSON';
    }
  };
  compare(
    'continue token (decoded)',
    decode(simPage.body.metadata.continue),
    decode(realPage.body.metadata.continue),
  );
  const pages = async get => {
    let token = '';
    const sizes = [];
    do {
      const r = await get(
        `/api/v1/namespaces/${NS}/services?limit=2${
          token ? `&continue=${encodeURIComponent(token)}` : ''
        }`,
      );
      sizes.push(r.body.items.length);
      token = r.body.metadata.continue;
    } while (token);
    return sizes;
  };
  compare(
    'page sizes following continue',
    await pages(p => simGet('cmp', p)),
    await pages(p => realGet(real, p)),
  );
  compare(
    'a garbage continue token',
    statusView(
      await simGet(
        'cmp',
        `/api/v1/namespaces/${NS}/services?limit=2&continue=garbage`,
      ),
    ),
    statusView(
      await realGet(
        real,
        `/api/v1/namespaces/${NS}/services?limit=2&continue=garbage`,
      ),
    ),
  );
  compare(
    'list items carry kind/apiVersion',
    [
      simPage.body.items[0].kind ?? null,
      simPage.body.items[0].apiVersion ?? null,
    ],
    [
      realPage.body.items[0].kind ?? null,
      realPage.body.items[0].apiVersion ?? null,
    ],
  );
  // 6. managedFields: the simulator serves the objects it was given, so they must come back as is.
  const simA = (await simGet('cmp', `/api/v1/namespaces/${NS}/services/a`))
    .body;
  const shape = o =>
    (o.metadata.managedFields ?? []).map(m => ({
      keys: Object.keys(m).sort(),
      manager: m.manager,
      operation: m.operation,
      subresource: m.subresource ?? null,
    }));
  // Against the object the simulator was given (read back from the real server by the list):
  // realA, read by a GET before that list, can be one write behind it.
  const storedA = stored.find(o => o.metadata.name === 'a');
  compare('managedFields of a served object', shape(simA), shape(storedA));
  compare(
    'resourceVersion of a served object',
    simA.metadata.resourceVersion,
    realA.metadata.resourceVersion,
  );
  compare(
    'fieldSelector on an unsupported field',
    statusView(
      await simGet(
        'cmp',
        `/api/v1/namespaces/${NS}/services?fieldSelector=spec.type%3DLoadBalancer`,
      ),
    ),
    statusView(
      await realGet(
        real,
        `/api/v1/namespaces/${NS}/services?fieldSelector=spec.type%3DLoadBalancer`,
      ),
    ),
  );
  // Last, as it removes MetalLB's CRDs from this test bed: the same question after the CRDs go.
  const crds = await real.request(
    'GET',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  );
  for (const c of crds.items.filter(x =>
    x.metadata.name.endsWith('.metallb.io'),
  ))
    await real.request(
      'DELETE',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${c.metadata.name}`,
    );
  let gone;
  for (let i = 0; i < 100; i++) {
    gone = await realGet(real, '/apis/metallb.io/v1beta1/ipaddresspools');
    if (gone.status === 404) break;
    await new Promise(r => setTimeout(r, 100));
  }
  compare(
    'list ipaddresspools after the CRDs were deleted (404)',
    statusView(
      await simGet('cmp-nocrd', '/apis/metallb.io/v1beta1/ipaddresspools'),
    ),
    statusView(gone),
  );
} finally {
  await sim.close();
  real.close();
  limited.close();
}

console.log(
  `simulator vs real kube-apiserver: ${same.length} same, ${differences.length} different`,
);
for (const l of same) console.log(`  same  ${l}`);
for (const d of differences) {
  console.log(`  DIFF  ${d.label}`);
  console.log(`        simulator ${JSON.stringify(d.simulator)}`);
  console.log(`        real      ${JSON.stringify(d.real)}`);
}
