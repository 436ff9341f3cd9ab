/*
 * Deterministic synthetic cluster for the benchmark: what `kubectl get ns,nodes,deploy,ds,svc,ev,
 * ipaddresspools,l2advertisements,bgpadvertisements -A -o json` would return for a large MetalLB
 * installation. The shape follows the fixtures in plugins/metallb-common/fixtures, scaled up:
 * Services already hold IPs allocated the way MetalLB allocates them (pool choice by
 * serviceAllocation, addresses from the bottom of each pool, avoidBuggyIPs honoured), so the
 * engine does the full amount of work a real, mostly healthy cluster costs, not the early exits of
 * an empty one.
 */
import type { KubeObject } from '@lb-doctor/plugin-metallb-common';

/** @public */
export interface GenerateOptions {
  services: number;
  pools: number;
  seed: number;
}

/** Picks a family: the first `v4` share IPv4-only, then `v6` IPv6-only, the rest dual-stack. */
function familyOf(roll: number, v4: number, v6: number): Family {
  if (roll < v4) return 'v4';
  if (roll < v4 + v6) return 'v6';
  return 'dual';
}

/** mulberry32: a tiny seeded PRNG, so that every run benchmarks the same cluster. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Family = 'v4' | 'v6' | 'dual';

interface PoolPlan {
  name: string;
  family: Family;
  /** Addresses per family: a power of two, the size of each CIDR. */
  size: number;
  prefixV4: number;
  prefixV6: number;
  baseV4: number;
  v6Block: number;
  avoidBuggyIPs: boolean;
  /** Namespaces the pool is pinned to (serviceAllocation.namespaces), empty when unrestricted. */
  namespaces: string[];
  /** Label value of `tier` a Service must carry (serviceAllocation.serviceSelectors). */
  tier: string | null;
  priority: number;
  nextV4: number;
  nextV6: number;
  assignedV4: number;
  assignedV6: number;
}

const MANAGED_AT = '2025-06-01T10:00:00Z';

function ipv4(value: number): string {
  return [
    value >>> 24,
    (value >>> 16) & 255,
    (value >>> 8) & 255,
    value & 255,
  ].join('.');
}

function ipv6(block: number, offset: number): string {
  return `fd00:0:${(block >>> 16).toString(16)}:${(block & 0xffff).toString(
    16,
  )}::${offset.toString(16)}`;
}

function uid(rand: () => number): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join(
      '',
    );
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

/**
 * Builds the cluster as a `kind: List`. Sizes: pools are sized so the services fit with ~10 %
 * headroom; about 2 % of the Services are pending on purpose (full pinned pool, foreign IP,
 * unknown pool) so that failure paths are part of the measured work.
 */
