#!/usr/bin/env node
// Differential test of the engine against the real MetalLB controller of a running test bed.
//
// Random scenarios (pools, namespaces, Services) come from a seeded PRNG. Each Service is created
// on the real kube-apiserver; the engine predicts, from the objects as they were before MetalLB
// acted (the cluster before the step plus the API server's answer to the create), the IPs, the
// pool annotation and the Events; then MetalLB's real answer is read and compared. After each
// batch the engine must also see MetalLB's own result as stable.
//
//   scripts/testbed/with-testbed.sh node scripts/testbed/differential.mjs [options]
//     --seed N          reproduce a run (the seed is printed at the start)
//     --scenarios N     how many scenarios (default 500)
//     --batch N         confined scenarios run together (default 25)
//     --only K[,K...]   run only these scenario numbers (same seed)
//     --dump-dir DIR    write each disagreeing scenario as YAML (namespaces, pools, Services)
//     --verbose         print every disagreement in full
//
// Scenarios must not interact when run together. Most are "confined": each of their pools has a
// serviceAllocation that only matches their own namespaces or Services (namespaces, or selectors
// that always include the scenario's own label), and their addresses come from a block no other
// scenario uses; such scenarios run in batches. "Open" scenarios may have unrestricted pools (the
// fallback every namespace can reach), so they run alone. Within a scenario the Services are
// created one step at a time; after each step a marker Service is created last and, since
// MetalLB's service controller has one worker and a FIFO queue, its IP and Event mean MetalLB has
// finished with everything created before it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  ApiError,
  loadEngine,
  repo,
  sleep,
  testbedClient,
} from './lib/kube.mjs';
import { classify, KNOWN } from './lib/known-differences.mjs';

const args = process.argv.slice(2);
const flag = name => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SEED = Number(flag('seed') ?? Math.floor(Math.random() * 2 ** 31));
const COUNT = Math.min(4096, Number(flag('scenarios') ?? 500));
const BATCH = Number(flag('batch') ?? 25);
const ONLY = flag('only')?.split(',').map(Number);
const DUMP_DIR = flag('dump-dir');
const VERBOSE = args.includes('--verbose');
const METALLB_NS = process.env.TESTBED_METALLB_NAMESPACE ?? 'metallb-system';
const METALLB_VERSION = (
  process.env.TESTBED_METALLB_VERSION ?? 'v0.16.1'
).replace(/^v/, '');
const POOL_ANNOTATION = 'metallb.io/ip-allocated-from-pool';

console.log(
  `differential: seed ${SEED} (reproduce with --seed ${SEED}), ${COUNT} scenarios, MetalLB ${METALLB_VERSION}`,
);

