/*
 * Randomised robustness test: the engine reads dumps and hand-written manifests that may be
 * incomplete, wrong or hostile, and its contract is "never throw; malformed objects become
 * findings". This file takes the valid objects of ../../fixtures, breaks them in many ways with a
 * seeded PRNG and checks that contract, plus that every generated remediation is parseable YAML.
 *
 * Reproduce a failure with the seed it prints: `FUZZ_SEED=<seed> yarn backstage-cli package test
 * src/__tests__/fuzz`. `FUZZ_SCALE=<n>` multiplies the number of iterations for longer local runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { analyzeCluster, analyzeFleet } from '../analyze';
import type { ClusterReport, Finding } from '../model/report';
import { parseManifests } from '../snapshot/parseManifests';
import { snapshotFromObjects } from '../snapshot/snapshotFromObjects';
import { seededRandom } from '../__testUtils__/random';

// ---------------------------------------------------------------------------------------------
// PRNG

class Rng {
  private readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = seededRandom(seed);
  }
  float(): number {
    return this.next();
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const BASE_SEED = Number(process.env.FUZZ_SEED ?? 0x1bd0c7);
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1));

// ---------------------------------------------------------------------------------------------
// Corpus

const FIXTURES_DIR = path.resolve(__dirname, '../../fixtures');
const FIXTURE_FILES = fs
  .readdirSync(FIXTURES_DIR)
  .filter(f => f.endsWith('.yaml'))
  .sort();
const FIXTURE_TEXTS = FIXTURE_FILES.map(f =>
  fs.readFileSync(path.join(FIXTURES_DIR, f), 'utf8'),
);
/** Each fixture's objects as JSON text: JSON.parse is the cheapest deep clone of plain data. */
const FIXTURE_JSON = FIXTURE_TEXTS.map((text, i) =>
  parseManifests(text, FIXTURE_FILES[i]).objects.map(o => JSON.stringify(o)),
);

// ---------------------------------------------------------------------------------------------
// Values that do not belong where they are put

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const HUGE = 'x'.repeat(200_000);
const BAD_IPS = [
  '192.168.1.0/33',
  '300.1.1.1',
  '1.2.3.4-1.2.3.1',
  '1.2.3',
  '01.02.03.04',
  '1.2.3.4/0',
  '0.0.0.0/0',
  '::/0',
  '2001:db8::/129',
  '2001:db8::/32',
  'fe80::1%eth0',
  '::ffff:10.0.0.1',
  ' 10.0.0.1 ',
  '10.0.0.1,10.0.0.2,10.0.0.3',
  '10.0.0.1, fd00::1',
  '10.0.0.1,10.0.0.2',
  '10.0.0.5 - 10.0.0.1',
  '-',
  '10.0.0.0/8-10.0.0.1',
  '255.255.255.255/32',
  '0.0.0.0',
  '::',
  'fd00::-fd00::ffff:ffff:ffff:ffff',
  '203.0.113.7',
  'not-an-ip',
];
const WEIRD_STRINGS = [
  '',
  ' ',
  HUGE,
  '💥🔥',
  'e\u0301\u202e\u0000',
  '\ud800',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  '"quoted" \'and\' {braces}: [x]\n- y',
  '*alias &anchor !!binary',
  'LoadBalancer',
  'ClusterIP',
  'RequireDualStack',
  'Local',
  'IPv6',
  'metallb-system',
  'v0.0.0',
  'quay.io/metallb/controller:v0.13.1',
];

