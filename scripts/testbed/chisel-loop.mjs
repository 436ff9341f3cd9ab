#!/usr/bin/env node
// The seed problem, for real: an actor that behaves like chisel-operator fights the real MetalLB
// controller over a Service, the engine (through the CLI) must name the fight from what the real
// API server shows (managedFields, Events), and the engine's own remediations must end it.
//
//   scripts/testbed/with-testbed.sh node scripts/testbed/chisel-loop.mjs [--seconds N]
//
// The actor is not chisel-operator's code; it does what chisel-operator does to a Service
// (src/daemon.rs, March 2025): it takes Services without a loadBalancerClass or with its own
// class, and whenever status.loadBalancer.ingress is not its exit node's IP, it merge-patches the
// status back, as field manager "chisel-operator".
//   variant A (tunnel-a): status only, what chisel-operator does;
//   variant B (tunnel-b): also pins spec.loadBalancerIP to the exit IP (what metallb/metallb#2711
//     describes), which MetalLB refuses every time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ApiError, repo, sleep, testbedClient } from './lib/kube.mjs';

const args = process.argv.slice(2);
const seconds = Number(
  args[args.indexOf('--seconds') + 1] && args.includes('--seconds')
    ? args[args.indexOf('--seconds') + 1]
    : 20,
);
const NS = 'lbd-chisel';
const METALLB_NS = process.env.TESTBED_METALLB_NAMESPACE ?? 'metallb-system';
const EXIT_IP = '203.0.113.77'; // the exit node's public address: in no pool
const CHISEL_CLASS = 'chisel-operator.io/chisel-operator-class';
const MANAGER = 'chisel-operator';
const FINALIZER = 'service.chisel-operator.io/finalizer';
const YAML = createRequire(join(repo, 'package.json'))('yaml');
const work = mkdtempSync(join(tmpdir(), 'lbd-chisel-'));

const admin = testbedClient();
// Same credentials, but the requests say they come from chisel-operator (User-Agent and field
// manager), as the real operator's do.
const chiselApi = testbedClient({ userAgent: MANAGER });