// ---- seeded PRNG ------------------------------------------------------------------------------
function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- addresses --------------------------------------------------------------------------------
const v4 = n =>
  [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
// Each scenario owns 4096 IPv4 addresses from 10.0.0.0/8 (up to 4096 scenarios) and one IPv6
// /64 below fd00:1bd::/32; its pool entries take 16-address slots of that block, never beyond
// it, so no two entries overlap (an overlap makes MetalLB reject the whole configuration).
const SLOTS = 256;
const v4Base = k => (10 << 24) + k * SLOTS * 16;
const v6 = (k, n) => `fd00:1bd:${k.toString(16)}::${n.toString(16)}`;

// ---- scenario generator -----------------------------------------------------------------------
// Names only (never the scenarios' content) carry a per-run nonce, so runs can share a test bed.
const runTag = `${(SEED % 1296).toString(36).padStart(2, '0')}${Math.floor(
  Math.random() * 1296,
)
  .toString(36)
  .padStart(2, '0')}`;

function generate(k, rnd) {
  const chance = p => rnd() < p;
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = list => list[Math.floor(rnd() * list.length)];
  const some = list => list.filter(() => chance(0.5));
  const id = `d${runTag}-${String(k).padStart(4, '0')}`;
  const scn = String(k);
  const open = chance(0.1);

  const namespaces = ['a', 'b'].slice(0, int(1, 2)).map(suffix => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: `${id}-${suffix}`,
      labels: { 'lbd-diff': '1', 'lbd-scn': scn, team: pick(['red', 'blue']) },
    },
  }));
  const nsNames = namespaces.map(n => n.metadata.name);

  // Pool entries
  let slot = 0;
  let v6slot = 1;
  const entries = []; // { family, text, first, last } (first/last as strings; v4 as numbers too)
  const v4Entry = () => {
    const kind = pick(['cidr', 'cidr', 'range', 'edge']);
    let edge = slot;
    while (edge % 16 !== 15) edge++;
    if (kind === 'edge' && edge + 2 <= SLOTS) {
      // A slot that holds x.x.x.255 and the next x.x.x.0: avoidBuggyIPs matters there.
      slot = edge;
      const start = v4Base(k) + slot * 16 + int(12, 15);
      const end = start + int(1, 4);
      slot += 2;
      return {
        family: 'ipv4',
        text: chance(0.5)
          ? `${v4(start)}-${v4(end)}`
          : `${v4(start)} - ${v4(end)}`,
        lo: start,
        hi: end,
      };
    }
    if (slot >= SLOTS) throw new Error(`scenario ${k}: out of address slots`);
    const at = v4Base(k) + slot * 16;
    slot++;
    if (kind === 'range') {
      const start = at + int(0, 7);
      const end = start + int(0, 6);
      return {
        family: 'ipv4',
        text: `${v4(start)}-${v4(end)}`,
        lo: start,
        hi: end,
      };
    }
    const prefix = pick([32, 31, 30, 30, 29, 28]);
    const size = 2 ** (32 - prefix);
    return {
      family: 'ipv4',
      text: `${v4(at)}/${prefix}`,
      lo: at,
      hi: at + size - 1,
    };
  };
  const v6Entry = () => {
    const at = v6slot * 16;
    v6slot++;
    if (chance(0.5)) {
      const start = at + int(0, 5);
      const end = start + int(0, 5);
      return {
        family: 'ipv6',
        text: `${v6(k, start)}-${v6(k, end)}`,
        lo: start,
        hi: end,
        k,
      };
    }
    const prefix = pick([128, 127, 126, 125]);
    return {
      family: 'ipv6',
      text: `${v6(k, at)}/${prefix}`,
      lo: at,
      hi: at + 2 ** (128 - prefix) - 1,
      k,
    };
  };
  const addressOf = (entry, n) =>
    entry.family === 'ipv4' ? v4(n) : v6(entry.k, n);

  const selectorFor = (labels, expression) => {
    const sel = { matchLabels: { 'lbd-scn': scn, ...labels } };
    if (expression) sel.matchExpressions = [expression];
    return sel;
  };
  const pools = [];
  const poolCount = int(1, 3);
  for (let i = 0; i < poolCount; i++) {
    const shape = pick(['v4', 'v4', 'v4', 'v6', 'dual', 'dual']);
    const poolEntries = [];
    if (shape !== 'v6') poolEntries.push(v4Entry());
    if (shape !== 'v4') poolEntries.push(v6Entry());
    if (chance(0.3)) poolEntries.push(shape === 'v6' ? v6Entry() : v4Entry());
    entries.push(...poolEntries.map(e => ({ ...e, pool: `${id}-p${i}` })));
    const spec = { addresses: poolEntries.map(e => e.text) };
    if (chance(0.2)) spec.autoAssign = false;
    else if (chance(0.2)) spec.autoAssign = true;
    if (chance(0.3)) spec.avoidBuggyIPs = true;
    if (!open || chance(0.5)) {
      const alloc = {};
      if (chance(0.5)) alloc.namespaces = some(nsNames);
      if (chance(0.3))
        alloc.namespaceSelectors = [
          chance(0.5)
            ? selectorFor(chance(0.5) ? { team: pick(['red', 'blue']) } : {})
            : selectorFor(
                {},
                {
                  key: 'team',
                  operator: pick(['In', 'NotIn']),
                  values: [pick(['red', 'blue'])],
                },
              ),
        ];
      if (chance(0.3))
        alloc.serviceSelectors = [
          chance(0.6)
            ? selectorFor(chance(0.6) ? { app: pick(['x', 'y']) } : {})
            : selectorFor({}, { key: 'app', operator: 'Exists' }),
        ];
      if (chance(0.4)) alloc.priority = int(1, 3);
      if (alloc.namespaces?.length === 0) delete alloc.namespaces;
      const confining =
        alloc.namespaces || alloc.namespaceSelectors || alloc.serviceSelectors;
      if (!confining && !open) alloc.namespaces = [...nsNames];
      spec.serviceAllocation = alloc;
    }
    pools.push({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: {
        name: `${id}-p${i}`,
        namespace: METALLB_NS,
        labels: { 'lbd-diff': '1', 'lbd-scn': scn },
      },
      spec,
    });
  }

  // Services
  const requested = [];
  const ipOf = family => {
    const own = entries.filter(e => e.family === family);
    if (requested.length > 0 && chance(0.3)) {
      const same = requested.filter(
        ip => ip.includes(':') === (family === 'ipv6'),
      );
      if (same.length > 0) return pick(same);
    }
    if (own.length > 0 && chance(0.8)) {
      const e = pick(own);
      return addressOf(e, int(e.lo, e.hi));
    }
    return family === 'ipv4'
      ? `192.0.2.${int(1, 254)}`
      : `2001:db8::${int(1, 999)}`;
  };
  const services = [];
  const serviceCount = int(1, 4);
  const portChoices = [
    { port: 80, protocol: 'TCP' },
    { port: 443, protocol: 'TCP' },
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ];
  for (let i = 0; i < serviceCount; i++) {
    const app = pick(['x', 'y']);
    const annotations = {};
    const spec = {
      type: 'LoadBalancer',
      selector: { app },
      ports: (chance(0.6) ? [pick(portChoices)] : some(portChoices)).map(
        (p, j, all) => ({ ...p, ...(all.length > 1 ? { name: `p${j}` } : {}) }),
      ),
    };
    if (spec.ports.length === 0) spec.ports = [{ port: 80, protocol: 'TCP' }];
    if (chance(0.3)) spec.externalTrafficPolicy = 'Local';
    else if (chance(0.2)) spec.externalTrafficPolicy = 'Cluster';
    const fam = pick([
      'v4',
      'v4',
      'v4',
      'v4',
      'v6',
      'prefer',
      'prefer6',
      'require',
      'single4',
    ]);
    let family = 'ipv4';
    if (fam === 'v6') {
      spec.ipFamilies = ['IPv6'];
      family = 'ipv6';
    } else if (fam === 'single4') {
      spec.ipFamilyPolicy = 'SingleStack';
      spec.ipFamilies = ['IPv4'];
    } else if (fam === 'prefer') {
      spec.ipFamilyPolicy = 'PreferDualStack';
      family = 'dual';
    } else if (fam === 'prefer6') {
      spec.ipFamilyPolicy = 'PreferDualStack';
      spec.ipFamilies = ['IPv6', 'IPv4'];
      family = 'dual';
    } else if (fam === 'require') {
      spec.ipFamilyPolicy = 'RequireDualStack';
      family = 'dual';
    }
    const wantIps = () => {
      const wrong = chance(0.1);
      if (family === 'dual') {
        if (chance(0.6) && !wrong) return [ipOf('ipv4'), ipOf('ipv6')];
        return [ipOf(chance(0.5) ? 'ipv4' : 'ipv6')];
      }
      const f = wrong ? (family === 'ipv4' ? 'ipv6' : 'ipv4') : family;
      const ips = [ipOf(f)];
      if (chance(0.05)) ips.push(ipOf(f)); // two of one family: refused
      return ips;
    };
    const mode = pick([
      'none',
      'none',
      'none',
      'none',
      'ann',
      'ann',
      'ann',
      'lbip',
      'lbip',
      'both',
      'pool',
      'pool',
    ]);
    const annKey = chance(0.08) ? 'metallb.universe.tf' : 'metallb.io';
    if (mode === 'ann' || mode === 'both') {
      const ips = wantIps();
      requested.push(...ips);
      let value = ips.join(chance(0.3) ? ', ' : ',');
      if (chance(0.04)) value = pick(['10.0.0.300', 'banana', '']);
      annotations[`${annKey}/loadBalancerIPs`] = value;
    }
    if (mode === 'lbip' || mode === 'both') {
      const [ip] = wantIps();
      requested.push(ip);
      spec.loadBalancerIP = ip;
    }
    if (mode === 'pool' || chance(0.08)) {
      annotations[`${annKey}/address-pool`] =
        chance(0.85) && pools.length > 0
          ? pick(pools).metadata.name
          : `${id}-nope`;
    }
    if (chance(0.35))
      annotations[
        `${chance(0.1) ? 'metallb.universe.tf' : 'metallb.io'}/allow-shared-ip`
      ] = chance(0.8) ? 'k1' : 'k2';
    if (chance(0.04)) spec.loadBalancerClass = 'example.com/other';
    services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: `s${i}`,
        namespace: pick(nsNames),
        labels: { 'lbd-diff': '1', 'lbd-scn': scn, app },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec,
    });
  }
  return { k, id, open, namespaces, pools, services };
}