/** Deeply nested but acyclic: deep enough to catch naive recursion, shallow enough for parsers. */
function deepNest(rng: Rng): Json {
  const depth = 50 + rng.int(1500);
  let value: Json = rng.pick<Json>([null, 'leaf', 1, []]);
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

function weirdValue(rng: Rng): Json {
  switch (rng.int(9)) {
    case 0:
      return rng.pick([
        0,
        -1,
        1.5,
        2 ** 53 + 2,
        -(2 ** 31),
        65536,
        NaN,
        Infinity,
        -Infinity,
      ]);
    case 1:
      return null;
    case 2:
      return rng.chance(0.5);
    case 3:
      return rng.pick(WEIRD_STRINGS);
    case 4:
      return rng.pick(BAD_IPS);
    case 5:
      return rng.pick<Json>([
        [],
        [1, 'a', null],
        [[[]]],
        [{}],
        BAD_IPS.slice(0, 5),
      ]);
    case 6:
      return rng.pick<Json>([{}, { a: { b: {} } }, { ip: 1 }, { '': null }]);
    case 7:
      return deepNest(rng);
    default:
      return String(rng.int(1_000_000));
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** Every place inside an object, as a key path, down to a depth that keeps this cheap. */
function collectPaths(root: Json, maxDepth = 9): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const walk = (node: Json, at: Array<string | number>) => {
    if (at.length >= maxDepth) return;
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push([...at, i]);
        walk(child, [...at, i]);
      });
    } else if (isObject(node)) {
      for (const key of Object.keys(node)) {
        out.push([...at, key]);
        walk(node[key], [...at, key]);
      }
    }
  };
  walk(root, []);
  return out;
}

function parentOf(root: Json, at: Array<string | number>): Json | undefined {
  let node: Json | undefined = root;
  for (const key of at.slice(0, -1)) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isObject(node) && typeof key === 'string') node = node[key];
    else return undefined;
  }
  return node;
}

