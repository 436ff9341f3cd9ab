import { parse as parseYaml } from 'yaml';
import { Cidr, cidrsOverlap, formatCidr, parsePoolAddresses } from '../ip';
import type {
  Advertisement,
  ConfigMap,
  IPAddressPool,
  Namespace,
} from '../model/kubernetes';
import type { ClusterSnapshot } from '../model/snapshot';
import {
  CompiledSelector,
  compileSelector,
  isSelectorError,
} from './labelSelector';
import type { MetallbFeatures } from './version';

/** A pool as MetalLB's allocator sees it. @public */
export interface Pool {
  name: string;
  source: 'crd' | 'configmap';
  /** The `spec.addresses` entries as written. */
  addresses: string[];
  /** The blocks, in `spec.addresses` order, ranges summarised in ascending order. */
  cidrs: Cidr[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
  serviceAllocation: ServiceAllocation | null;
  labels: Record<string, string>;
  /** L2/BGP advertisements selecting the pool, `null` when advertisements were not read. */
  advertised: { l2: boolean; bgp: boolean } | null;
}

/** A pool's `serviceAllocation` after namespaceSelectors were evaluated. @public */
export interface ServiceAllocation {
  priority: number;
  /** Namespaces listed plus those matched by namespaceSelectors. */
  namespaces: Set<string>;
  namespaceSelectorCount: number;
  serviceSelectors: CompiledSelector[];
}

/** MetalLB's configuration as the running controller holds it. @public */
export interface MetallbConfig {
  /** Where it comes from; `unknown` when neither pools nor the ConfigMap were read. */
  source: 'crds' | 'configmap' | 'none' | 'unknown';
  /** Pools MetalLB uses, in name order (the API's list order). */
  pools: Pool[];
  /**
   * Problems for which MetalLB rejects the configuration and keeps its last good one. The pools
   * above exclude the offending objects: the best estimate of that last good configuration.
   */
  errors: string[];
  /** Pools MetalLB never reads (outside its namespace) or ignores (ConfigMap on a CRD release). */
  ignored: string[];
  /** The legacy ConfigMap, when present, and whether MetalLB reads it. */
  legacyConfigMap: { ref: string; used: boolean } | null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [k, v] of Object.entries(record(value)))
    if (typeof v === 'string') result[k] = v;
  return result;
}

interface PoolDraft {
  name: string;
  addresses: unknown;
  autoAssign: unknown;
  avoidBuggyIPs: unknown;
  serviceAllocation: unknown;
  labels: Record<string, string>;
}

function buildPool(
  draft: PoolDraft,
  source: Pool['source'],
  namespaces: Namespace[] | undefined,
  features: MetallbFeatures,
): Pool | { error: string } {
  if (!draft.name) return { error: 'missing pool name' };
  const addresses = Array.isArray(draft.addresses) ? draft.addresses : [];
  if (draft.addresses !== undefined && !Array.isArray(draft.addresses)) {
    return {
      error: `parsing address pool ${draft.name}: spec.addresses must be a list of strings`,
    };
  }
  if (addresses.length === 0)
    return {
      error: `parsing address pool ${draft.name}: pool has no prefixes defined`,
    };
  const cidrs: Cidr[] = [];
  for (const entry of addresses) {
    if (typeof entry !== 'string') {
      return {
        error: `parsing address pool ${draft.name}: address ${JSON.stringify(
          entry,
        )} is not a string`,
      };
    }
    const parsed = parsePoolAddresses(entry);
    if (!parsed.ok) {
      return {
        error: `parsing address pool ${draft.name}: invalid CIDR "${entry}" in pool "${draft.name}": ${parsed.error}`,
      };
    }
    cidrs.push(...parsed.value);
  }
  let serviceAllocation: ServiceAllocation | null = null;
  if (
    draft.serviceAllocation !== undefined &&
    draft.serviceAllocation !== null &&
    features.serviceAllocation
  ) {
    const result = buildServiceAllocation(
      draft.name,
      record(draft.serviceAllocation),
      namespaces,
      features,
    );
    if ('error' in result)
      return { error: `parsing address pool ${draft.name}: ${result.error}` };
    serviceAllocation = result;
  }
  return {
    name: draft.name,
    source,
    addresses: addresses as string[],
    cidrs,
    autoAssign:
      draft.autoAssign === undefined ? true : draft.autoAssign !== false,
    avoidBuggyIPs: features.avoidBuggyIPs && draft.avoidBuggyIPs === true,
    serviceAllocation,
    labels: draft.labels,
    advertised: null,
  };
}

