#!/usr/bin/env node
// Differential check of the engine against the real MetalLB controller of a running test bed.
//
// For each case, in order: the engine predicts what MetalLB does with a Service that is about to
// be created (from a dump of the cluster as it is, plus the new manifest), then the Service is
// created and MetalLB's real answer (status IPs, Event) is compared with the prediction. At the
// end the engine must predict "keep" for every Service MetalLB gave an IP: a state MetalLB made
// itself must look stable to the engine.
//
//   node scripts/testbed/agreement.mjs   (with KUBECONFIG pointing at the test bed's admin)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(new URL('../..', import.meta.url).pathname);
const lbDoctor = join(repo, 'packages/cli/bin/lb-doctor');
const work = mkdtempSync(join(tmpdir(), 'lbd-agreement-'));
const NS = 'lbd-agree';
const METALLB_NS = process.env.TESTBED_METALLB_NAMESPACE ?? 'metallb-system';

const kubectl = (args, input) =>
  execFileSync('kubectl', args, {
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
const sleep = ms => new Promise(r => setTimeout(r, ms));

const pools = [
  {
    name: 'agree-main',
    spec: { addresses: ['198.51.100.0/29'], avoidBuggyIPs: true },
  },
  {
    name: 'agree-manual',
    spec: { addresses: ['192.0.2.8/30'], autoAssign: false },
  },
  {
    name: 'agree-restricted',
    spec: {
      addresses: ['203.0.113.0/30'],
      serviceAllocation: { namespaces: ['lbd-other'] },
    },
  },
];

const svc = (
  name,
  { annotations, ports = [{ port: 80 }], loadBalancerIP } = {},
) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: NS, ...(annotations ? { annotations } : {}) },
  spec: {
    type: 'LoadBalancer',
    selector: { app: name },
    ports: ports.map(p => ({ protocol: 'TCP', ...p })),
    ...(loadBalancerIP ? { loadBalancerIP } : {}),
  },
});

const cases = [
  svc('a01-auto'),
  svc('a02-fixed', {
    annotations: { 'metallb.io/loadBalancerIPs': '198.51.100.5' },
  }),
  svc('a03-outside', {
    annotations: { 'metallb.io/loadBalancerIPs': '10.99.0.1' },
  }),
  svc('a04-both', {
    loadBalancerIP: '198.51.100.6',
    annotations: { 'metallb.io/loadBalancerIPs': '198.51.100.6' },
  }),
  svc('a05-named-pool', {
    annotations: { 'metallb.io/address-pool': 'agree-manual' },
  }),
  svc('a06-unknown-pool', {
    annotations: { 'metallb.io/address-pool': 'nope' },
  }),
  svc('a07-taken', {
    annotations: { 'metallb.io/loadBalancerIPs': '198.51.100.5' },
  }),
  svc('a08-share', {
    annotations: {
      'metallb.io/allow-shared-ip': 'k',
      'metallb.io/loadBalancerIPs': '198.51.100.3',
    },
  }),
  svc('a09-share', {
    annotations: {
      'metallb.io/allow-shared-ip': 'k',
      'metallb.io/loadBalancerIPs': '198.51.100.3',
    },
    ports: [{ port: 443 }],
  }),
  svc('a10-port-clash', {
    annotations: {
      'metallb.io/allow-shared-ip': 'k',
      'metallb.io/loadBalancerIPs': '198.51.100.3',
    },
  }),
  svc('a11-wrong-namespace', {
    annotations: { 'metallb.io/loadBalancerIPs': '203.0.113.1' },
  }),
  svc('a12-buggy', {
    annotations: { 'metallb.io/loadBalancerIPs': '198.51.100.0' },
  }),
  svc('a13-auto'),
  svc('a14-auto'),
  svc('a15-auto'),
  svc('a16-auto'),
  svc('a17-exhausted'),
];

function dump() {
  const text = kubectl([
    'get',
    'services,namespaces,events,ipaddresspools.metallb.io,l2advertisements.metallb.io,bgpadvertisements.metallb.io',
    '-A',
    '-o',
    'json',
  ]);
  return JSON.parse(text).items;
}