/** Sets `obj[key]` as an own property even for `__proto__`, as JSON.parse would. */
function setOwn(obj: JsonObject, key: string, value: Json): void {
  Object.defineProperty(obj, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Gets (creating on the way) the object at a key path of plain objects. */
function ensure(obj: JsonObject, ...keys: string[]): JsonObject {
  let node = obj;
  for (const key of keys) {
    const next = node[key];
    if (isObject(next)) node = next;
    else {
      const created: JsonObject = {};
      setOwn(node, key, created);
      node = created;
    }
  }
  return node;
}

type Mutation = (obj: JsonObject, rng: Rng, others: JsonObject[]) => string;

const generic: Mutation[] = [
  function deleteField(obj, rng) {
    const paths = collectPaths(obj);
    if (paths.length === 0) return 'noop';
    const at = rng.pick(paths);
    const parent = parentOf(obj, at);
    const key = at[at.length - 1];
    if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
    else if (isObject(parent)) delete parent[String(key)];
    return `delete ${at.join('.')}`;
  },
  function replaceValue(obj, rng) {
    const paths = collectPaths(obj);
    if (paths.length === 0) return 'noop';
    const at = rng.pick(paths);
    const parent = parentOf(obj, at);
    const key = at[at.length - 1];
    const value = weirdValue(rng);
    if (Array.isArray(parent) && typeof key === 'number') parent[key] = value;
    else if (isObject(parent)) setOwn(parent, String(key), value);
    return `replace ${at.join('.')}`;
  },
  function addOddKey(obj, rng) {
    const paths = collectPaths(obj).filter(p =>
      isObject(parentOf(obj, [...p, 'x'])),
    );
    const target = paths.length
      ? (parentOf(obj, [...rng.pick(paths), 'x']) as JsonObject)
      : obj;
    const key = rng.pick([
      '__proto__',
      'constructor',
      'toString',
      '',
      '💥',
      HUGE.slice(0, 5000),
    ]);
    setOwn(target, key, weirdValue(rng));
    return `add key ${key.slice(0, 20)}`;
  },
  function duplicateArrayItem(obj, rng) {
    const arrays = collectPaths(obj).filter(p =>
      Array.isArray(parentOf(obj, p)),
    );
    if (arrays.length === 0) return 'noop';
    const at = rng.pick(arrays);
    const parent = parentOf(obj, at) as Json[];
    const item = parent[at[at.length - 1] as number];
    for (let i = rng.int(3) + 1; i > 0; i--)
      parent.push(JSON.parse(JSON.stringify(item ?? null)));
    return `duplicate ${at.join('.')}`;
  },
  function unknownKindOrVersion(obj, rng) {
    if (rng.chance(0.5)) {
      obj.kind = rng.pick<Json>([
        'Frobnicator',
        'ServiceList',
        'List',
        '',
        5,
        null,
        'service',
      ]);
    } else {
      obj.apiVersion = rng.pick<Json>([
        'v2',
        'metallb.io/v9',
        'metallb.io',
        'apps/v1beta2',
        'events.k8s.io/v1',
        'example.com/v1',
        '/',
        null,
        7,
      ]);
    }
    return `kind/apiVersion ${String(obj.kind)} ${String(obj.apiVersion)}`;
  },
  function duplicateName(obj, rng, others) {
    const same = others.filter(o => o.kind === obj.kind && o !== obj);
    const meta = ensure(obj, 'metadata');
    const other = same.length > 0 ? rng.pick(same).metadata : undefined;
    if (isObject(other)) {
      meta.name = other.name ?? null;
      meta.namespace = other.namespace ?? null;
    } else {
      meta.name = rng.pick<Json>(['', 'default', null, 1]);
    }
    return `duplicate name ${String(meta.name)}`;
  },
];

const SERVICE: Mutation[] = [
  function threeIps(obj, rng) {
    const ips = rng.pick([
      '10.0.0.1,10.0.0.2,10.0.0.3',
      '192.168.10.240, 192.168.10.241, fd00::1',
      '1.1.1.1,,2.2.2.2',
      '10.0.0.1,10.0.0.1',
      'fd00::1,fd00::2',
      ',',
    ]);
    ensure(obj, 'metadata', 'annotations')[
      rng.pick([
        'metallb.io/loadBalancerIPs',
        'metallb.universe.tf/loadBalancerIPs',
      ])
    ] = ips;
    return `loadBalancerIPs ${ips}`;
  },
  function requestIp(obj, rng) {
    ensure(obj, 'spec').loadBalancerIP = rng.chance(0.7)
      ? rng.pick(BAD_IPS)
      : weirdValue(rng);
    return 'spec.loadBalancerIP';
  },
  function statusIngress(obj, rng) {
    const entries: Json[] = [];
    for (let i = rng.int(6); i > 0; i--) {
      entries.push(
        rng.pick<Json>([
          { ip: rng.pick(BAD_IPS) },
          { hostname: rng.pick(WEIRD_STRINGS) },
          { ip: '192.168.10.240', ports: [{ port: 'x', protocol: 7 }] },
          { ip: null },
          'ip',
          null,
          { ip: `10.0.${rng.int(3)}.${rng.int(256)}`, ipMode: 'Proxy' },
        ]),
      );
    }
    ensure(obj, 'status', 'loadBalancer').ingress = rng.chance(0.9)
      ? entries
      : weirdValue(rng);
    return `status.ingress x${entries.length}`;
  },
  function clusterIps(obj, rng) {
    const spec = ensure(obj, 'spec');
    spec.clusterIPs = rng.pick<Json>([
      ['10.96.0.1', 'fd00::1'],
      ['fd00::1'],
      ['None'],
      [],
      ['10.96.0.1', '10.96.0.2', '10.96.0.3'],
      'None',
      [null],
    ]);
    spec.ipFamilyPolicy = rng.pick<Json>([
      'SingleStack',
      'PreferDualStack',
      'RequireDualStack',
      'Odd',
      1,
    ]);
    spec.ipFamilies = rng.pick<Json>([
      ['IPv6', 'IPv4'],
      ['IPv4'],
      ['IPv5'],
      null,
      'IPv4',
    ]);
    return 'clusterIPs/families';
  },
  function ports(obj, rng) {
    ensure(obj, 'spec').ports = rng.pick<Json>([
      [{ port: 0 }, { port: 70000, protocol: 'SCTP' }],
      [{ port: '443', protocol: 'tcp' }],
      [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'UDP' },
      ],
      [null, 'x', 5],
      {},
      [],
    ]);
    return 'ports';
  },
  function sharing(obj, rng) {
    const ann = ensure(obj, 'metadata', 'annotations');
    ann[
      rng.pick([
        'metallb.io/allow-shared-ip',
        'metallb.universe.tf/allow-shared-ip',
      ])
    ] = rng.pick(['dns', 'edge', '', 'mqtt', HUGE.slice(0, 3000)]);
    if (rng.chance(0.5))
      ensure(obj, 'spec').externalTrafficPolicy = rng.pick([
        'Local',
        'Cluster',
        'local',
      ]);
    if (rng.chance(0.3)) ensure(obj, 'spec').selector = weirdValue(rng);
    return 'sharing';
  },
  function pool(obj, rng) {
    ensure(obj, 'metadata', 'annotations')[
      rng.pick(['metallb.io/address-pool', 'metallb.universe.tf/address-pool'])
    ] = rng.pick([
      'small',
      'default',
      'general',
      'shop',
      'nope',
      '',
      '__proto__',
      'constructor',
    ]);
    return 'address-pool';
  },
  function classAndType(obj, rng) {
    const spec = ensure(obj, 'spec');
    if (rng.chance(0.5))
      spec.loadBalancerClass = rng.pick<Json>([
        'nil',
        '',
        'chisel-operator.io/chisel-operator-class',
        5,
        null,
      ]);
    else
      spec.type = rng.pick<Json>([
        'NodePort',
        'ExternalName',
        'loadbalancer',
        null,
        'LoadBalancer',
      ]);
    return 'class/type';
  },
  function managedFields(obj, rng) {
    ensure(obj, 'metadata').managedFields = rng.pick<Json>([
      [{ manager: 'kube-vip', subresource: 'status', fieldsV1: deepNest(rng) }],
      [{ manager: 5, time: 'yesterday', fieldsV1: 'f:status' }],
      [null, 'x'],
      { manager: 'controller' },
      [
        {
          manager: 'cilium-operator-lb-ipam',
          operation: 'Apply',
          fieldsV1: { 'f:status': { 'f:loadBalancer': null } },
        },
      ],
    ]);
    return 'managedFields';
  },
];

const POOL: Mutation[] = [
  function addresses(obj, rng) {
    const list: Json[] = [];
    for (let i = rng.int(4) + 1; i > 0; i--)
      list.push(rng.chance(0.8) ? rng.pick(BAD_IPS) : weirdValue(rng));
    ensure(obj, 'spec').addresses = rng.chance(0.9) ? list : weirdValue(rng);
    return `addresses ${JSON.stringify(list).slice(0, 80)}`;
  },
  function allocation(obj, rng) {
    ensure(obj, 'spec').serviceAllocation = rng.pick<Json>([
      { priority: 'high', namespaces: ['a', 'a'] },
      {
        namespaces: null,
        namespaceSelectors: [
          { matchExpressions: [{ key: 'x', operator: 'Near', values: 1 }] },
        ],
      },
      { serviceSelectors: [{ matchLabels: { a: 5 } }, null] },
      { priority: -1 },
      {},
      [],
    ]);
    return 'serviceAllocation';
  },
  function flags(obj, rng) {
    const spec = ensure(obj, 'spec');
    spec.autoAssign = rng.pick<Json>(['false', 0, null, false]);
    spec.avoidBuggyIPs = rng.pick<Json>(['true', 1, null, true]);
    return 'flags';
  },
];

const CONFIG_MAP: Mutation[] = [
  function configData(obj, rng) {
    const data = ensure(obj, 'data');
    const key = rng.pick(['config', 'config.conf']);
    data[key] = rng.pick<Json>([
      'address-pools: [{name: x, protocol: layer2, addresses: [10.0.0.0/33]}]',
      'address-pools: 5',
      'mode: "ipvs"\nipvs:\n  strictARP: "no"',
      'mode: ipvs',
      ': : :',
      '&a [*a, *a]',
      HUGE.slice(0, 50_000),
      7,
      null,
    ]);
    return `data.${key}`;
  },
];

const WORKLOAD: Mutation[] = [
  function container(obj, rng) {
    const spec = ensure(obj, 'spec', 'template', 'spec');
    spec.containers = rng.pick<Json>([
      [{ image: 'quay.io/metallb/controller:vX', args: ['--lb-class'] }],
      [
        {
          image: 'quay.io/metallb/controller@sha256:abc',
          args: ['--lb-class=', 5],
        },
      ],
      [{ image: 'metallb/controller:v0.9.0', args: '--lb-class=foo' }],
      [{ image: 5, env: [{ name: 'svc_enable', value: 1 }, null] }],
      [null],
      'controller',
    ]);
    return 'containers';
  },
];

const EVENT: Mutation[] = [
  function eventFields(obj, rng) {
    obj.count = rng.pick<Json>([-1, 'many', 1e12, null]);
    obj.lastTimestamp = rng.pick<Json>([
      'not a date',
      '9999-99-99T99:99:99Z',
      5,
      null,
    ]);
    if (rng.chance(0.5)) obj.involvedObject = weirdValue(rng);
    if (rng.chance(0.5)) obj.message = rng.pick(WEIRD_STRINGS);
    return 'event fields';
  },
];

const BY_KIND: Record<string, Mutation[]> = {
  Service: SERVICE,
  IPAddressPool: POOL,
  ConfigMap: CONFIG_MAP,
  Deployment: WORKLOAD,
  DaemonSet: WORKLOAD,
  Event: EVENT,
};

function mutate(obj: JsonObject, rng: Rng, others: JsonObject[]): string[] {
  const log: string[] = [];
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const specific =
      typeof obj.kind === 'string' &&
      Object.prototype.hasOwnProperty.call(BY_KIND, obj.kind)
        ? BY_KIND[obj.kind]
        : undefined;
    const pool = specific && rng.chance(0.6) ? specific : generic;
    log.push(rng.pick(pool)(obj, rng, others));
  }
  return log;
}