const scenarios = [];
{
  const rnd = mulberry32(SEED);
  for (let k = 0; k < COUNT; k++) {
    // Each scenario gets its own stream, so --only K reproduces scenario K exactly.
    const s = generate(k, mulberry32(Math.floor(rnd() * 2 ** 31)));
    if (!ONLY || ONLY.includes(k)) scenarios.push(s);
  }
}

// ---- test bed state, kept current by two watches ------------------------------------------------
const api = testbedClient();
const engine = loadEngine();
const services = new Map(); // uid -> Service
const eventsByUid = new Map(); // involvedObject.uid -> Map(event name -> {type, reason, message})
// All Services, not only ours: MetalLB sees them all, so the engine must too.
const stopServices = await api.watch('/api/v1/services', (type, obj) => {
  if (type === 'DELETED') services.delete(obj.metadata.uid);
  else services.set(obj.metadata.uid, obj);
});
const stopEvents = await api.watch(
  '/api/v1/events?fieldSelector=source%3Dmetallb-controller',
  (type, ev) => {
    if (type === 'DELETED') return;
    const uid = ev.involvedObject?.uid;
    if (!uid) return;
    let m = eventsByUid.get(uid);
    if (!m) eventsByUid.set(uid, (m = new Map()));
    if (!m.has(ev.metadata.name))
      m.set(ev.metadata.name, {
        type: ev.type,
        reason: ev.reason,
        message: ev.message,
      });
  },
);