function analyze(objects) {
  const file = join(work, 'input.json');
  writeFileSync(
    file,
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  );
  const out = execFileSync(
    process.execPath,
    [lbDoctor, 'analyze', '--format', 'json', '--fail-on', 'never', file],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return JSON.parse(out).clusters[0];
}

const realState = async name => {
  // MetalLB either writes an IP or records a Warning; give it up to 20 s.
  for (let i = 0; i < 80; i++) {
    const service = JSON.parse(
      kubectl(['get', 'service', name, '-n', NS, '-o', 'json']),
    );
    const ips = (service.status?.loadBalancer?.ingress ?? [])
      .map(e => e.ip)
      .filter(Boolean);
    const events = JSON.parse(
      kubectl([
        'get',
        'events',
        '-n',
        NS,
        '--field-selector',
        `involvedObject.name=${name}`,
        '-o',
        'json',
      ]),
    ).items.filter(
      e =>
        e.source?.component === 'metallb-controller' ||
        e.reportingComponent === 'metallb-controller',
    );
    const last = events
      .sort((a, b) =>
        String(a.lastTimestamp ?? a.eventTime).localeCompare(
          String(b.lastTimestamp ?? b.eventTime),
        ),
      )
      .at(-1);
    if (ips.length > 0 || (last && last.type === 'Warning')) {
      if (ips.length > 0 && !last) {
        await sleep(250);
        continue;
      }
      return {
        ips,
        event: last
          ? { type: last.type, reason: last.reason, message: last.message }
          : null,
      };
    }
    await sleep(250);
  }
  return { ips: [], event: null };
};

let passed = 0;
let failed = 0;
const check = (label, ok, detail) => {
  if (ok) passed++;
  else failed++;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${label}${ok ? '' : `\n     ${detail}`}`,
  );
};

kubectl(['create', 'namespace', NS]);
kubectl(['create', 'namespace', 'lbd-other']);
try {
  for (const p of pools) {
    kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'metallb.io/v1beta1',
        kind: 'IPAddressPool',
        metadata: { name: p.name, namespace: METALLB_NS },
        spec: p.spec,
      }),
    );
  }
  await sleep(1500); // MetalLB reloads its configuration
  for (const manifest of cases) {
    const name = manifest.metadata.name;
    const predicted = analyze([...dump(), manifest]).services.find(
      s => s.namespace === NS && s.name === name,
    );
    kubectl(['apply', '-f', '-'], JSON.stringify(manifest));
    const real = await realState(name);
    const same =
      JSON.stringify(predicted.metallb.ips) === JSON.stringify(real.ips) &&
      JSON.stringify(predicted.metallb.event) === JSON.stringify(real.event);
    check(
      `${name}: ${real.ips.join(',') || real.event?.message || 'nothing'}`,
      same,
      `predicted ${JSON.stringify({
        ips: predicted.metallb.ips,
        event: predicted.metallb.event,
      })}\n     real      ${JSON.stringify(real)}`,
    );
  }
  const final = analyze(dump());
  for (const s of final.services.filter(
    s => s.namespace === NS && s.ingress.length > 0,
  )) {
    check(
      `${s.name} holds ${s.ingress.join(',')}: the engine sees a stable state`,
      s.metallb.outcome === 'keep',
      `outcome ${s.metallb.outcome}, events ${JSON.stringify(
        s.metallb.events,
      )}`,
    );
  }
} finally {
  kubectl(['delete', 'namespace', NS, 'lbd-other', '--wait=false']);
  for (const p of pools)
    kubectl([
      'delete',
      'ipaddresspool',
      p.name,
      '-n',
      METALLB_NS,
      '--ignore-not-found',
    ]);
}
console.log(
  `\nagreement with the real MetalLB controller: ${passed} passed, ${failed} failed`,
);
process.exit(failed > 0 ? 1 : 0);