// ---------------------------------------------------------------------------------------------
// Checks

const STATUSES = new Set(['ok', 'info', 'warning', 'error']);
const OUTCOMES = new Set([
  'keep',
  'assign',
  'clear',
  'fail',
  'ignore',
  'unknown',
]);

function checkFindings(findings: readonly Finding[], where: string): void {
  for (const finding of findings) {
    for (const remediation of finding.remediations) {
      if (remediation.yaml === undefined) continue;
      const docs = parseAllDocuments(remediation.yaml);
      const errors = (Array.isArray(docs) ? docs : [docs]).flatMap(
        d => d.errors,
      );
      if (errors.length > 0) {
        throw new Error(
          `${where}: remediation ${remediation.id} of ${
            finding.rule
          } is not valid YAML: ${errors[0].message}\n${remediation.yaml.slice(
            0,
            2000,
          )}`,
        );
      }
    }
  }
}

function checkReport(report: ClusterReport): void {
  for (const s of report.services) {
    const where = `${String(s.namespace)}/${String(s.name)}`;
    if (!STATUSES.has(s.status))
      throw new Error(`${where}: status ${String(s.status)}`);
    if (!OUTCOMES.has(s.metallb?.outcome))
      throw new Error(`${where}: outcome ${String(s.metallb?.outcome)}`);
    if (!Array.isArray(s.metallb.ips))
      throw new Error(`${where}: metallb.ips is not a list`);
    checkFindings(s.findings, where);
  }
  checkFindings(report.findings, 'cluster');
}