const realOf = service => {
  const live = services.get(service.metadata.uid) ?? service;
  const distinct = [];
  for (const e of eventsByUid.get(service.metadata.uid)?.values() ?? [])
    if (!distinct.some(d => JSON.stringify(d) === JSON.stringify(e)))
      distinct.push(e);
  return {
    ips: (live.status?.loadBalancer?.ingress ?? [])
      .map(i => i.ip)
      .filter(Boolean),
    pool: live.metadata.annotations?.[POOL_ANNOTATION] ?? null,
    events: distinct,
  };
};

const create = (path, obj) => api.request('POST', path, obj);
const svcPath = ns => `/api/v1/namespaces/${ns}/services`;
const poolPath = `/apis/metallb.io/v1beta1/namespaces/${METALLB_NS}/ipaddresspools`;
const MARK_NS = `lbd-diff-${runTag}-mark`;
await create('/api/v1/namespaces', {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: MARK_NS, labels: { 'lbd-diff': '1' } },
}).catch(e => {
  if (!(e instanceof ApiError && e.status === 409)) throw e;
});

const namespaceObjects = []; // as the API server returned them
const createdNamespaces = new Set();

let markerCount = 0;
/** Creates a marker Service in the batch's marker pool and waits until MetalLB gave it an IP. */
async function settle(markPool, { event = true, timeoutMs = 30000 } = {}) {
  const marker = await create(svcPath(MARK_NS), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: `m${markerCount++}`,
      labels: { 'lbd-diff': '1', 'lbd-mark': markPool },
      annotations: { 'metallb.io/address-pool': markPool },
    },
    spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = services.get(marker.metadata.uid);
    const done =
      live?.status?.loadBalancer?.ingress?.length > 0 &&
      (!event ||
        [...(eventsByUid.get(marker.metadata.uid)?.values() ?? [])].some(
          e => e.reason === 'IPAllocated',
        ));
    if (done) return marker;
    if (Date.now() > deadline) {
      // The usual cause is an invalid configuration (MetalLB then keeps the previous one).
      const state = await api
        .request(
          'GET',
          `/apis/metallb.io/v1beta1/namespaces/${METALLB_NS}/configurationstates/controller`,
        )
        .catch(e => ({ status: e.message }));
      throw new Error(
        `MetalLB did not settle within ${timeoutMs} ms (marker ${
          marker.metadata.name
        }); ConfigurationState: ${JSON.stringify(state.status)}`,
      );
    }
    await sleep(15);
  }
}