function buildServiceAllocation(
  poolName: string,
  spec: Record<string, unknown>,
  namespaces: Namespace[] | undefined,
  features: MetallbFeatures,
): ServiceAllocation | { error: string } {
  const names = Array.isArray(spec.namespaces) ? spec.namespaces : [];
  const namespaceSet = new Set<string>();
  for (const ns of names) {
    if (namespaceSet.has(String(ns)))
      return { error: 'duplicate definition in namespaces field' };
    namespaceSet.add(String(ns));
  }
  const priority = typeof spec.priority === 'number' ? spec.priority : 0;
  const nsSelectors = Array.isArray(spec.namespaceSelectors)
    ? spec.namespaceSelectors
    : [];
  const svcSelectors = Array.isArray(spec.serviceSelectors)
    ? spec.serviceSelectors
    : [];
  const allocation: ServiceAllocation = {
    priority,
    namespaces: namespaceSet,
    namespaceSelectorCount: nsSelectors.length,
    serviceSelectors: [],
  };
  if (
    namespaceSet.size === 0 &&
    nsSelectors.length === 0 &&
    svcSelectors.length === 0
  ) {
    // Since 0.15.0 an empty (or priority-only) serviceAllocation matches every Service; before,
    // it matched none, so such a pool never auto-assigned.
    if (features.emptyServiceAllocationMatchesAll) {
      allocation.serviceSelectors.push({ text: '', matches: () => true });
    }
    return allocation;
  }
  for (const [field, list] of [
    ['namespaceSelectors', nsSelectors],
    ['serviceSelectors', svcSelectors],
  ] as const) {
    const seen = new Set<string>();
    for (const s of list) {
      const key = JSON.stringify(s);
      if (seen.has(key))
        return { error: `duplicate definition of ${field}. selector ${key}` };
      seen.add(key);
    }
  }
  for (const selector of nsSelectors) {
    const compiled = compileSelector(selector);
    if (isSelectorError(compiled)) {
      return {
        error: `invalid namespace label selector in ip pool ${poolName}: ${compiled.error}`,
      };
    }
    for (const ns of namespaces ?? []) {
      const name = ns.metadata?.name;
      if (name && compiled.matches(ns.metadata?.labels)) namespaceSet.add(name);
    }
  }
  for (const selector of svcSelectors) {
    const compiled = compileSelector(selector);
    if (isSelectorError(compiled)) {
      return {
        error: `invalid service label selector in ip pool ${poolName}: ${compiled.error}`,
      };
    }
    allocation.serviceSelectors.push(compiled);
  }
  return allocation;
}

function draftFromCrd(pool: IPAddressPool): PoolDraft {
  const spec = record(pool.spec);
  return {
    name: typeof pool.metadata?.name === 'string' ? pool.metadata.name : '',
    addresses: spec.addresses,
    autoAssign: spec.autoAssign,
    avoidBuggyIPs: spec.avoidBuggyIPs,
    serviceAllocation: spec.serviceAllocation,
    labels: stringMap(pool.metadata?.labels),
  };
}

const LEGACY_TOP_KEYS = new Set([
  'peers',
  'bgp-communities',
  'address-pools',
  'bfd-profiles',
]);
const LEGACY_POOL_KEYS = new Set([
  'name',
  'protocol',
  'addresses',
  'auto-assign',
  'avoid-buggy-ips',
  'bgp-advertisements',
]);

