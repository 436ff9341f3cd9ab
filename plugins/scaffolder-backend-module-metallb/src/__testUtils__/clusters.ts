import type {
  ClusterSnapshot,
  KubeObject,
} from '@lb-doctor/plugin-metallb-common';

/** Fixture clusters: small, explicit, and read by the real engine. */

const controller = (version: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'controller', namespace: 'metallb-system' },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'controller',
            image: `quay.io/metallb/controller:${version}`,
          },
        ],
      },
    },
  },
});

/** chisel-operator limited to its class, so it does not also take class-less Services. */
const chiselOperator: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chisel-operator', namespace: 'chisel-operator-system' },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'chisel-operator',
            image: 'ghcr.io/fyralabs/chisel-operator:v0.7.1',
            env: [
              {
                name: 'LOAD_BALANCER_CLASS',
                value: 'chisel-operator.io/chisel-operator-class',
              },
            ],
          },
        ],
      },
    },
  },
};

const pool = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'metallb.io/v1beta1',
  kind: 'IPAddressPool',
  metadata: { name, namespace: 'metallb-system' },
  spec,
});

const l2: KubeObject = {
  apiVersion: 'metallb.io/v1beta1',
  kind: 'L2Advertisement',
  metadata: { name: 'all', namespace: 'metallb-system' },
  spec: {},
};

const namespace = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
});

/** A Service already holding an address, as the API returns it. */
export const liveService = (
  name: string,
  ip: string,
  extra: { annotations?: Record<string, string>; ports?: number[] } = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    resourceVersion: '1',
    creationTimestamp: '2025-01-01T00:00:00Z',
    annotations: {
      'metallb.io/ip-allocated-from-pool': 'public',
      ...extra.annotations,
    },
  },
  spec: {
    type: 'LoadBalancer',
    clusterIP: '10.96.0.10',
    clusterIPs: ['10.96.0.10'],
    selector: { app: name },
    ports: (extra.ports ?? [80]).map(port => ({ port, protocol: 'TCP' })),
  },
  status: { loadBalancer: { ingress: [{ ip }] } },
});

function build(
  name: string,
  version: string,
  objects: KubeObject[],
): ClusterSnapshot {
  const byKind = (kind: string) => objects.filter(o => o.kind === kind);
  return {
    name,
    collectedAt: '2026-01-10T10:00:00Z',
    deployments: [controller(version), chiselOperator] as never,
    daemonSets: [],
    namespaces: ['default', 'shop', 'payments', 'metallb-system'].map(
      namespace,
    ) as never,
    ipAddressPools: byKind('IPAddressPool') as never,
    l2Advertisements: [l2] as never,
    bgpAdvertisements: [],
    services: byKind('Service') as never,
    configMaps: [],
    events: [],
    nodes: [],
  };
}

const pools = [
  // .0 is skipped (avoidBuggyIPs) and .1 is taken below: the first free address is .2.
  pool('public', { addresses: ['192.0.2.0/28'], avoidBuggyIPs: true }),
  pool('v6', { addresses: ['2001:db8::/120'] }),
  pool('payments-only', {
    addresses: ['198.51.100.0/29'],
    serviceAllocation: { namespaces: ['payments'] },
  }),
];

const existing = [
  liveService('web', '192.0.2.1', {
    annotations: { 'metallb.io/allow-shared-ip': 'web-key' },
  }),
];

/** Current MetalLB (reads `metallb.io/`), chisel-operator restricted to its class. */
export const DC = build('dc', 'v0.15.2', [...pools, ...existing]);

/** MetalLB 0.14.8: only reads `metallb.universe.tf/` annotations. */
export const OLD = build('old', 'v0.14.8', [
  ...pools,
  liveService('web', '192.0.2.1', {
    annotations: { 'metallb.universe.tf/allow-shared-ip': 'web-key' },
  }),
]);

export const clusters = (): Record<string, ClusterSnapshot | null> => ({
  dc: DC,
  old: OLD,
  // Configured but never scanned.
  fresh: null,
});
