import { seededRandom } from './faults';
import { intToIp } from './actors/ip';
import { KubeObject, Scenario } from './types';

const COMPONENTS = [
  'storefront',
  'payments',
  'edge-gateway',
  'media-server',
  'reports',
];

/**
 * Builds a large, deterministic cluster for benchmarks: `pools` IPAddressPools of a /22 each and
 * `services` LoadBalancer Services spread over namespaces, most with an IP from their pool, some
 * pending and some holding an IP outside every pool (foreign controller).
 */
export function generateCluster(options: {
  name: string;
  services: number;
  pools: number;
  seed?: number;
}): Scenario {
  const random = seededRandom(options.seed ?? 42);
  const pools = Math.max(1, options.pools);
  const nsCount = Math.max(1, Math.ceil(options.services / 100));
  const created = new Date(Date.UTC(2026, 0, 5, 8, 0, 0));
  const ts = (offsetMin: number) =>
    new Date(created.getTime() + offsetMin * 60000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  const objects: KubeObject[] = [];
  const namespaces = Array.from(
    { length: nsCount },
    (_, i) => `team-${String(i).padStart(3, '0')}`,
  );
  for (const ns of ['metallb-system', ...namespaces]) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: { 'kubernetes.io/metadata.name': ns },
        creationTimestamp: ts(0),
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  // Pool p covers 10.(100 + p/64).(p%64*4).0/22.
  const poolBase = (p: number) =>
    (10 << 24) + ((100 + Math.floor(p / 64)) << 16) + (((p % 64) * 4) << 8);
  for (let p = 0; p < pools; p++) {
    const base = poolBase(p);
    objects.push({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: {
        name: `pool-${p}`,
        namespace: 'metallb-system',
        creationTimestamp: ts(1),
      },
      spec: {
        addresses: [`${intToIp(base >>> 0)}/22`],
        autoAssign: true,
        avoidBuggyIPs: false,
      },
    });
  }
  const nextInPool = new Array<number>(pools).fill(1);
  for (let i = 0; i < options.services; i++) {
    const ns = namespaces[i % nsCount];
    const component = COMPONENTS[i % COMPONENTS.length];
    const p = Math.floor(random() * pools);
    const roll = random();
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: `svc-${String(i).padStart(5, '0')}`,
        namespace: ns,
        labels: {
          app: `app-${i % 50}`,
          'backstage.io/kubernetes-id': component,
        },
        creationTimestamp: ts(10 + (i % 1000)),
      },
      spec: {
        type: 'LoadBalancer',
        clusterIP: intToIp(((10 << 24) + (96 << 16) + 10 + i) >>> 0),
        clusterIPs: [intToIp(((10 << 24) + (96 << 16) + 10 + i) >>> 0)],
        ports: [
          {
            name: 'http',
            port: 80,
            protocol: 'TCP',
            targetPort: 8080,
            nodePort: 30000 + (i % 2767),
          },
        ],
        selector: { app: `app-${i % 50}` },
        externalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        sessionAffinity: 'None',
        allocateLoadBalancerNodePorts: true,
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    };
    if (roll < 0.9 && nextInPool[p] < 1023) {
      const ip = intToIp((poolBase(p) + nextInPool[p]++) >>> 0);
      svc.metadata.annotations = {
        'metallb.io/ip-allocated-from-pool': `pool-${p}`,
      };
      svc.status = { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
    } else if (roll < 0.95) {
      svc.status = {
        loadBalancer: {
          ingress: [{ ip: `203.0.113.${1 + (i % 250)}`, ipMode: 'VIP' }],
        },
      };
      svc['x-status-manager'] = 'chisel-operator';
    }
    objects.push(svc);
  }
  return {
    name: options.name,
    description: `generated: ${options.services} services, ${pools} pools`,
    crds: ['metallb'],
    objects,
  };
}