const timing = { predict: 0, setup: 0, settle: 0, events: 0, cleanup: 0 };
const timed = async (what, fn) => {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    timing[what] += Date.now() - t;
  }
};
const predict = (objects, keys) => {
  const t = Date.now();
  try {
    return predictNow(objects, keys);
  } finally {
    timing.predict += Date.now() - t;
  }
};
const predictNow = (objects, keys) => {
  const { snapshot } = engine.snapshotFromObjects('testbed', objects, {
    knownEmpty: ['services', 'namespaces', 'ipAddressPools'],
  });
  const report = engine.analyzeCluster(snapshot, {
    metallbVersion: METALLB_VERSION,
    metallbLbClass: null,
  });
  const out = new Map();
  for (const s of report.services)
    if (keys.has(`${s.namespace}/${s.name}`))
      out.set(`${s.namespace}/${s.name}`, s);
  return out;
};

/**
 * What MetalLB shows after it is done with new Services. Its own status write makes it reconcile
 * each Service once more (the watch sees the update), so the end state is the engine's prediction
 * applied, then predicted again: e.g. a PreferDualStack Service that got one IP is tried for the
 * other family from the same pool in that second pass (AdditionalAssignFailed). Returns, per
 * Service key, the IPs and pool after the passes and the distinct Events of all of them.
 */
function followUp(context, fresh, predicted) {
  const out = new Map();
  let current = fresh;
  let verdicts = predicted;
  for (const o of fresh) {
    const key = `${o.metadata.namespace}/${o.metadata.name}`;
    const v = predicted.get(key)?.metallb;
    if (v)
      out.set(key, {
        ips: v.ips,
        pool: v.ips.length > 0 ? v.pool : null,
        events: [...v.events],
      });
  }
  for (let pass = 0; pass < 2; pass++) {
    let wrote = false;
    current = current.map(o => {
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      const v = verdicts.get(key)?.metallb;
      if (!v?.writes) return o;
      wrote = true;
      const annotations = { ...o.metadata.annotations };
      if (v.ips.length > 0 && v.pool) annotations[POOL_ANNOTATION] = v.pool;
      else delete annotations[POOL_ANNOTATION];
      return {
        ...o,
        metadata: { ...o.metadata, annotations },
        status: {
          loadBalancer:
            v.ips.length > 0
              ? { ingress: v.ips.map(ip => ({ ip, ipMode: 'VIP' })) }
              : {},
        },
      };
    });
    if (!wrote) break;
    verdicts = predict([...context, ...current], new Set(out.keys()));
    for (const [key, v] of verdicts) {
      const acc = out.get(key);
      acc.ips = v.metallb.ips;
      acc.pool = v.metallb.ips.length > 0 ? v.metallb.pool : null;
      acc.events.push(...v.metallb.events);
    }
  }
  for (const acc of out.values()) acc.events = distinctEvents(acc.events);
  return out;
}

