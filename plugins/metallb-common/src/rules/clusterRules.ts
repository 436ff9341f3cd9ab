import { parse as parseYaml } from 'yaml';
import {
  cidrContains,
  cidrSize,
  formatCidr,
  parseIp,
  usableCount,
} from '../ip';
import { parseLegacyConfig } from '../metallb/config';
import type { Finding } from '../model/report';
import {
  kubeProxyStrictArpRemediation,
  migrateLegacyConfigMapRemediation,
} from '../remediation';
import { ClusterFacts, finding } from './context';

/** A cluster-level rule. */
export type ClusterRule = (cluster: ClusterFacts) => Finding[];

/** invalid-metallb-config and overlapping-pools. */
export const invalidConfig: ClusterRule = cluster => {
  const results: Finding[] = [];
  const overlaps = cluster.config.errors.filter(e =>
    e.includes('overlaps with already defined CIDR'),
  );
  const others = cluster.config.errors.filter(e => !overlaps.includes(e));
  if (overlaps.length > 0) {
    results.push(
      finding(
        'overlapping-pools',
        'error',
        `MetalLB's address pools overlap, so MetalLB rejects the configuration and keeps its last good one: ${overlaps.join(
          '; ',
        )}.`,
        overlaps,
      ),
    );
  }
  const states = (cluster.snapshot.configurationStates ?? []).filter(
    s => s.status?.result === 'Invalid',
  );
  const stateErrors = states.map(
    s =>
      `ConfigurationState ${s.metadata?.name ?? '?'}: ${
        s.status?.errorSummary ?? 'Invalid'
      }`,
  );
  if (others.length > 0 || stateErrors.length > 0 || overlaps.length > 0) {
    results.push(
      finding(
        'invalid-metallb-config',
        'error',
        `MetalLB rejects its configuration and keeps running the last one it accepted, so recent changes to pools do not take effect. ${
          [...others, ...overlaps].join('; ') || stateErrors.join('; ')
        }. The verdicts assume the valid objects are in force.`,
        [...others, ...overlaps, ...stateErrors],
      ),
    );
  }
  for (const ignored of cluster.config.ignored) {
    results.push(
      finding(
        'invalid-metallb-config',
        'warning',
        `${ignored}: MetalLB only reads pools from its own namespace.`,
        [ignored],
      ),
    );
  }
  return results;
};

/** legacy-configmap. */
export const legacyConfigMap: ClusterRule = cluster => {
  const legacy = cluster.config.legacyConfigMap;
  if (!legacy) return [];
  const cm = (cluster.snapshot.configMaps ?? []).find(
    c =>
      `${c.metadata?.namespace ?? '?'}/${c.metadata?.name ?? ''}` ===
      legacy.ref,
  );
  const parsed =
    typeof cm?.data?.config === 'string'
      ? parseLegacyConfig(cm.data.config)
      : { drafts: [] };
  const fix = migrateLegacyConfigMapRemediation({
    pools: parsed.drafts.map(d => ({
      name: d.name,
      protocol: d.protocol,
      addresses: Array.isArray(d.addresses) ? d.addresses.map(String) : [],
      autoAssign: d.autoAssign !== false,
      avoidBuggyIPs: d.avoidBuggyIPs === true,
    })),
    namespace: cluster.install.namespace,
  });
  return [
    finding(
      'legacy-configmap',
      'warning',
      legacy.used
        ? `MetalLB ${cluster.features.version} is configured through the ${legacy.ref} ConfigMap, a format dropped in MetalLB 0.13: upgrading without converting it leaves MetalLB with no pools. Convert it to IPAddressPool objects.`
        : `The ${legacy.ref} ConfigMap holds a pre-0.13 MetalLB configuration that MetalLB ${cluster.features.version} ignores: its pools do not exist for MetalLB. Convert it to IPAddressPool objects or delete it.`,
      [`ConfigMap ${legacy.ref} has a config key with address-pools`],
      [fix],
    ),
  ];
};

/** kube-proxy-strict-arp: IPVS without strictARP breaks MetalLB's layer 2 mode. */
export const kubeProxyStrictArp: ClusterRule = cluster => {
  const cm = (cluster.snapshot.configMaps ?? []).find(
    c =>
      c.metadata?.namespace === 'kube-system' &&
      c.metadata?.name === 'kube-proxy',
  );
  const text = cm?.data?.['config.conf'];
  if (!cm || typeof text !== 'string' || cluster.install.installed === false)
    return [];
  let config: { mode?: unknown; ipvs?: { strictARP?: unknown } };
  try {
    config = (parseYaml(text, { maxAliasCount: 50 }) ?? {}) as typeof config;
  } catch {
    return [];
  }
  if (config.mode !== 'ipvs' || config.ipvs?.strictARP === true) return [];
  const usesL2 = cluster.config.pools.some(
    p => p.advertised === null || p.advertised.l2,
  );
  if (!usesL2) return [];
  return [
    finding(
      'kube-proxy-strict-arp',
      'error',
      "kube-proxy runs in IPVS mode without strictARP, so every node answers ARP for every LoadBalancer IP and MetalLB's layer 2 announcements break. Turn on strictARP.",
      [
        `ConfigMap kube-system/kube-proxy: mode "ipvs", ipvs.strictARP ${String(
          config.ipvs?.strictARP ?? 'unset',
        )}`,
      ],
      [kubeProxyStrictArpRemediation({ configMap: cm })],
    ),
  ];
};

