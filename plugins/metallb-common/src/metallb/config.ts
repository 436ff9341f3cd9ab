import { parse as parseYaml } from 'yaml';
import { Cidr, formatCidr, parsePoolAddresses } from '../ip';
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

/** Smallest value in `values[from..to]` (inclusive), answered from a sparse table. */
function rangeMinimum(values: number[]): (from: number, to: number) => number {
  const table: number[][] = [values];
  for (let width = 2; width <= values.length; width *= 2) {
    const previous = table[table.length - 1];
    const half = width / 2;
    const level: number[] = [];
    for (let i = 0; i + width <= values.length; i++)
      level.push(Math.min(previous[i], previous[i + half]));
    table.push(level);
  }
  return (from, to) => {
    if (from > to) return Infinity;
    const level = Math.floor(Math.log2(to - from + 1));
    const width = 2 ** level;
    return Math.min(table[level][from], table[level][to - width + 1]);
  };
}

/**
 * MetalLB's overlap check (`poolsFor`): every CIDR, in pool order and then address order, is
 * compared with all CIDRs defined before it, those of earlier pools and the earlier ones of its
 * own pool, and the first that overlaps is named. We keep going after an error (one per pool), so
 * for each CIDR we need the earliest other CIDR overlapping it. Two CIDRs overlap only when one
 * contains the other, so after sorting by family, network address and size, the blocks containing
 * a CIDR are the open ones on a stack and the blocks it contains follow it directly: n log n
 * instead of comparing every pair.
 * Returns the error of each pool that has one.
 */
function overlapErrors(pools: Pool[]): Map<Pool, string> {
  const cidrs: Cidr[] = [];
  for (const pool of pools) for (const cidr of pool.cidrs) cidrs.push(cidr);
  const order = cidrs.map((_, i) => i);
  order.sort((a, b) => {
    const x = cidrs[a];
    const y = cidrs[b];
    if (x.family !== y.family) return x.family < y.family ? -1 : 1;
    if (x.base !== y.base) return x.base < y.base ? -1 : 1;
    if (x.last !== y.last) return x.last > y.last ? -1 : 1;
    return a - b;
  });
  // earliest[i]: smallest definition index of another CIDR overlapping cidrs[i].
  const earliest = new Array<number>(cidrs.length).fill(Infinity);
  const open: Array<{ cidr: Cidr; first: number }> = [];
  for (const i of order) {
    const cidr = cidrs[i];
    while (open.length > 0) {
      const top = open[open.length - 1].cidr;
      if (top.family === cidr.family && top.last >= cidr.base) break;
      open.pop();
    }
    const enclosing = open.length > 0 ? open[open.length - 1].first : Infinity;
    earliest[i] = enclosing;
    open.push({ cidr, first: Math.min(i, enclosing) });
  }
  const minimum = rangeMinimum(order);
  for (let at = 0; at < order.length; at++) {
    const cidr = cidrs[order[at]];
    // The sorted entries after this one that start inside it are the blocks it contains.
    let low = at + 1;
    let high = order.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const other = cidrs[order[mid]];
      if (other.family === cidr.family && other.base <= cidr.last)
        low = mid + 1;
      else high = mid;
    }
    const contained = minimum(at + 1, low - 1);
    if (contained < earliest[order[at]]) earliest[order[at]] = contained;
  }
  const errors = new Map<Pool, string>();
  let index = 0;
  for (const pool of pools) {
    for (const cidr of pool.cidrs) {
      const first = earliest[index];
      if (!errors.has(pool) && first < index) {
        errors.set(
          pool,
          `CIDR "${formatCidr(cidr)}" in pool "${
            pool.name
          }" overlaps with already defined CIDR "${formatCidr(cidrs[first])}"`,
        );
      }
      index++;
    }
  }
  return errors;
}

/**
 * Records overlaps as MetalLB's errors but keeps the pools: MetalLB then runs its last good
 * configuration, which we cannot see, and the pools as written are the closest estimate of it
 * (its webhook refuses overlapping pools, so an overlap usually comes from an edit). `entries`
 * holds the other errors and the accepted pools in reading order, so that each overlap error
 * lands where MetalLB would have met it.
 */
function withOverlapErrors(entries: Array<string | Pool>): {
  pools: Pool[];
  errors: string[];
} {
  const pools = entries.filter((e): e is Pool => typeof e !== 'string');
  const overlaps = overlapErrors(pools);
  const errors: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') errors.push(entry);
    else {
      const error = overlaps.get(entry);
      if (error) errors.push(error);
    }
  }
  return { pools, errors };
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
    const entries: Array<string | Pool> = [];
    if (parsed.error) entries.push(parsed.error);
    const seen = new Set<string>();
    for (const draft of parsed.drafts) {
      if (seen.has(draft.name)) {
        entries.push(`duplicate definition of pool "${draft.name}"`);
        continue;
      }
      seen.add(draft.name);
      const pool = buildPool(draft, 'configmap', snapshot.namespaces, features);
      if ('error' in pool) entries.push(pool.error);
      else {
        pool.advertised = {
          l2: draft.protocol === 'layer2',
          bgp: draft.protocol === 'bgp',
        };
        entries.push(pool);
      }
    }
    // If MetalLB refuses the whole ConfigMap, nothing is known of its last good one.
    const checked = withOverlapErrors(entries);
    return {
      source: 'configmap',
      pools: checked.pools,
      errors: checked.errors,
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
  const entries: Array<string | Pool> = [];
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
      entries.push(`duplicate definition of pool "${draft.name}"`);
      continue;
    }
    seen.add(draft.name);
    const pool = buildPool(draft, 'crd', snapshot.namespaces, features);
    entries.push('error' in pool ? pool.error : pool);
  }
  const checked = withOverlapErrors(entries);
  pools.push(...checked.pools);
  errors.push(...checked.errors);
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