/** JSON for failure messages: huge strings and deep nesting abbreviated so the output stays readable. */
function show(value: unknown): string {
  const text = JSON.stringify(value, (_key, v) =>
    typeof v === 'string' && v.length > 200
      ? `${v.slice(0, 40)}…(${v.length} chars)`
      : v,
  );
  if (text === undefined) return String(value);
  return text.length > 20_000 ? `${text.slice(0, 20_000)}…` : text;
}

/**
 * The error with its stack, the frames prefixed so that Jest prints them as part of the message
 * (Jest hides lines that look like stack frames of the wrapper: `at f (file:1:2)`).
 */
function describeError(error: unknown): string {
  // Duck-typed: errors thrown by built-ins can come from another realm under Jest, and then
  // fail `instanceof Error`.
  const stack = (error as { stack?: unknown } | null)?.stack;
  if (typeof stack !== 'string') return String(error);
  return stack.replace(
    /\n\s+at ([^\n]*)/g,
    (_line, frame: string) =>
      `\n  | ${frame
        .replace(/[()]/g, '')
        .replace(/:(\d+):(\d+)$/, ' line $1 column $2')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Tests

describe('fuzz', () => {
  it('never throws on mutated cluster objects and always returns a valid report', () => {
    const clusters = 2500 * SCALE;
    let mutatedObjects = 0;
    for (let iteration = 0; iteration < clusters; iteration++) {
      const seed = (BASE_SEED + iteration * 0x9e3779b1) >>> 0;
      const rng = new Rng(seed);
      const fixture = rng.int(FIXTURE_JSON.length);
      const objects: unknown[] = FIXTURE_JSON[fixture].map(text =>
        JSON.parse(text),
      );
      const records = objects.filter(isObject);
      const log: Array<{ index: number; ops: string[] }> = [];
      const count = 3 + rng.int(4);
      for (let i = 0; i < count; i++) {
        // Favour Services and MetalLB objects: that is where the engine's logic is.
        const candidates = rng.chance(0.6)
          ? records.filter(
              o => o.kind === 'Service' || o.kind === 'IPAddressPool',
            )
          : records;
        const target = rng.pick(candidates.length ? candidates : records);
        log.push({
          index: objects.indexOf(target),
          ops: mutate(target, rng, records),
        });
        mutatedObjects++;
      }
      if (rng.chance(0.2)) {
        objects.push(
          rng.pick<unknown>([
            null,
            5,
            'Service',
            [],
            { kind: 'Service' },
            { apiVersion: 'v1', kind: 'Service', metadata: {} },
          ]),
        );
      }
      const mutated = [...new Set(log.map(l => l.index))].map(i => objects[i]);
      try {
        const { snapshot } = snapshotFromObjects(`fuzz-${seed}`, objects, {
          collectedAt: rng.chance(0.8) ? '2025-06-01T00:00:00Z' : 'garbage',
        });
        const report = rng.chance(0.1)
          ? analyzeFleet([snapshot, snapshot]).clusters[0]
          : analyzeCluster(snapshot);
        checkReport(report);
      } catch (error) {
        const message = describeError(error);
        throw new Error(
          `fuzz failure: FUZZ_SEED=${BASE_SEED} iteration=${iteration} seed=${seed} fixture=${FIXTURE_FILES[fixture]}\n` +
            `mutations: ${show(log)}\nmutated objects: ${show(
              mutated,
            )}\n${message}`,
        );
      }
    }
    expect(mutatedObjects).toBeGreaterThanOrEqual(3000);
  }, 120_000);

  it('never throws on random text and bytes', () => {
    const rng = new Rng(BASE_SEED ^ 0x5eed);
    const fragments = [
      '{',
      '}',
      '[',
      ']',
      '- ',
      ': ',
      '\n',
      '  ',
      '---\n',
      '&a ',
      '*a',
      '!!binary ',
      '"',
      "'",
      '\t',
      'kind: List\n',
      'items:\n',
      'apiVersion: v1\n',
      '<<: *a\n',
      '? ',
      '|\n',
      '%YAML 1.2\n',
      '\ufeff',
      '\u0000',
      '💥',
    ];
    const texts: string[] = [
      '',
      '\ufeff',
      'null',
      '[]',
      '{"kind":"List","items":[1,null,{"kind":"List","items":[2]}]}',
      // Billion laughs: must be refused by the alias limit, not expanded.
      `a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(
            98 + i,
          )} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ).join('\n')}\n`,
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      `${'- '.repeat(2000)}x`,
    ];
    for (let i = 0; i < 300 * SCALE; i++) {
      const length = rng.int(2000);
      let text = '';
      switch (i % 3) {
        case 0: // raw bytes as Latin-1
          for (let j = 0; j < length; j++)
            text += String.fromCharCode(rng.int(256));
          break;
        case 1: // arbitrary UTF-16 code units, lone surrogates included
          for (let j = 0; j < length; j++)
            text += String.fromCharCode(rng.int(0x10000));
          break;
        default: // YAML-shaped noise
          while (text.length < length) text += rng.pick(fragments);
      }
      texts.push(text);
    }
    // Fixture texts with random splices: mostly valid YAML with broken spots.
    for (let i = 0; i < 40 * SCALE; i++) {
      const base = rng.pick(FIXTURE_TEXTS);
      let text = base;
      for (let n = 1 + rng.int(5); n > 0; n--) {
        const at = rng.int(text.length);
        text =
          text.slice(0, at) +
          rng.pick(fragments) +
          text.slice(at + rng.int(20));
      }
      texts.push(text);
    }
    for (const [index, text] of texts.entries()) {
      let result;
      try {
        result = parseManifests(text, 'fuzz');
        const { snapshot } = snapshotFromObjects('fuzz', result.objects, {
          locations: result.locations,
        });
        checkReport(analyzeCluster(snapshot));
      } catch (error) {
        throw new Error(
          `parse fuzz failure: FUZZ_SEED=${BASE_SEED} text #${index} (${
            text.length
          } chars): ${show(text.slice(0, 2000))}\n${describeError(error)}`,
        );
      }
      expect(Array.isArray(result.objects)).toBe(true);
    }
  }, 120_000);
});