const distinctEvents = list => {
  const out = [];
  for (const e of list)
    if (!out.some(d => JSON.stringify(d) === JSON.stringify(e)))
      out.push({ type: e.type, reason: e.reason, message: e.message });
  return out;
};

// ---- run ----------------------------------------------------------------------------------------
const results = new Map(); // k -> { scenario, diffs: [] }
let batchNo = 0;
const started = Date.now();

const pendingCleanups = [];
async function runBatch(batch, { waitForCleanup = true } = {}) {
  const b = batchNo++;
  const markPool = `lbd-mark-${runTag}-${b}`;
  // namespaces, then pools (marker pool last: once MetalLB uses it, it has loaded the others)
  const newNs = await Promise.all(
    batch.flatMap(s => s.namespaces).map(n => create('/api/v1/namespaces', n)),
  );
  namespaceObjects.push(...newNs);
  const pools = await Promise.all(
    batch.flatMap(s => s.pools).map(p => create(poolPath, p)),
  );
  const markerPool = await create(poolPath, {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name: markPool, namespace: METALLB_NS },
    spec: {
      addresses: [`100.65.${b >> 2}.${(b & 3) * 64}/26`],
      serviceAllocation: {
        serviceSelectors: [{ matchLabels: { 'lbd-mark': markPool } }],
      },
    },
  });
  await timed('setup', () => settle(markPool));
  const allPools = [...pools, markerPool];
  const created = []; // [scenario, service as created]
  const steps = Math.max(...batch.map(s => s.services.length));
  for (let step = 0; step < steps; step++) {
    const before = [...services.values()];
    const todo = batch
      .filter(s => s.services[step])
      .map(s => [s, s.services[step]])
      .sort(([, x], [, y]) =>
        `${x.metadata.namespace}/${x.metadata.name}`.localeCompare(
          `${y.metadata.namespace}/${y.metadata.name}`,
        ),
      );
    const fresh = [];
    // Confined scenarios cannot interact, so their Services go in together. An open scenario runs
    // alone with one Service per step; its order equals the engine's anyway.
    const posted = await Promise.all(
      todo.map(([s, manifest]) =>
        create(svcPath(manifest.metadata.namespace), manifest).then(
          obj => [s, obj],
          e => {
            // The API server refused the manifest (e.g. an invalid loadBalancerIP): nothing to compare.
            s.refused = (s.refused ?? []).concat(
              `${manifest.metadata.name}: ${e.message}`,
            );
            return undefined;
          },
        ),
      ),
    );
    fresh.push(...posted.filter(Boolean));
    const keys = new Set(
      fresh.map(([, o]) => `${o.metadata.namespace}/${o.metadata.name}`),
    );
    const context = [...namespaceObjects, ...allPools, ...before];
    const predicted = predict([...context, ...fresh.map(([, o]) => o)], keys);
    const expected = followUp(
      context,
      fresh.map(([, o]) => o),
      predicted,
    );
    // The first marker passes each new Service's first reconcile; MetalLB's own status write
    // queues a second reconcile behind that marker, which the second marker passes.
    // Only needed when MetalLB wrote one of them (its write is what queues the second pass).
    await timed('settle', () => settle(markPool, { event: false }));
    const wrote = fresh.some(
      ([, o]) =>
        services.get(o.metadata.uid)?.metadata.resourceVersion !==
        o.metadata.resourceVersion,
    );
    if (wrote) await timed('settle', () => settle(markPool));
    // client-go's recorder posts each Event from its own goroutine, so a Service's Event can land
    // after the marker's: wait (bounded) until each Service shows as many Events as predicted.
    const until = Date.now() + 2000;
    const short = () =>
      fresh.some(([, o]) => {
        const want =
          expected.get(`${o.metadata.namespace}/${o.metadata.name}`)?.events
            .length ?? 0;
        return realOf(o).events.length < want;
      });
    await timed('events', async () => {
      while (short() && Date.now() < until) await sleep(20);
    });
    for (const [s, obj] of fresh) {
      const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
      const p = predicted.get(key);
      const real = realOf(obj);
      const mine = expected.get(key) ?? {
        ips: [],
        pool: null,
        events: [],
        missing: true,
      };
      if (JSON.stringify(mine) !== JSON.stringify(real)) {
        results.get(s.k).diffs.push({
          phase: 'create',
          service: key,
          object: obj,
          predicted: mine,
          real,
          verdict: p?.metallb,
        });
      }
      created.push([s, obj]);
    }
  }
  // Stability: on MetalLB's own result, the engine must predict no change.
  const now = [...services.values()];
  const keys = new Set(
    created.map(([, o]) => `${o.metadata.namespace}/${o.metadata.name}`),
  );
  const predicted = predict([...namespaceObjects, ...allPools, ...now], keys);
  for (const [s, obj] of created) {
    const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
    const p = predicted.get(key)?.metallb;
    const real = realOf(obj);
    const lastReal = real.events.at(-1) ?? null;
    let ok;
    if (obj.spec.loadBalancerClass) ok = p?.outcome === 'ignore';
    else if (real.ips.length > 0)
      ok =
        p?.outcome === 'keep' &&
        JSON.stringify(p.ips) === JSON.stringify(real.ips);
    else
      ok =
        p?.outcome === 'fail' &&
        (p.event === null
          ? real.events.length === 0
          : real.events.some(
              e => JSON.stringify(e) === JSON.stringify(p.event),
            ));
    // Pools that Services created after this one took addresses from: a failure Event written
    // before that no longer describes the pool (see pool-taken-after-failure).
    const index = created.findIndex(
      ([, o]) => o.metadata.uid === obj.metadata.uid,
    );
    const laterPools = created
      .slice(index + 1)
      .map(
        ([, o]) =>
          services.get(o.metadata.uid)?.metadata.annotations?.[
            'metallb.io/ip-allocated-from-pool'
          ],
      )
      .filter(Boolean);
    if (!ok)
      results.get(s.k).diffs.push({
        phase: 'stable',
        service: key,
        laterPools,
        object: services.get(obj.metadata.uid) ?? obj,
        predicted: {
          outcome: p?.outcome,
          ips: p?.ips,
          event: p?.event ?? null,
          events: p?.events,
        },
        real: { ...real, last: lastReal },
        verdict: p,
      });
  }
  // Clean up: Services first (MetalLB releases their IPs), then the pools. Namespaces stay: without
  // kube-controller-manager they would only hang in Terminating.
  const cleanupStart = Date.now();
  const doomed = [...services.values()].filter(
    o =>
      o.metadata.namespace === MARK_NS ||
      keys.has(`${o.metadata.namespace}/${o.metadata.name}`),
  );
  const cleanup = (async () => {
    await Promise.all(
      doomed.map(o =>
        api
          .request(
            'DELETE',
            `${svcPath(o.metadata.namespace)}/${o.metadata.name}`,
          )
          .catch(() => {}),
      ),
    );
    await Promise.all(
      allPools.map(p =>
        api.request('DELETE', `${poolPath}/${p.metadata.name}`).catch(() => {}),
      ),
    );
  })();
  // Confined scenarios never reach each other's addresses, so the next batch need not wait.
  pendingCleanups.push(cleanup);
  if (waitForCleanup) await Promise.all(pendingCleanups);
  const gone = Date.now() + (waitForCleanup ? 10000 : 0);
  while (doomed.some(o => services.has(o.metadata.uid)) && Date.now() < gone)
    await sleep(10);
  timing.cleanup += Date.now() - cleanupStart;
}