export function generateCluster(options: GenerateOptions): KubeObject {
  const rand = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(rand() * items.length)];
  let resourceVersion = 1000;
  const meta = (
    name: string,
    namespace?: string,
    extra: Record<string, unknown> = {},
  ) => ({
    name,
    ...(namespace ? { namespace } : {}),
    uid: uid(rand),
    resourceVersion: String((resourceVersion += 7)),
    creationTimestamp: '2025-05-01T08:00:00Z',
    ...extra,
  });

  const items: KubeObject[] = [];

  // Namespaces: about 40 Services each, labelled by team so that namespaceSelectors match some.
  const namespaceCount = Math.max(4, Math.ceil(options.services / 40));
  const teams = [
    'payments',
    'search',
    'platform',
    'data',
    'edge',
    'ml',
    'web',
    'mobile',
  ];
  const namespaces = Array.from(
    { length: namespaceCount },
    (_, i) => `ns-${i}`,
  );
  const teamOf = new Map(namespaces.map(ns => [ns, pick(teams)]));
  for (const ns of namespaces) {
    items.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(ns, undefined, {
        labels: { 'kubernetes.io/metadata.name': ns, team: teamOf.get(ns)! },
      }),
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  for (const ns of ['metallb-system', 'kube-system']) {
    items.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(ns, undefined, {
        labels: { 'kubernetes.io/metadata.name': ns },
      }),
      status: { phase: 'Active' },
    });
  }

  // Nodes, with addresses outside every pool.
  for (let i = 0; i < 20; i++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta(`node-${i}`, undefined, {
        labels: {
          'kubernetes.io/hostname': `node-${i}`,
          'kubernetes.io/os': 'linux',
        },
      }),
      spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] },
      status: {
        addresses: [
          { type: 'InternalIP', address: `172.31.0.${10 + i}` },
          {
            type: 'InternalIP',
            address: `fd00:ffff::${(10 + i).toString(16)}`,
          },
          { type: 'Hostname', address: `node-${i}` },
        ],
      },
    });
  }

  // MetalLB itself.
  const labels = (component: string) => ({ app: 'metallb', component });
  items.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('controller', 'metallb-system', {
      labels: labels('controller'),
    }),
    spec: {
      replicas: 1,
      selector: { matchLabels: labels('controller') },
      template: {
        metadata: { labels: labels('controller') },
        spec: {
          containers: [
            {
              name: 'controller',
              image: 'quay.io/metallb/controller:v0.15.2',
              args: [
                '--port=7472',
                '--log-level=info',
                '--tls-min-version=VersionTLS12',
              ],
            },
          ],
        },
      },
    },
    status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
  });
  items.push({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta('speaker', 'metallb-system', { labels: labels('speaker') }),
    spec: {
      selector: { matchLabels: labels('speaker') },
      template: {
        metadata: { labels: labels('speaker') },
        spec: {
          containers: [
            {
              name: 'speaker',
              image: 'quay.io/metallb/speaker:v0.15.2',
              args: ['--port=7472'],
            },
          ],
        },
      },
    },
    status: { desiredNumberScheduled: 20, numberReady: 20 },
  });

  // Pools: a quarter IPv6-only or dual-stack; about one in eight restricted by serviceAllocation.
  const perPool = Math.ceil((options.services * 1.1) / options.pools);
  const size = 2 ** Math.max(3, Math.ceil(Math.log2(perPool + 2)));
  const plans: PoolPlan[] = [];
  for (let i = 0; i < options.pools; i++) {
    const family = familyOf(rand(), 0.75, 0.1);
    const restricted = rand() < 0.125;
    const byTier = restricted && rand() < 0.3;
    plans.push({
      name: `pool-${i}`,
      family,
      size,
      prefixV4: 32 - Math.log2(size),
      prefixV6: 128 - Math.log2(size),
      baseV4: ((10 << 24) >>> 0) + i * size,
      v6Block: i,
      avoidBuggyIPs: family !== 'v6' && rand() < 0.3,
      namespaces:
        restricted && !byTier ? [pick(namespaces), pick(namespaces)] : [],
      tier: byTier ? pick(['edge', 'internal', 'batch']) : null,
      priority: restricted ? 1 + Math.floor(rand() * 50) : 0,
      nextV4: 0,
      nextV6: 0,
      assignedV4: 0,
      assignedV6: 0,
    });
  }
  // Duplicate namespaces are invalid in serviceAllocation: keep one.
  for (const plan of plans) plan.namespaces = [...new Set(plan.namespaces)];

  const pinnedByNamespace = new Map<string, PoolPlan[]>();
  const byTier = new Map<string, PoolPlan[]>();
  const fallback: Record<Family, PoolPlan[]> = { v4: [], v6: [], dual: [] };
  for (const plan of plans) {
    for (const ns of plan.namespaces) {
      pinnedByNamespace.set(ns, [...(pinnedByNamespace.get(ns) ?? []), plan]);
    }
    if (plan.tier)
      byTier.set(plan.tier, [...(byTier.get(plan.tier) ?? []), plan]);
    if (plan.namespaces.length === 0 && !plan.tier)
      fallback[plan.family].push(plan);
  }
  const serves = (plan: PoolPlan, family: Family) =>
    family === 'dual'
      ? plan.family === 'dual'
      : plan.family === family || plan.family === 'dual';

  // The next free address of a pool, the way MetalLB hands them out (bottom up, skipping .0 and
  // .255 with avoidBuggyIPs); null when the pool is full for that family.
  const takeV4 = (plan: PoolPlan): string | null => {
    while (plan.nextV4 < plan.size) {
      const value = plan.baseV4 + plan.nextV4++;
      const last = value & 255;
      if (plan.avoidBuggyIPs && (last === 0 || last === 255)) continue;
      plan.assignedV4++;
      return ipv4(value);
    }
    return null;
  };
  const takeV6 = (plan: PoolPlan): string | null => {
    if (plan.nextV6 >= plan.size) return null;
    plan.assignedV6++;
    return ipv6(plan.v6Block, plan.nextV6++);
  };
  const allocate = (plan: PoolPlan, family: Family): string[] | null => {
    if (family === 'v4') {
      const ip = takeV4(plan);
      return ip ? [ip] : null;
    }
    if (family === 'v6') {
      const ip = takeV6(plan);
      return ip ? [ip] : null;
    }
    const v4 = takeV4(plan);
    const v6 = v4 ? takeV6(plan) : null;
    return v4 && v6 ? [v4, v6] : null;
  };

  // Services. Some come in pairs that share one IP (allow-shared-ip, TCP/53 + UDP/53).
  const services: KubeObject[] = [];
  const events: KubeObject[] = [];
  const clusterIpV4 = (n: number) => `10.96.${(n >>> 8) & 255}.${n & 255}`;
  const clusterIpV6 = (n: number) => `fd00:10:96::${n.toString(16)}`;
  let sharedWith: {
    ips: string[];
    pool: string;
    key: string;
    family: Family;
    ns: string;
  } | null = null;
  for (let n = 0; n < options.services; n++) {
    const ns = pick(namespaces);
    const family = familyOf(rand(), 0.75, 0.125);
    const name = `svc-${n}`;
    const tier = rand() < 0.1 ? pick(['edge', 'internal', 'batch']) : null;
    const annotations: Record<string, string> = {
      'meta.helm.sh/release-name': name,
      'meta.helm.sh/release-namespace': ns,
    };
    let ports = [
      {
        name: 'http',
        protocol: 'TCP',
        port: 80,
        targetPort: 8080,
        nodePort: 30000 + (n % 2767),
      },
      {
        name: 'https',
        protocol: 'TCP',
        port: 443,
        targetPort: 8443,
        nodePort: 32767 - (n % 2767),
      },
    ];
    let ips: string[] | null = null;
    let pool: PoolPlan | undefined;
    let poolName: string | null = null;
    let failure: string | null = null;

    if (sharedWith && sharedWith.family === family) {
      // Second half of a sharing pair: same key and IP, other protocol on port 53.
      annotations['metallb.io/allow-shared-ip'] = sharedWith.key;
      ports = [
        {
          name: 'dns-udp',
          protocol: 'UDP',
          port: 53,
          targetPort: 53,
          nodePort: 30053,
        },
      ];
      ips = sharedWith.ips;
      poolName = sharedWith.pool;
      sharedWith = null;
    } else {
      sharedWith = null;
      const special = rand();
      const candidates = [
        ...(tier ? byTier.get(tier) ?? [] : []),
        ...(pinnedByNamespace.get(ns) ?? []),
      ]
        .filter(p => serves(p, family))
        .sort((a, b) => a.priority - b.priority);
      pool = candidates.find(p => p.nextV4 < p.size || p.nextV6 < p.size);
      if (!pool) {
        const pools: PoolPlan[] = fallback[family].concat(
          family === 'dual' ? [] : fallback.dual,
        );
        pool = pools.length ? pick(pools) : undefined;
      }
      if (special < 0.01) {
        // Foreign IP requested through the deprecated field: MetalLB refuses it.
        failure = `["203.0.113.${n & 255}"] is not allowed in config`;
      } else if (special < 0.015) {
        annotations['metallb.io/address-pool'] = 'does-not-exist';
        failure = 'unknown pool "does-not-exist"';
      } else if (pool) {
        ips = allocate(pool, family);
        if (!ips) failure = `no available IPs in pool ${pool.name}`;
        poolName = pool.name;
        if (ips && special > 0.95)
          annotations['metallb.io/loadBalancerIPs'] = ips.join(',');
        if (ips && special > 0.9 && special <= 0.95 && family === 'v4') {
          const key = `share-${n}`;
          annotations['metallb.io/allow-shared-ip'] = key;
          ports = [
            {
              name: 'dns-tcp',
              protocol: 'TCP',
              port: 53,
              targetPort: 53,
              nodePort: 30054,
            },
          ];
          sharedWith = { ips, pool: pool.name, key, family, ns };
        }
      } else {
        failure = 'no available IPs';
      }
    }
    if (ips && poolName)
      annotations['metallb.io/ip-allocated-from-pool'] = poolName;

    const clusterIPs: string[] = [];
    if (family !== 'v6') clusterIPs.push(clusterIpV4(n));
    if (family !== 'v4') clusterIPs.push(clusterIpV6(n));
    const serviceLabels: Record<string, string> = {
      app: name,
      'app.kubernetes.io/managed-by': 'Helm',
    };
    if (tier) serviceLabels.tier = tier;
    const metadata: Record<string, unknown> = meta(name, ns, {
      labels: serviceLabels,
      annotations,
    });
    if (rand() < 0.2) {
      metadata.managedFields = [
        {
          manager: 'helm',
          operation: 'Update',
          apiVersion: 'v1',
          time: MANAGED_AT,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': {
              'f:annotations': { '.': {}, 'f:meta.helm.sh/release-name': {} },
            },
            'f:spec': { 'f:ports': {}, 'f:selector': {}, 'f:type': {} },
          },
        },
        {
          manager: 'controller',
          operation: 'Update',
          subresource: 'status',
          apiVersion: 'v1',
          time: MANAGED_AT,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': {
              'f:annotations': { 'f:metallb.io/ip-allocated-from-pool': {} },
            },
            'f:status': { 'f:loadBalancer': { 'f:ingress': {} } },
          },
        },
      ];
    }
    const spec: Record<string, unknown> = {
      type: 'LoadBalancer',
      selector: { app: name },
      ports,
      clusterIP: clusterIPs[0],
      clusterIPs,
      ipFamilies: clusterIPs.map(ip => (ip.includes(':') ? 'IPv6' : 'IPv4')),
      ipFamilyPolicy: family === 'dual' ? 'RequireDualStack' : 'SingleStack',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      sessionAffinity: 'None',
    };
    if (failure?.startsWith('["203'))
      spec.loadBalancerIP = `203.0.113.${n & 255}`;
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata as KubeObject['metadata'],
      spec,
      status: {
        loadBalancer: ips
          ? { ingress: ips.map(ip => ({ ip, ipMode: 'VIP' })) }
          : {},
      },
    };
    services.push(service);

    const involvedObject = {
      apiVersion: 'v1',
      kind: 'Service',
      name,
      namespace: ns,
      uid: service.metadata!.uid,
    };
    const event = (
      reason: string,
      type: string,
      message: string,
      count: number,
    ) =>
      events.push({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: meta(`${name}.${(n * 2654435761) >>> 0}`, ns),
        involvedObject,
        reason,
        type,
        message,
        count,
        firstTimestamp: '2025-05-01T08:00:00Z',
        lastTimestamp: '2025-06-01T09:59:00Z',
        source: { component: 'metallb-controller' },
        reportingComponent: 'metallb-controller',
      });
    if (failure) {
      event(
        'AllocationFailed',
        'Warning',
        `Failed to allocate IP for "${ns}/${name}": ${failure}`,
        1 + (n % 40),
      );
    } else if (ips && rand() < 0.3) {
      event(
        'IPAllocated',
        'Normal',
        `Assigned IP [${ips.map(ip => `"${ip}"`).join(' ')}]`,
        1,
      );
    }
  }

  // Pool objects last: their status counts reflect the allocations above.
  const v6Range = (plan: PoolPlan) =>
    `fd00:0:${(plan.v6Block >>> 16).toString(16)}:${(
      plan.v6Block & 0xffff
    ).toString(16)}::/${plan.prefixV6}`;
  for (const plan of plans) {
    const addresses: string[] = [];
    if (plan.family !== 'v6')
      addresses.push(`${ipv4(plan.baseV4)}/${plan.prefixV4}`);
    if (plan.family !== 'v4') addresses.push(v6Range(plan));
    const spec: Record<string, unknown> = {
      addresses,
      autoAssign: true,
      avoidBuggyIPs: plan.avoidBuggyIPs,
    };
    if (plan.namespaces.length > 0 || plan.tier) {
      spec.serviceAllocation = {
        priority: plan.priority,
        ...(plan.namespaces.length ? { namespaces: plan.namespaces } : {}),
        ...(plan.tier
          ? { serviceSelectors: [{ matchLabels: { tier: plan.tier } }] }
          : {}),
      };
    }
    let usableV4 = plan.family === 'v6' ? 0 : plan.size;
    if (usableV4 && plan.avoidBuggyIPs) {
      // avoidBuggyIPs does not count addresses ending in .0 or .255.
      for (let offset = 0; offset < plan.size; offset++) {
        const last = (plan.baseV4 + offset) & 255;
        if (last === 0 || last === 255) usableV4--;
      }
    }
    items.push({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: meta(plan.name, 'metallb-system'),
      spec,
      status: {
        assignedIPv4: plan.assignedV4,
        assignedIPv6: plan.assignedV6,
        availableIPv4: Math.max(0, usableV4 - plan.assignedV4),
        availableIPv6: plan.family === 'v4' ? 0 : plan.size - plan.assignedV6,
      },
    });
  }
  items.push({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'L2Advertisement',
    metadata: meta('all-v4', 'metallb-system'),
    spec: {
      ipAddressPools: plans.filter(p => p.family === 'v4').map(p => p.name),
    },
  });
  items.push({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'BGPAdvertisement',
    metadata: meta('v6-and-dual', 'metallb-system'),
    spec: {
      ipAddressPoolSelectors: [],
      ipAddressPools: plans.filter(p => p.family !== 'v4').map(p => p.name),
    },
  });

  // A loop, not push(...spread): 100,000 arguments overflow the call stack.
  for (const object of services) items.push(object);
  for (const object of events) items.push(object);
  return {
    apiVersion: 'v1',
    kind: 'List',
    metadata: { resourceVersion: '' },
    items,
  };
}
