import type { Service } from '../model/kubernetes';
import type { Remediation } from '../model/report';
import {
  fixSharingKeyRemediation,
  inletsIgnoreRemediation,
  kubeVipIgnoreRemediation,
  metallbLbClassRemediation,
  migrateLegacyConfigMapRemediation,
  moveToAnnotationRemediation,
  removeDuplicateRequestRemediation,
  setLoadBalancerClassRemediation,
  splitServiceRemediation,
  useAddressPoolRemediation,
  useFreeIpRemediation,
} from './index';
import { parseValidDocuments } from './testUtils';
import { seededRandom } from '../__testUtils__/random';

const ODD = [
  'a',
  '"',
  "'",
  ':',
  '#',
  '- ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '\\',
  '\n',
  '\t',
  ' ',
  'é',
  '名前',
  '🚀',
  '\u200b',
  'on',
  'yes',
  'null',
  '~',
  '0x1F',
  '1:20',
  '0755',
  'true',
  '---',
  '...',
  '$',
  '/',
  '.',
];

function oddString(next: () => number, max: number): string {
  const length = Math.floor(next() * max);
  let out = '';
  for (let i = 0; i < length; i++) out += ODD[Math.floor(next() * ODD.length)];
  return out;
}

function pick<T>(next: () => number, items: T[]): T {
  return items[Math.floor(next() * items.length)];
}

function oddValue(next: () => number): unknown {
  return pick(next, [
    oddString(next, 12),
    42,
    true,
    null,
    undefined,
    [1, 'x'],
    { nested: oddString(next, 4) },
    '',
    'a'.repeat(300),
  ]);
}

function oddService(next: () => number): Service {
  const labels: Record<string, unknown> = {};
  const annotations: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--)
    labels[oddString(next, 10) || 'k'] = oddValue(next);
  for (let i = Math.floor(next() * 5); i > 0; i--)
    annotations[oddString(next, 30) || 'k'] = oddValue(next);
  if (next() < 0.3)
    annotations['metallb.io/loadBalancerIPs'] = pick(next, [
      '192.168.1.1',
      '',
      ' 10.0.0.1 , fd00::1',
      oddString(next, 5),
    ]);
  if (next() < 0.3)
    annotations['chisel-operator.io/exit-node-name'] = oddString(next, 8);
  const ports: unknown[] = [];
  for (let i = Math.floor(next() * 4); i > 0; i--) {
    ports.push(
      pick(next, [
        {
          port: Math.floor(next() * 70000),
          protocol: pick(next, ['TCP', 'udp', 'SCTP', 7, 'X']),
          name: oddValue(next),
          targetPort: oddValue(next),
          nodePort: Math.floor(next() * 40000),
        },
        { port: String(Math.floor(next() * 65535)) },
        'junk',
        null,
      ]),
    );
  }
  const name = pick(next, [
    oddString(next, 20),
    'x'.repeat(Math.floor(next() * 300)),
    'web-1',
    undefined,
    12,
  ]);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: name as string,
      namespace: pick(next, [
        oddString(next, 10),
        'default',
        undefined,
      ]) as string,
      labels: (next() < 0.9 ? labels : oddValue(next)) as Record<
        string,
        string
      >,
      annotations: (next() < 0.9 ? annotations : oddValue(next)) as Record<
        string,
        string
      >,
      uid: 'u',
      resourceVersion: '1',
      managedFields: [],
    },
    spec: {
      type: pick(next, ['LoadBalancer', 'ClusterIP', undefined]),
      selector: (next() < 0.8 ? labels : oddValue(next)) as Record<
        string,
        string
      >,
      ports: (next() < 0.9 ? ports : oddValue(next)) as [],
      loadBalancerIP: pick(next, [
        undefined,
        '192.168.1.5',
        oddString(next, 6),
      ]) as string,
      loadBalancerClass: pick(next, [
        undefined,
        'x.io/y',
        oddString(next, 6),
      ]) as string,
      externalTrafficPolicy: pick(next, ['Local', 'Cluster', undefined]),
      clusterIP: '10.0.0.1',
      clusterIPs: pick(next, [
        ['10.0.0.1'],
        ['10.0.0.1', 'fd00::1'],
        undefined,
      ]) as string[],
      ipFamilyPolicy: pick(next, [
        'SingleStack',
        'RequireDualStack',
        undefined,
      ]),
      [oddString(next, 6) || 'extra']: oddValue(next),
    } as Service['spec'],
    status: { loadBalancer: { ingress: [{ ip: '192.168.1.5' }] } },
  };
}