/** Parses the legacy `config` ConfigMap (MetalLB up to 0.12), strict like `yaml.UnmarshalStrict`. */
export function parseLegacyConfig(text: string): {
  drafts: Array<PoolDraft & { protocol: string }>;
  error?: string;
} {
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    return {
      drafts: [],
      error: `could not parse config: ${(e as Error).message.split('\n')[0]}`,
    };
  }
  const top = record(document);
  for (const key of Object.keys(top)) {
    if (!LEGACY_TOP_KEYS.has(key))
      return {
        drafts: [],
        error: `could not parse config: unknown field "${key}"`,
      };
  }
  const pools = Array.isArray(top['address-pools']) ? top['address-pools'] : [];
  const drafts: Array<PoolDraft & { protocol: string }> = [];
  for (const [index, raw] of pools.entries()) {
    const pool = record(raw);
    for (const key of Object.keys(pool)) {
      if (!LEGACY_POOL_KEYS.has(key)) {
        return {
          drafts,
          error: `could not parse config: unknown field "${key}" in address pool #${
            index + 1
          }`,
        };
      }
    }
    const name = typeof pool.name === 'string' ? pool.name : '';
    if (!name)
      return {
        drafts,
        error: `parsing address pool #${index + 1}: missing pool name`,
      };
    const protocol = typeof pool.protocol === 'string' ? pool.protocol : '';
    if (!protocol)
      return {
        drafts,
        error: `parsing address pool #${
          index + 1
        }: address pool is missing the protocol field`,
      };
    if (protocol !== 'layer2' && protocol !== 'bgp') {
      return {
        drafts,
        error: `parsing address pool #${
          index + 1
        }: unknown protocol "${protocol}"`,
      };
    }
    if (protocol === 'layer2' && pool['bgp-advertisements'] !== undefined) {
      return {
        drafts,
        error: `parsing address pool #${
          index + 1
        }: cannot have bgp-advertisements configuration element in a layer2 address pool`,
      };
    }
    drafts.push({
      name,
      protocol,
      addresses: pool.addresses,
      autoAssign: pool['auto-assign'],
      avoidBuggyIPs: pool['avoid-buggy-ips'],
      serviceAllocation: undefined,
      labels: {},
    });
  }
  return { drafts };
}

function isLegacyConfigMap(cm: ConfigMap): boolean {
  return cm.metadata?.name === 'config' && typeof cm.data?.config === 'string';
}

function selectsPool(ad: Advertisement, pool: Pool): boolean {
  const spec = record(ad.spec);
  const names = Array.isArray(spec.ipAddressPools) ? spec.ipAddressPools : [];
  const selectors = Array.isArray(spec.ipAddressPoolSelectors)
    ? spec.ipAddressPoolSelectors
    : [];
  if (names.length === 0 && selectors.length === 0) return true;
  if (names.includes(pool.name)) return true;
  return selectors.some(s => {
    const compiled = compileSelector(s);
    return !isSelectorError(compiled) && compiled.matches(pool.labels);
  });
}

/**
 * Records overlaps as MetalLB's errors but keeps the pool: MetalLB then runs its last good
 * configuration, which we cannot see, and the pools as written are the closest estimate of it
 * (its webhook refuses overlapping pools, so an overlap usually comes from an edit).
 */
function addOverlapChecked(pools: Pool[], pool: Pool, errors: string[]): void {
  for (const cidr of pool.cidrs) {
    for (const other of pools) {
      const existing = other.cidrs.find(c => cidrsOverlap(cidr, c));
      if (existing) {
        errors.push(
          `CIDR "${formatCidr(cidr)}" in pool "${
            pool.name
          }" overlaps with already defined CIDR "${formatCidr(existing)}"`,
        );
        pools.push(pool);
        return;
      }
    }
  }
  pools.push(pool);
}

/**
 * Builds MetalLB's configuration from the snapshot: IPAddressPools from MetalLB's namespace on
 * CRD releases, the legacy ConfigMap before 0.13.
 * @public
 */
