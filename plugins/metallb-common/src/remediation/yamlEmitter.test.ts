import { Document } from 'yaml';
import type { ManifestObject, ManifestValue } from './util';
import { emitYamlDocument } from './yamlEmitter';
import { seededRandom } from '../__testUtils__/random';

/** What toYaml printed before the emitter existed, and prints whenever the emitter declines. */
function library(object: ManifestObject, comment?: string): string {
  const doc = new Document(object, { version: '1.1' });
  if (comment) {
    doc.commentBefore = comment
      .split('\n')
      .map(line => ` ${line}`)
      .join('\n');
  }
  return doc.toString({ lineWidth: 0 });
}

const WORDS = [
  'svc',
  'y',
  'N',
  'Yes',
  'off',
  'ON',
  'null',
  'Null',
  '~',
  '',
  ' ',
  'a b',
  'a: b',
  'a #b',
  '#x',
  '- x',
  '-x',
  '1:20',
  '0755',
  '0x1F',
  '1e3',
  '.5',
  '.inf',
  '10.0.0.1',
  'fd00::1',
  '10.0.0.1,fd00::2',
  '2025-06-01T10:00:00Z',
  '2025-06-01',
  'metallb.io/address-pool',
  'app.kubernetes.io/name',
  'a\nb',
  'tab\there',
  '"quoted"',
  "it's",
  '{x}',
  '[x]',
  '*ref',
  '&anchor',
  '!tag',
  '%x',
  '@x',
  '`x',
  '|',
  '>',
  '?',
  '? x',
  'x?',
  '<<',
  '=',
  'é',
  '\u2028',
  'x ',
  ' x',
  'x'.repeat(2000),
  'fd00:0:0:47::12',
  'fd00::',
  'a:',
  'a::b',
  'Ab:1:2',
  'x:',
  '10.0.2.155',
  '255.255.255.255',
  '1.2.3',
  '1.2',
  '01.2.3.4',
  '1.2.3.4,',
  '10.0.0.1,fd00::2',
  '10.0.0.1,fd00::',
  '10.0.0.1,10.0.0.2',
  '10.0.0.1, 10.0.0.2',
  '1.2.3.4,1:20',
  '1.2.3.4,#x',
  'On:1',
  'yes:',
  'e4',
  'E10',
  'e4x',
  `a${'b'.repeat(600)}`,
];

function randomValue(next: () => number, depth: number): ManifestValue {
  const roll = next();
  if (depth < 3 && roll < 0.2) return randomMap(next, depth + 1);
  if (depth < 3 && roll < 0.3) {
    const list: ManifestValue[] = [];
    const n = next() < 0.05 ? 0 : 1 + Math.floor(next() * 3);
    for (let i = 0; i < n; i++) list.push(randomValue(next, depth + 1));
    return list;
  }
  if (roll < 0.35) return null;
  if (roll < 0.4) return next() < 0.5;
  if (roll < 0.5)
    return [0, -1, 53, 30053, 1.5, -0, 2 ** 60][Math.floor(next() * 7)];
  if (roll < 0.52) return {};
  return WORDS[Math.floor(next() * WORDS.length)];
}

/** Mostly keys manifests use, a few the emitter must leave to the library. */
const KEYS = ['name', 'port', 'metallb.io/x', 'app.kubernetes.io/name', 'a-b'];
const ODD_KEYS = [
  'e5',
  'y',
  'On',
  'a b',
  '1',
  '',
  '#',
  'x:',
  `k${'x'.repeat(1100)}`,
  `k${'x'.repeat(600)}`,
];

function randomMap(next: () => number, depth: number): ManifestObject {
  const map: ManifestObject = {};
  const n = 1 + Math.floor(next() * 4);
  for (let i = 0; i < n; i++) {
    const key =
      next() < 0.03
        ? ODD_KEYS[Math.floor(next() * ODD_KEYS.length)]
        : KEYS[Math.floor(next() * KEYS.length)];
    map[key] = randomValue(next, depth);
  }
  return map;
}

describe('emitYamlDocument', () => {
  it('writes a Service manifest exactly as the yaml library does', () => {
    const manifest: ManifestObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'web',
        namespace: 'shop',
        labels: { app: 'web', 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: {
          'metallb.io/loadBalancerIPs': '10.0.0.5,fd00::5',
          'metallb.io/address-pool': 'pool-1',
          'example.com/on': 'on',
        },
      },
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'web' },
        ports: [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' },
          { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
        ],
        ipFamilies: ['IPv4', 'IPv6'],
        allocateLoadBalancerNodePorts: true,
      },
    };
    const comment = 'shop/web after the change';
    expect(emitYamlDocument(manifest, comment)).toBe(
      library(manifest, comment),
    );
    expect(emitYamlDocument(manifest)).toBe(library(manifest));
  });

  it('matches the library or declines, on random documents', () => {
    const next = seededRandom(20250601);
    let emitted = 0;
    for (let i = 0; i < 3000; i++) {
      const object = randomMap(next, 0);
      const comment =
        next() < 0.3 ? WORDS[Math.floor(next() * WORDS.length)] : undefined;
      const fast = emitYamlDocument(object, comment);
      if (fast === undefined) continue;
      emitted++;
      expect({ object, comment, text: fast }).toEqual({
        object,
        comment,
        text: library(object, comment),
      });
    }
    // Most documents take the fast path; the check above is not vacuous.
    expect(emitted).toBeGreaterThan(300);
  });
});