const YAML = createRequire(join(repo, 'package.json'))('yaml');
const dumpScenario = (s, diffs) => {
  mkdirSync(DUMP_DIR, { recursive: true });
  const file = join(DUMP_DIR, `seed-${SEED}-scenario-${s.k}.yaml`);
  const header = [
    `# differential.mjs --seed ${SEED} --only ${s.k}: engine and MetalLB ${METALLB_VERSION} disagree`,
    ...diffs.map(
      d =>
        `# ${d.phase} ${d.service}\n#   predicted ${JSON.stringify(
          d.predicted,
        )}\n#   real      ${JSON.stringify(d.real)}`,
    ),
    `# Apply in this order; the Services one at a time, each after MetalLB handled the previous one.`,
  ].join('\n');
  const docs = [...s.namespaces, ...s.pools, ...s.services].map(o =>
    YAML.stringify(o),
  );
  writeFileSync(file, `${header}\n${docs.join('---\n')}`);
  return file;
};

try {
  for (const s of scenarios) results.set(s.k, { scenario: s, diffs: [] });
  const confined = scenarios.filter(s => !s.open);
  const batches = [];
  for (let i = 0; i < confined.length; i += BATCH)
    batches.push(confined.slice(i, i + BATCH));
  for (const s of scenarios.filter(x => x.open)) batches.push([s]);
  for (const [i, batch] of batches.entries()) {
    // Before an open scenario, wait until the previous Services are gone: MetalLB could otherwise
    // still reprocess one of them and hand it an address of the open scenario's unrestricted pools.
    await runBatch(batch, {
      waitForCleanup: batches[i + 1]?.[0].open ?? false,
    });
    if ((i + 1) % 10 === 0)
      console.log(
        `  ${i + 1}/${batches.length} batches, ${(
          (Date.now() - started) /
          1000
        ).toFixed(0)} s`,
      );
  }
  await Promise.all(pendingCleanups);
} finally {
  stopServices();
  stopEvents();
  api.close();
}