let documentsChecked = 0;

function checkRemediation(r: Remediation): void {
  expect(typeof r.id).toBe('string');
  expect(r.title.length).toBeGreaterThan(0);
  expect(r.description.length).toBeGreaterThan(0);
  if (r.yaml !== undefined)
    documentsChecked += parseValidDocuments(r.yaml).length;
  for (const command of r.commands ?? []) expect(typeof command).toBe('string');
}

describe('remediations on randomised Services', () => {
  it('always emit YAML that parses and validates', () => {
    const seed = 20251125;
    const next = seededRandom(seed);
    for (let i = 0; i < 400; i++) {
      const service = oddService(next);
      const other = oddService(next);
      const word = oddString(next, 15);
      try {
        checkRemediation(
          setLoadBalancerClassRemediation(service, {
            controller: pick(next, ['chisel-operator', word, 'kube-vip']),
          }),
        );
        checkRemediation(
          splitServiceRemediation(service, {
            controller: 'chisel-operator',
            suffix: word,
            metallbLoadBalancerClass: pick(next, [null, 'metallb.io/x']),
          }),
        );
        checkRemediation(
          moveToAnnotationRemediation(service, {
            annotationPrefix: pick(next, [
              'metallb.io',
              'metallb.universe.tf/',
              word,
            ]),
          }),
        );
        checkRemediation(removeDuplicateRequestRemediation(service));
        checkRemediation(
          useFreeIpRemediation(service, {
            ips: pick(next, ['192.168.1.9', word, ['10.0.0.2', 'fd00::2']]),
            pool: word,
          }),
        );
        checkRemediation(
          useAddressPoolRemediation(service, { pool: word || 'pool' }),
        );
        checkRemediation(
          fixSharingKeyRemediation([service, other], { sharingKey: word }),
        );
        checkRemediation(kubeVipIgnoreRemediation(service));
        checkRemediation(inletsIgnoreRemediation(service));
        checkRemediation(
          metallbLbClassRemediation({
            loadBalancerClass: word || 'a/b',
            classlessServices: [service, other],
          }),
        );
        checkRemediation(
          migrateLegacyConfigMapRemediation({
            pools: [
              {
                name: word,
                protocol: pick(next, ['layer2', 'bgp', word]),
                addresses: [oddString(next, 8) || '10.0.0.0/30'],
              },
            ],
          }),
        );
      } catch (error) {
        throw new Error(
          `seed ${seed}, iteration ${i}: ${(error as Error).message}`,
        );
      }
    }
    // Guards against the generator drifting into inputs for which nothing is emitted.
    expect(documentsChecked).toBeGreaterThan(4000);
  });

  it('the validator rejects what it must', () => {
    expect(() =>
      parseValidDocuments(
        'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: b}\nspec: {type: LoadBalancer, selector: {}, ports: []}\n',
      ),
    ).toThrow(/ports/);
    expect(() => parseValidDocuments('a: [')).toThrow(/YAML error/);
    expect(() =>
      parseValidDocuments(
        'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: b}\nspec: {type: LoadBalancer, selector: {a: on}, ports: [{port: 80, protocol: TCP}]}\n',
      ),
    ).toThrow();
    expect(() =>
      parseValidDocuments(
        'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: a, namespace: b}\nspec: {addresses: []}\n',
      ),
    ).toThrow(/addresses/);
  });
});