export function readMetallbConfig(
  snapshot: ClusterSnapshot,
  metallbNamespace: string,
  features: MetallbFeatures,
): MetallbConfig {
  const errors: string[] = [];
  const ignored: string[] = [];
  const pools: Pool[] = [];
  const legacy =
    (snapshot.configMaps ?? []).find(
      cm =>
        isLegacyConfigMap(cm) &&
        (cm.metadata?.namespace ?? metallbNamespace) === metallbNamespace,
    ) ?? (snapshot.configMaps ?? []).find(isLegacyConfigMap);
  const legacyRef = legacy
    ? `${legacy.metadata?.namespace ?? '?'}/config`
    : null;

  if (!features.crdConfig) {
    if (!legacy) {
      return {
        source: snapshot.configMaps === undefined ? 'unknown' : 'none',
        pools,
        errors,
        ignored,
        legacyConfigMap: null,
      };
    }
    const parsed = parseLegacyConfig(legacy.data!.config);
    if (parsed.error) errors.push(parsed.error);
    const seen = new Set<string>();
    for (const draft of parsed.drafts) {
      if (seen.has(draft.name)) {
        errors.push(`duplicate definition of pool "${draft.name}"`);
        continue;
      }
      seen.add(draft.name);
      const pool = buildPool(draft, 'configmap', snapshot.namespaces, features);
      if ('error' in pool) errors.push(pool.error);
      else {
        pool.advertised = {
          l2: draft.protocol === 'layer2',
          bgp: draft.protocol === 'bgp',
        };
        addOverlapChecked(pools, pool, errors);
      }
    }
    if (parsed.error && pools.length === 0) {
      // MetalLB refuses the whole ConfigMap; nothing is known of its last good one.
    }
    return {
      source: 'configmap',
      pools,
      errors,
      ignored,
      legacyConfigMap: { ref: legacyRef!, used: true },
    };
  }

  if (snapshot.ipAddressPools === undefined) {
    return {
      source: 'unknown',
      pools,
      errors,
      ignored,
      legacyConfigMap: legacyRef ? { ref: legacyRef, used: false } : null,
    };
  }
  const candidates = [...snapshot.ipAddressPools].sort((a, b) =>
    String(a.metadata?.name ?? '').localeCompare(
      String(b.metadata?.name ?? ''),
    ),
  );
  const seen = new Set<string>();
  for (const crd of candidates) {
    const namespace = crd.metadata?.namespace;
    const name = String(crd.metadata?.name ?? '');
    if (namespace !== undefined && namespace !== metallbNamespace) {
      ignored.push(
        `IPAddressPool ${namespace}/${name} is outside MetalLB's namespace ${metallbNamespace}`,
      );
      continue;
    }
    const draft = draftFromCrd(crd);
    if (seen.has(draft.name)) {
      errors.push(`duplicate definition of pool "${draft.name}"`);
      continue;
    }
    seen.add(draft.name);
    const pool = buildPool(draft, 'crd', snapshot.namespaces, features);
    if ('error' in pool) {
      errors.push(pool.error);
      continue;
    }
    addOverlapChecked(pools, pool, errors);
  }
  const inNamespace = (ad: Advertisement) =>
    (ad.metadata?.namespace ?? metallbNamespace) === metallbNamespace;
  if (
    snapshot.l2Advertisements !== undefined ||
    snapshot.bgpAdvertisements !== undefined
  ) {
    const l2 = (snapshot.l2Advertisements ?? []).filter(inNamespace);
    const bgp = (snapshot.bgpAdvertisements ?? []).filter(inNamespace);
    for (const pool of pools) {
      pool.advertised = {
        l2: l2.some(ad => selectsPool(ad, pool)),
        bgp: bgp.some(ad => selectsPool(ad, pool)),
      };
    }
  }
  return {
    source: pools.length > 0 || candidates.length > 0 ? 'crds' : 'none',
    pools,
    errors,
    ignored,
    legacyConfigMap: legacyRef ? { ref: legacyRef, used: false } : null,
  };
}