// ---- report -------------------------------------------------------------------------------------
let agree = 0;
let explained = 0;
const unexplained = [];
const byKnown = new Map();
for (const { scenario, diffs } of results.values()) {
  if (diffs.length === 0) {
    agree++;
    continue;
  }
  const reasons = diffs.map(d => classify(d, scenario, engine));
  if (reasons.every(Boolean)) {
    explained++;
    for (const r of new Set(reasons)) byKnown.set(r, (byKnown.get(r) ?? 0) + 1);
  } else unexplained.push({ scenario, diffs, reasons });
  if (DUMP_DIR) dumpScenario(scenario, diffs);
}
const refused = scenarios.filter(s => s.refused).length;
if (VERBOSE) console.log(`time spent (ms): ${JSON.stringify(timing)}`);
console.log(
  `\ndifferential: ${agree}/${
    scenarios.length
  } scenarios agree; ${explained} differ only as documented in scripts/testbed/KNOWN-DIFFERENCES.md; ${
    unexplained.length
  } unexplained (${((Date.now() - started) / 1000).toFixed(
    0,
  )} s, seed ${SEED})`,
);
if (refused > 0)
  console.log(
    `  (${refused} scenarios had a Service the API server refused; those Services were skipped)`,
  );
for (const [id, n] of byKnown)
  console.log(`  known difference ${id} (${KNOWN[id]}): ${n} scenario(s)`);
for (const { scenario, diffs, reasons } of unexplained.slice(
  0,
  VERBOSE ? Infinity : 10,
)) {
  console.log(
    `\nUNEXPLAINED scenario ${scenario.k} (--seed ${SEED} --only ${scenario.k})`,
  );
  diffs.forEach((d, i) => {
    if (reasons[i]) return;
    console.log(`  ${d.phase} ${d.service}`);
    console.log(
      `    spec      ${JSON.stringify({
        ann: d.object.metadata.annotations,
        spec: d.object.spec,
      })}`,
    );
    console.log(`    predicted ${JSON.stringify(d.predicted)}`);
    console.log(`    real      ${JSON.stringify(d.real)}`);
  });
  console.log(
    `    pools     ${JSON.stringify(
      scenario.pools.map(p => [p.metadata.name, p.spec]),
    )}`,
  );
}
if (DUMP_DIR && results.size > 0)
  console.log(`\ndisagreeing scenarios written to ${DUMP_DIR}`);
process.exit(unexplained.length > 0 ? 1 : 0);