let failures = 0;
const check = (label, ok, detail = '') => {
  if (!ok) failures++;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${label}${
      ok || !detail ? '' : `\n     ${detail}`
    }`,
  );
};

const svcPath = name =>
  `/api/v1/namespaces/${NS}/services${name ? `/${name}` : ''}`;
const ipsOf = s =>
  (s?.status?.loadBalancer?.ingress ?? []).map(i => i.ip).filter(Boolean);
const service = (name, extra = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: NS, labels: { app: 'web' } },
  spec: {
    type: 'LoadBalancer',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    ...extra,
  },
});

// ---- the actor --------------------------------------------------------------------------------
const live = new Map(); // name -> Service, as the watch last saw it
const writes = { chisel: new Map(), metallb: new Map() }; // name -> count
const bump = (m, name) => m.set(name, (m.get(name) ?? 0) + 1);
const actor = {
  classOnly: false, // chisel-operator with LOAD_BALANCER_CLASS set: takes only its class
  pinSpec: new Set(['tunnel-b']),
  running: false,
  busy: new Set(),
};
const takes = s =>
  actor.classOnly
    ? s.spec.loadBalancerClass === CHISEL_CLASS
    : !s.spec.loadBalancerClass || s.spec.loadBalancerClass === CHISEL_CLASS;

async function reconcile(name) {
  if (!actor.running || actor.busy.has(name)) return;
  actor.busy.add(name);
  try {
    // chisel-operator's reconcile is not instant (it provisions and checks its exit node first).
    await sleep(100);
    const s = live.get(name);
    if (!s) return;
    const q = `?fieldManager=${MANAGER}`;
    const finalizers = s.metadata.finalizers ?? [];
    // chisel-operator puts its finalizer on the Services it serves and removes it on deletion
    // (kube-rs' finalizer helper), so it can tear the exit node's tunnel down first.
    if (s.metadata.deletionTimestamp) {
      if (finalizers.includes(FINALIZER))
        await chiselApi.request(
          'PATCH',
          `${svcPath(name)}${q}`,
          {
            metadata: {
              finalizers: finalizers.filter(f => f !== FINALIZER),
              resourceVersion: s.metadata.resourceVersion,
            },
          },
          'application/merge-patch+json',
        );
      return;
    }
    if (!takes(s)) return;
    if (!finalizers.includes(FINALIZER)) {
      await chiselApi.request(
        'PATCH',
        `${svcPath(name)}${q}`,
        { metadata: { finalizers: [...finalizers, FINALIZER] } },
        'application/merge-patch+json',
      );
    }
    if (actor.pinSpec.has(name) && s.spec.loadBalancerIP !== EXIT_IP) {
      await chiselApi.request(
        'PATCH',
        `${svcPath(name)}${q}`,
        { spec: { loadBalancerIP: EXIT_IP } },
        'application/merge-patch+json',
      );
      bump(writes.chisel, name);
    }
    if (JSON.stringify(ipsOf(live.get(name))) !== JSON.stringify([EXIT_IP])) {
      await chiselApi.request(
        'PATCH',
        `${svcPath(name)}/status${q}`,
        { status: { loadBalancer: { ingress: [{ ip: EXIT_IP }] } } },
        'application/merge-patch+json',
      );
      bump(writes.chisel, name);
    }
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404))
      console.log(`actor: ${e.message}`);
  } finally {
    actor.busy.delete(name);
  }
  // Something may have changed while we were busy.
  const s = live.get(name);
  if (
    actor.running &&
    s &&
    (s.metadata.deletionTimestamp
      ? (s.metadata.finalizers ?? []).includes(FINALIZER)
      : takes(s)) &&
    (s.metadata.deletionTimestamp ||
      JSON.stringify(ipsOf(s)) !== JSON.stringify([EXIT_IP]))
  )
    reconcile(name);
}

const stopWatch = await admin.watch(svcPath(), (type, s) => {
  const name = s.metadata.name;
  if (type === 'DELETED') {
    live.delete(name);
    return;
  }
  const before = live.get(name);
  live.set(name, s);
  // A write by MetalLB: the ingress changed and is not the exit IP.
  const now = ipsOf(s);
  if (
    before &&
    JSON.stringify(ipsOf(before)) !== JSON.stringify(now) &&
    !now.includes(EXIT_IP)
  )
    bump(writes.metallb, name);
  reconcile(name);
});

// ---- helpers ----------------------------------------------------------------------------------
const listJson = async path => (await admin.request('GET', path)).items;
const withKind = (items, apiVersion, kind) =>
  items.map(i => ({ apiVersion, kind, ...i }));
async function dump() {
  return [
    ...withKind(await listJson('/api/v1/namespaces'), 'v1', 'Namespace'),
    ...withKind(await listJson(svcPath()), 'v1', 'Service'),
    ...withKind(
      await listJson(`/api/v1/namespaces/${NS}/events`),
      'v1',
      'Event',
    ),
    ...withKind(
      await listJson(
        `/apis/metallb.io/v1beta1/namespaces/${METALLB_NS}/ipaddresspools`,
      ),
      'metallb.io/v1beta1',
      'IPAddressPool',
    ),
  ];
}
function analyze(objects, label) {
  const file = join(work, `${label}.json`);
  writeFileSync(
    file,
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 1),
  );
  const out = execFileSync(
    process.execPath,
    [
      join(repo, 'packages/cli/bin/lb-doctor'),
      'analyze',
      '--format',
      'json',
      '--fail-on',
      'never',
      file,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(out).clusters[0];
}
const findingsOf = (report, name) =>
  report.services.find(s => s.namespace === NS && s.name === name)?.findings ??
  [];
const rate = (count, ms) =>
  `${count} in ${(ms / 1000).toFixed(1)} s (${Math.round(
    (count * 60000) / ms,
  )}/min)`;
async function waitFor(what, predicate, ms = 15000) {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// ---- the run ------------------------------------------------------------------------------------
try {
  await admin.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NS },
  });
  await admin.request(
    'POST',
    `/apis/metallb.io/v1beta1/namespaces/${METALLB_NS}/ipaddresspools`,
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'chisel-demo', namespace: METALLB_NS },
      spec: {
        addresses: ['198.18.0.0/29'],
        serviceAllocation: { namespaces: [NS] },
      },
    },
  );
  await sleep(1000); // MetalLB loads the pool
  for (const name of ['tunnel-a', 'tunnel-b'])
    await admin.request('POST', svcPath(), service(name));
  await waitFor('MetalLB to assign both Services', () =>
    ['tunnel-a', 'tunnel-b'].every(n => ipsOf(live.get(n)).length > 0),
  );
  console.log(
    `MetalLB assigned tunnel-a ${ipsOf(live.get('tunnel-a'))}, tunnel-b ${ipsOf(
      live.get('tunnel-b'),
    )}; chisel-operator starts writing ${EXIT_IP}`,
  );

  // 1. The fight.
  writes.chisel.clear();
  writes.metallb.clear();
  actor.running = true;
  const start = Date.now();
  for (const n of ['tunnel-a', 'tunnel-b']) reconcile(n);
  await sleep(seconds * 1000);
  const elapsed = Date.now() - start;
  for (const n of ['tunnel-a', 'tunnel-b'])
    console.log(
      `  ${n}: chisel-operator wrote ${rate(
        writes.chisel.get(n) ?? 0,
        elapsed,
      )}, MetalLB rewrote the ingress ${rate(
        writes.metallb.get(n) ?? 0,
        elapsed,
      )}`,
    );
  check(
    'variant A: MetalLB and chisel-operator keep rewriting tunnel-a',
    (writes.metallb.get('tunnel-a') ?? 0) >= 3 &&
      (writes.chisel.get('tunnel-a') ?? 0) >= 3,
  );

  // 2. The engine on what the API server shows, while the fight goes on.
  const report = analyze(await dump(), 'fight');
  for (const n of ['tunnel-a', 'tunnel-b']) {
    const f = findingsOf(report, n);
    const rules = f.map(x => x.rule);
    const loop = f.find(x => x.rule === 'write-loop');
    console.log(`  engine on ${n}: ${rules.join(', ') || 'no findings'}`);
    if (loop)
      console.log(
        `    write-loop: ${loop.message}\n      ${loop.evidence.join(
          '\n      ',
        )}`,
      );
    check(
      `${n}: controller-contention found`,
      rules.includes('controller-contention'),
      JSON.stringify(rules),
    );
    check(
      `${n}: write-loop found with a measured rate`,
      !!loop && loop.evidence.some(e => /writes\/min/.test(e)),
      JSON.stringify(loop ?? f),
    );
  }

  // 3. Remediation for variant A: the loadBalancerClass fix (immutable field: delete + recreate).
  const fixA = findingsOf(report, 'tunnel-a')
    .flatMap(x => x.remediations)
    .find(r => r.id === 'set-load-balancer-class');
  check(
    'tunnel-a: the engine offers set-load-balancer-class with YAML',
    !!fixA?.yaml,
  );
  // 4. Remediation for variant B: split into two Services, plus chisel-operator's own switch
  // (the split's description says the split alone does not stop chisel-operator).
  const fixB = findingsOf(report, 'tunnel-b')
    .flatMap(x => x.remediations)
    .find(r => r.id === 'split-service');
  check('tunnel-b: the engine offers split-service with YAML', !!fixB?.yaml);
  if (fixA?.yaml && fixB?.yaml) {
    console.log(`  applying: ${fixA.title}`);
    const docsA = YAML.parseAllDocuments(fixA.yaml)
      .map(d => d.toJS())
      .filter(Boolean);
    await admin.request('DELETE', svcPath('tunnel-a'));
    await waitFor('tunnel-a to be deleted', () => !live.has('tunnel-a'));
    for (const d of docsA) await admin.request('POST', svcPath(), d);
    console.log(
      `  applying: ${fixB.title} (and chisel-operator's LOAD_BALANCER_CLASS switch)`,
    );
    actor.classOnly = true;
    const docsB = YAML.parseAllDocuments(fixB.yaml)
      .map(d => d.toJS())
      .filter(Boolean);
    // As the remediation's commands do: the new class'd Service first, then the original without
    // chisel-operator's pieces (spec.loadBalancerIP can be dropped in place by a replace).
    for (const d of docsB) {
      const existing = live.get(d.metadata.name);
      if (existing) {
        d.metadata.resourceVersion = existing.metadata.resourceVersion;
        await admin.request('PUT', svcPath(d.metadata.name), d);
      } else await admin.request('POST', svcPath(), d);
    }
    await sleep(3000); // let both controllers react once
    writes.chisel.clear();
    writes.metallb.clear();
    const quietStart = Date.now();
    const before = new Map(
      [...live].map(([n, s]) => [n, s.metadata.resourceVersion]),
    );
    await sleep(10000);
    const quiet = Date.now() - quietStart;
    for (const [n, s] of live)
      console.log(
        `  after the fix, ${n} (class ${
          s.spec.loadBalancerClass ?? 'none'
        }): ingress ${
          ipsOf(s).join(',') || 'none'
        }, chisel-operator wrote ${rate(
          writes.chisel.get(n) ?? 0,
          quiet,
        )}, MetalLB ${rate(
          writes.metallb.get(n) ?? 0,
          quiet,
        )}, resourceVersion ${
          before.get(n) === s.metadata.resourceVersion ? 'unchanged' : 'changed'
        }`,
      );
    const all = [...live.values()];
    check(
      'after the fixes nothing rewrites any Service for 10 s',
      all.every(
        s => before.get(s.metadata.name) === s.metadata.resourceVersion,
      ),
    );
    const classed = all.filter(s => s.spec.loadBalancerClass === CHISEL_CLASS);
    check(
      "chisel-operator's Services carry the exit IP and no pool annotation from MetalLB",
      classed.length === 2 &&
        classed.every(
          s =>
            JSON.stringify(ipsOf(s)) === JSON.stringify([EXIT_IP]) &&
            !s.metadata.annotations?.['metallb.io/ip-allocated-from-pool'],
        ),
      JSON.stringify(classed.map(s => [s.metadata.name, ipsOf(s)])),
    );
    const metallbOnly = all.filter(s => !s.spec.loadBalancerClass);
    check(
      'the MetalLB half of the split holds a pool IP',
      metallbOnly.length === 1 &&
        ipsOf(metallbOnly[0])[0]?.startsWith('198.18.0.'),
      JSON.stringify(metallbOnly.map(s => [s.metadata.name, ipsOf(s)])),
    );
    const after = analyze(await dump(), 'fixed');
    const left = after.services
      .filter(s => s.namespace === NS)
      .flatMap(s =>
        s.findings
          .filter(f => ['controller-contention', 'write-loop'].includes(f.rule))
          .map(f => `${s.name}: ${f.rule}`),
      );
    console.log(
      `  engine after the fix: ${
        left.join('; ') || 'no contention or write-loop finding'
      }`,
    );
    check(
      "the engine predicts MetalLB leaves the class'd Services alone",
      after.services
        .filter(s => s.namespace === NS && s.loadBalancerClass === CHISEL_CLASS)
        .every(s => s.metallb.outcome === 'ignore'),
    );
  }
} finally {
  actor.running = false;
  stopWatch();
  admin.close();
  chiselApi.close();
}
console.log(
  `\nchisel loop: ${
    failures === 0 ? 'all checks passed' : `${failures} check(s) failed`
  }`,
);
process.exit(failures === 0 ? 0 : 1);