/** pool-contains-node-ip. */
export const poolContainsNodeIp: ClusterRule = cluster => {
  const results: Finding[] = [];
  for (const node of cluster.snapshot.nodes ?? []) {
    const addresses = Array.isArray(node.status?.addresses)
      ? node.status!.addresses!
      : [];
    for (const address of addresses) {
      const ip = parseIp(address?.address);
      if (!ip) continue;
      const pool = cluster.config.pools.find(p =>
        p.cidrs.some(c => cidrContains(c, ip)),
      );
      if (!pool) continue;
      results.push(
        finding(
          'pool-contains-node-ip',
          'error',
          `Pool "${pool.name}" contains ${address.address}, the ${
            address.type ?? ''
          } address of node ${
            node.metadata?.name ?? '?'
          }: MetalLB may hand it to a Service and break that node. Remove it from the pool.`,
          [
            `node ${node.metadata?.name ?? '?'} ${address.type ?? 'address'} ${
              address.address
            }`,
            `pool ${pool.name}: ${pool.addresses.join(', ')}`,
          ],
        ),
      );
    }
  }
  return results;
};

/** duplicate-metallb. */
export const duplicateMetallb: ClusterRule = cluster => {
  const byClass = new Map<string, string[]>();
  for (const c of cluster.install.controllers) {
    const key = c.lbClass ?? '';
    byClass.set(key, [...(byClass.get(key) ?? []), c.ref]);
  }
  return [...byClass.entries()]
    .filter(([, refs]) => refs.length > 1)
    .map(([cls, refs]) =>
      finding(
        'duplicate-metallb',
        'error',
        `${refs.length} MetalLB controllers (${refs.join(
          ', ',
        )}) serve the same ${
          cls ? `class "${cls}"` : 'class-less'
        } Services; each assigns IPs from its own view and they overwrite each other. Keep one.`,
        refs.map(r => `Deployment ${r}`),
      ),
    );
};

/** pool-exhausted / pool-nearly-full at pool level. */
export const poolCapacity: ClusterRule = cluster => {
  const results: Finding[] = [];
  const usage = cluster.allocator.usageByPool();
  for (const pool of cluster.config.pools) {
    const used = usage.get(pool.name) ?? { ipv4: 0, ipv6: 0, services: [] };
    for (const family of ['ipv4', 'ipv6'] as const) {
      const cidrs = pool.cidrs.filter(c => c.family === family);
      if (cidrs.length === 0) continue;
      const capacity = cidrs.reduce(
        (sum, c) => sum + usableCount(c, pool.avoidBuggyIPs),
        0n,
      );
      if (capacity > 1_000_000n) continue;
      const free = Number(capacity) - used[family];
      const total = Number(capacity);
      const label = family === 'ipv4' ? 'IPv4' : 'IPv6';
      if (free <= 0 && pool.autoAssign) {
        results.push(
          finding(
            'pool-exhausted',
            'warning',
            `Pool "${pool.name}" has no free ${label} address left (${used[family]} of ${total} in use): the next Service that needs one gets none.`,
            [`pool ${pool.name}: ${cidrs.map(formatCidr).join(', ')}`],
          ),
        );
      } else if (total >= 4 && free / total <= 0.1) {
        results.push(
          finding(
            'pool-nearly-full',
            'warning',
            `Pool "${pool.name}" has ${free} free ${label} address${
              free === 1 ? '' : 'es'
            } left of ${total}.`,
            [`pool ${pool.name}: ${used[family]} of ${total} in use`],
          ),
        );
      }
    }
  }
  return results;
};

/** metallb-known-bug at cluster level. */
export const clusterKnownBugs: ClusterRule = cluster => {
  if (
    !cluster.versionKnown ||
    cluster.features.emptyServiceAllocationMatchesAll
  )
    return [];
  const pools = cluster.config.pools.filter(
    p =>
      p.serviceAllocation &&
      p.serviceAllocation.namespaces.size === 0 &&
      p.serviceAllocation.serviceSelectors.length === 0 &&
      p.serviceAllocation.namespaceSelectorCount === 0,
  );
  return pools.map(p =>
    finding(
      'metallb-known-bug',
      'warning',
      `Pool "${p.name}" has an empty (or priority-only) serviceAllocation: MetalLB ${cluster.features.version} then gives its IPs to no Service automatically. Fixed in MetalLB 0.15.0, which makes it match every Service.`,
      [
        `pool ${p.name} serviceAllocation has no namespaces or selectors`,
        `MetalLB ${cluster.features.version}`,
      ],
    ),
  );
};

/** The cluster rules, in order. */
export const CLUSTER_RULES: readonly ClusterRule[] = [
  duplicateMetallb,
  invalidConfig,
  legacyConfigMap,
  kubeProxyStrictArp,
  poolContainsNodeIp,
  poolCapacity,
  clusterKnownBugs,
];

export { cidrSize };
