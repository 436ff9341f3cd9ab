import {
  Cidr,
  cidrContains,
  cidrLast,
  formatIp,
  IpAddress,
  isBuggyIp,
} from '../ip';
import { CidrIndex } from '../ip/cidrIndex';
import type { Pool } from './config';

/** A (protocol, port) pair a Service uses on its IP. */
export interface Port {
  protocol: string;
  port: number;
}

/** What two Services compare to share an IP: the allow-shared-ip key and the backend key. */
export interface SharingKey {
  sharing: string;
  backend: string;
}

/** What the allocator needs to know of a Service. */
export interface AllocationSubject {
  key: string;
  namespace: string;
  labels: Record<string, string>;
  ports: Port[];
  sharingKey: SharingKey;
}

interface Allocation {
  pool: string;
  ips: IpAddress[];
  ports: Port[];
  sharingKey: SharingKey;
}

/** The Go error texts of MetalLB's allocator; `kind` lets rules tell causes apart without parsing. */
export class AllocationError extends Error {
  constructor(
    readonly kind:
      | 'not-in-pool'
      | 'pool-not-allowed'
      | 'too-many'
      | 'same-family'
      | 'sharing-key'
      | 'port-in-use'
      | 'unknown-pool'
      | 'pool-exhausted'
      | 'family-unavailable'
      | 'no-available'
      | 'wrong-family',
    message: string,
    readonly detail: {
      pool?: string;
      ip?: string;
      otherServices?: string[];
      port?: string;
    } = {},
  ) {
    super(message);
  }
}

// IPv4 values fit a number, whose hex text is the same and much cheaper than a BigInt's.
/**
 * A map key for an address: the number itself for IPv4 (no string to build on the allocator's hot
 * path), the hex text for IPv6. Only ever used as a key, never shown.
 */
type IpId = number | string;
const ipId = (ip: IpAddress): IpId =>
  ip.family === 'ipv4' ? Number(ip.value) : `6:${ip.value.toString(16)}`;
const portId = (p: Port) => `${p.protocol}/${p.port}`;

/** Go's `%q` of a `[]net.IP`: `["1.2.3.4" "1000::"]`. */
export function quoteIps(ips: ReadonlyArray<IpAddress | undefined>): string {
  return `[${ips.map(ip => `"${ip ? formatIp(ip) : '<nil>'}"`).join(' ')}]`;
}

const poolIndexes = new WeakMap<readonly Pool[], CidrIndex<Pool>>();

function poolIndex(pools: readonly Pool[]): CidrIndex<Pool> {
  let index = poolIndexes.get(pools);
  if (!index) {
    index = new CidrIndex(
      pools.flatMap(pool => pool.cidrs.map(cidr => ({ cidr, value: pool }))),
    );
    poolIndexes.set(pools, index);
  }
  return index;
}

/** The pool that contains every IP (honouring avoidBuggyIPs), as MetalLB's `poolFor`. */
export function poolFor(
  pools: readonly Pool[],
  ips: readonly IpAddress[],
): Pool | undefined {
  if (ips.length === 0) return pools[0];
  const candidates = poolIndex(pools).find(ips[0]);
  return candidates.find(pool =>
    ips.every(
      ip =>
        !(pool.avoidBuggyIPs && isBuggyIp(ip)) &&
        pool.cidrs.some(c => cidrContains(c, ip)),
    ),
  );
}

/** Whether a pool's serviceAllocation admits the Service (`isPoolCompatibleWithService`). */
export function isPoolCompatible(
  pool: Pool,
  subject: Pick<AllocationSubject, 'namespace' | 'labels'>,
): boolean {
  const allocation = pool.serviceAllocation;
  if (!allocation) return true;
  if (
    allocation.namespaces.size > 0 &&
    !allocation.namespaces.has(subject.namespace)
  )
    return false;
  if (allocation.serviceSelectors.length > 0) {
    return allocation.serviceSelectors.some(s => s.matches(subject.labels));
  }
  return true;
}

/**
 * A model of MetalLB's in-memory allocator (`internal/allocator`): which Service holds which IP,
 * with which sharing key and ports. Finding a free address is incremental (a low-water mark per
 * block plus an index of shared IPs) so that large pools stay linear, where MetalLB walks from the
 * block's start each time; the address chosen is the same.
 */
export class Allocator {
  private readonly allocated = new Map<string, Allocation>();
  private readonly sharingKeyForIp = new Map<IpId, SharingKey>();
  private readonly portsInUse = new Map<IpId, Map<string, string>>();
  private readonly servicesOnIp = new Map<IpId, Set<string>>();
  private readonly sharedIps = new Map<string, Map<IpId, IpAddress>>();
  private readonly lowWater = new Map<Cidr, bigint>();
  private readonly byName: Map<string, Pool>;
  private readonly cidrIndex: CidrIndex<Cidr>;
  /** Bumped on every change, so cached free-address lists know when they are stale. */
  private version = 0;
  private readonly freeCache = new Map<
    string,
    { version: number; ips: IpAddress[] }
  >();

  /**
   * @param versionErrors how the running release words a failed request for a named pool:
   * `exhaustedPoolError`, a pool with no free address fails with `no available IPs in pool <p>`
   * (PR 2891, 0.16.0), while 0.14.9-0.15.x went on with a nil address and failed with
   * `["<nil>"] is not allowed in config`; `quotedPoolFamilyError`, before 0.14.9 a pool that
   * cannot give every family of the Service fails with `no available IPs in pool "<p>" for
   * <family> IPFamily`.
   */
  constructor(
    readonly pools: readonly Pool[],
    private readonly versionErrors: {
      exhaustedPoolError: boolean;
      quotedPoolFamilyError: boolean;
    } = { exhaustedPoolError: true, quotedPoolFamilyError: false },
  ) {
    this.byName = new Map(pools.map(p => [p.name, p]));
    this.cidrIndex = new CidrIndex(
      pools.flatMap(p => p.cidrs.map(cidr => ({ cidr, value: cidr }))),
    );
  }

  pool(name: string): Pool | undefined {
    return this.byName.get(name);
  }

  poolOf(key: string): string {
    return this.allocated.get(key)?.pool ?? '';
  }

  ipsOf(key: string): IpAddress[] {
    return this.allocated.get(key)?.ips ?? [];
  }

  allocations(): ReadonlyMap<string, Allocation> {
    return this.allocated;
  }

  /** Services other than `key` using the IP. */
  usersOf(ip: IpAddress, exceptKey?: string): string[] {
    return [...(this.servicesOnIp.get(ipId(ip)) ?? [])].filter(
      k => k !== exceptKey,
    );
  }

  /** `Allocator.Assign`: validates and records explicit IPs. */
  assign(subject: AllocationSubject, ips: IpAddress[]): void {
    const pool = poolFor(this.pools, ips);
    if (!pool)
      throw new AllocationError(
        'not-in-pool',
        `${quoteIps(ips)} is not allowed in config`,
      );
    if (!isPoolCompatible(pool, subject)) {
      throw new AllocationError(
        'pool-not-allowed',
        `pool ${pool.name} not compatible for ip assignment`,
        {
          pool: pool.name,
        },
      );
    }
    if (ips.length > 2)
      throw new AllocationError(
        'too-many',
        `more than two addresses ${quoteIps(ips)}`,
      );
    if (ips.length === 2 && ips[0].family === ips[1].family) {
      throw new AllocationError(
        'same-family',
        `"${formatIp(ips[0])}" "${formatIp(ips[1])}" has the same family`,
      );
    }
    for (const ip of ips) this.checkSharing(subject, ip);
    // Re-assigning what a Service already holds (converge revalidates every current IP) leaves
    // the state as it is; unassigning and recording it again would only churn the indexes. The
    // one visible effect of that churn is kept: the Service becomes the latest user of its IPs,
    // the order in which other Services' messages list it.
    if (this.holdsExactly(subject, pool.name, ips)) {
      const allocation = this.allocated.get(subject.key)!;
      this.allocated.delete(subject.key);
      this.allocated.set(subject.key, allocation);
      for (const ip of ips) {
        const users = this.servicesOnIp.get(ipId(ip));
        users?.delete(subject.key);
        users?.add(subject.key);
      }
      return;
    }
    this.record(subject.key, {
      pool: pool.name,
      ips,
      ports: [...subject.ports],
      sharingKey: subject.sharingKey,
    });
  }

  private holdsExactly(
    subject: AllocationSubject,
    pool: string,
    ips: readonly IpAddress[],
  ): boolean {
    const current = this.allocated.get(subject.key);
    if (
      !current ||
      current.pool !== pool ||
      current.ips.length !== ips.length ||
      current.ports.length !== subject.ports.length ||
      current.sharingKey.sharing !== subject.sharingKey.sharing ||
      current.sharingKey.backend !== subject.sharingKey.backend
    )
      return false;
    for (let i = 0; i < ips.length; i++) {
      if (
        current.ips[i].family !== ips[i].family ||
        current.ips[i].value !== ips[i].value
      )
        return false;
    }
    for (let i = 0; i < subject.ports.length; i++) {
      if (
        current.ports[i].protocol !== subject.ports[i].protocol ||
        current.ports[i].port !== subject.ports[i].port
      )
        return false;
    }
    return true;
  }

  /** `Allocator.Unassign`. */
  unassign(key: string): void {
    const allocation = this.allocated.get(key);
    if (!allocation) return;
    this.version++;
    this.allocated.delete(key);
    for (const ip of allocation.ips) {
      const id = ipId(ip);
      const ports = this.portsInUse.get(id);
      for (const port of allocation.ports) {
        if (ports?.get(portId(port)) === key) ports.delete(portId(port));
      }
      const users = this.servicesOnIp.get(id);
      users?.delete(key);
      if (users && users.size === 0) this.servicesOnIp.delete(id);
      if (!ports || ports.size === 0) {
        this.portsInUse.delete(id);
        this.sharingKeyForIp.delete(id);
      }
      if (!this.servicesOnIp.has(id)) {
        this.sharedIps.get(allocation.sharingKey.sharing)?.delete(id);
        this.lowerLowWater(ip);
      }
    }
  }

  /** `Allocator.Allocate`: pinned pools by priority, then unrestricted auto-assign pools. */
  allocate(
    subject: AllocationSubject,
    family: ServiceFamily,
    policy: FamilyPolicy,
    primaryFamily: 'ipv4' | 'ipv6',
    pinned: Pool[],
    fallback: Pool[],
  ): IpAddress[] {
    for (const pools of [pinned, fallback]) {
      const best = this.findBestPool(
        pools,
        subject,
        family,
        policy,
        primaryFamily,
      );
      if (!best) continue;
      const ips = selectIps(best, family, policy);
      if (ips instanceof AllocationError) continue;
      try {
        this.assign(subject, ips);
        return ips;
      } catch {
        continue;
      }
    }
    throw new AllocationError('no-available', 'no available IPs');
  }

  /** `Allocator.AllocateFromPool`. */
  allocateFromPool(
    subject: AllocationSubject,
    family: ServiceFamily,
    policy: FamilyPolicy,
    poolName: string,
  ): IpAddress[] {
    const pool = this.byName.get(poolName);
    if (!pool)
      throw new AllocationError('unknown-pool', `unknown pool "${poolName}"`, {
        pool: poolName,
      });
    const free = this.freeIpsInPool(pool, subject);
    if (this.versionErrors.quotedPoolFamilyError)
      return this.allocateFromPoolBefore0149(subject, family, pool, free);
    if (!free) {
      throw new AllocationError(
        'pool-exhausted',
        this.versionErrors.exhaustedPoolError
          ? `no available IPs in pool ${pool.name}`
          : (selectIps({ pool: pool.name }, family, policy) as AllocationError)
              .message,
        { pool: pool.name },
      );
    }
    const ips = selectIps(free, family, policy);
    if (ips instanceof AllocationError) {
      // The nil-address quirk reads like a request outside the pools, but the Service asked for
      // no address: the pool has none of its family left (or none of that family at all).
      if (ips.kind === 'not-in-pool' && family !== 'dual') {
        const served = pool.cidrs.some(c => c.family === family);
        throw new AllocationError(
          served ? 'pool-exhausted' : 'family-unavailable',
          ips.message,
          { pool: pool.name },
        );
      }
      throw ips;
    }
    this.assign(subject, ips);
    return ips;
  }

  /**
   * `AllocateFromPool` before 0.14.9: the first free address of each family the Service needs
   * (PreferDualStack counted as dual), all or nothing.
   */
  private allocateFromPoolBefore0149(
    subject: AllocationSubject,
    family: ServiceFamily,
    pool: Pool,
    free: FreeIps | undefined,
  ): IpAddress[] {
    const wanted: Array<'ipv4' | 'ipv6'> =
      family === 'dual' ? ['ipv4', 'ipv6'] : [family];
    const missing = wanted.filter(f => !free?.[f]);
    if (missing.length > 0) {
      const served = missing.every(f => pool.cidrs.some(c => c.family === f));
      throw new AllocationError(
        served ? 'pool-exhausted' : 'family-unavailable',
        `no available IPs in pool "${pool.name}" for ${family} IPFamily`,
        { pool: pool.name },
      );
    }
    const ips = wanted.map(f => free![f]!);
    this.assign(subject, ips);
    return ips;
  }

  /** `Allocator.AllocateFromPoolForAdditionalFamily`: the missing family, same pool. */
  allocateAdditional(
    subject: AllocationSubject,
    existing: IpAddress,
    poolName: string,
  ): IpAddress {
    const pool = this.byName.get(poolName);
    if (!pool)
      throw new AllocationError('unknown-pool', `unknown pool "${poolName}"`, {
        pool: poolName,
      });
    const free = this.freeIpsInPool(pool, subject);
    if (!free) {
      throw new AllocationError(
        'pool-exhausted',
        this.versionErrors.exhaustedPoolError
          ? `no available IPs in pool ${pool.name}`
          : `${quoteIps([existing, undefined])} is not allowed in config`,
        { pool: pool.name },
      );
    }
    const missing = existing.family === 'ipv4' ? 'ipv6' : 'ipv4';
    const ips = selectIps(free, missing, 'SingleStack');
    // MetalLB passes [existing, nil] to Assign, so its error names both (seen on v0.16.1:
    // `["10.0.84.255" "<nil>"] is not allowed in config` for an IPv4-only pool).
    if (ips instanceof AllocationError && ips.kind === 'not-in-pool')
      throw new AllocationError(
        'not-in-pool',
        `${quoteIps([existing, undefined])} is not allowed in config`,
        { pool: pool.name },
      );
    if (ips instanceof AllocationError) throw ips;
    this.assign(subject, [existing, ips[0]]);
    return ips[0];
  }

  /** Up to `limit` free addresses of a family in a pool, lowest first (for "use this IP" fixes). */
  freeAddresses(
    poolName: string,
    family: 'ipv4' | 'ipv6',
    limit: number,
  ): IpAddress[] {
    const cacheKey = `${poolName}\n${family}\n${limit}`;
    const cached = this.freeCache.get(cacheKey);
    if (cached && cached.version === this.version) return cached.ips;
    const pool = this.byName.get(poolName);
    const found: IpAddress[] = [];
    for (const cidr of pool?.cidrs ?? []) {
      if (cidr.family !== family) continue;
      // Below the low-water mark every address is taken, so the walk starts there.
      let value = this.lowWater.get(cidr) ?? cidr.base;
      for (
        let scanned = 0;
        value <= cidr.last && found.length < limit && scanned < 65536;
        value++, scanned++
      ) {
        const ip: IpAddress = { family, value };
        if (pool!.avoidBuggyIPs && isBuggyIp(ip)) continue;
        if (!this.servicesOnIp.has(ipId(ip))) found.push(ip);
      }
      if (found.length >= limit) break;
    }
    this.freeCache.set(cacheKey, { version: this.version, ips: found });
    return found;
  }

  /** Distinct addresses in use per family in each pool, and the Services using them. */
  usageByPool(): Map<
    string,
    { ipv4: number; ipv6: number; services: string[] }
  > {
    // Asked by the pool report and a cluster rule; the state does not change in between.
    if (this.usage?.version !== this.version)
      this.usage = { version: this.version, result: this.computeUsage() };
    return this.usage.result;
  }

  private usage?: {
    version: number;
    result: Map<string, { ipv4: number; ipv6: number; services: string[] }>;
  };

  private computeUsage(): Map<
    string,
    { ipv4: number; ipv6: number; services: string[] }
  > {
    const result = new Map<
      string,
      { ipv4: number; ipv6: number; services: string[]; seen: Set<IpId> }
    >();
    for (const [key, allocation] of this.allocated) {
      let entry = result.get(allocation.pool);
      if (!entry)
        result.set(
          allocation.pool,
          (entry = { ipv4: 0, ipv6: 0, services: [], seen: new Set() }),
        );
      entry.services.push(key);
      for (const ip of allocation.ips) {
        const id = ipId(ip);
        if (entry.seen.has(id)) continue;
        entry.seen.add(id);
        if (ip.family === 'ipv4') entry.ipv4++;
        else entry.ipv6++;
      }
    }
    return new Map(
      [...result].map(([pool, { ipv4, ipv6, services }]) => [
        pool,
        { ipv4, ipv6, services: services.sort() },
      ]),
    );
  }

  private findBestPool(
    pools: Pool[],
    subject: AllocationSubject,
    family: ServiceFamily,
    policy: FamilyPolicy,
    primaryFamily: 'ipv4' | 'ipv6',
  ): FreeIps | undefined {
    let primaryCandidate: FreeIps | undefined;
    let secondaryCandidate: FreeIps | undefined;
    const secondaryFamily = primaryFamily === 'ipv4' ? 'ipv6' : 'ipv4';
    for (const pool of pools) {
      const free = this.freeIpsInPool(pool, subject);
      if (!free) continue;
      if (family !== 'dual' && free[family]) return free;
      const primary = free[primaryFamily];
      const secondary = free[secondaryFamily];
      if (primary && secondary) return free;
      if (!(policy === 'PreferDualStack' && family === 'dual')) continue;
      if (primary && !primaryCandidate) primaryCandidate = free;
      if (secondary && !secondaryCandidate) secondaryCandidate = free;
    }
    return primaryCandidate ?? secondaryCandidate;
  }

  /** `getFreeIPsFromPool`: the first usable address of each family, blocks in order. */
  private freeIpsInPool(
    pool: Pool,
    subject: AllocationSubject,
  ): FreeIps | undefined {
    const free: FreeIps = { pool: pool.name };
    for (const cidr of pool.cidrs) {
      if (free[cidr.family]) continue;
      const ip = this.firstUsable(cidr, pool.avoidBuggyIPs, subject);
      if (ip) free[cidr.family] = ip;
    }
    return free.ipv4 || free.ipv6 ? free : undefined;
  }

  /** `getIPFromCIDR`: the lowest address of the block that passes the sharing check. */
  private firstUsable(
    cidr: Cidr,
    avoidBuggyIPs: boolean,
    subject: AllocationSubject,
  ): IpAddress | undefined {
    const last = cidrLast(cidr);
    // Every address below the low-water mark is held by some Service or skipped as buggy, so no
    // Service without a matching sharing key can take it.
    let value = this.lowWater.get(cidr) ?? cidr.base;
    while (value <= last) {
      const ip: IpAddress = { family: cidr.family, value };
      if (!(avoidBuggyIPs && isBuggyIp(ip)) && !this.servicesOnIp.has(ipId(ip)))
        break;
      value++;
    }
    this.lowWater.set(cidr, value);
    const firstFree: IpAddress | undefined =
      value <= last ? { family: cidr.family, value } : undefined;
    // checkSharing passes for an address the Service holds itself (no other user's key or ports
    // in the way), so MetalLB can hand a Service its own address back. It matters when a Service
    // asks a pool it already uses for more (PreferDualStack's additional family): seen on v0.16.1.
    let best = firstFree;
    for (const ip of this.allocated.get(subject.key)?.ips ?? []) {
      if (!cidrContains(cidr, ip) || (best && ip.value >= best.value)) continue;
      if (avoidBuggyIPs && isBuggyIp(ip)) continue;
      if (this.sharingOk(subject, ip)) best = ip;
    }
    // A Service with a sharing key may land on a lower address already used by a compatible
    // Service: MetalLB co-locates them.
    if (subject.sharingKey.sharing === '') return best;
    for (const ip of this.sharedIps.get(subject.sharingKey.sharing)?.values() ??
      []) {
      if (!cidrContains(cidr, ip) || (best && ip.value >= best.value)) continue;
      if (avoidBuggyIPs && isBuggyIp(ip)) continue;
      if (this.sharingOk(subject, ip)) best = ip;
    }
    return best;
  }

  private sharingOk(subject: AllocationSubject, ip: IpAddress): boolean {
    try {
      this.checkSharing(subject, ip);
      return true;
    } catch {
      return false;
    }
  }

  /** `checkSharing`. */
  private checkSharing(subject: AllocationSubject, ip: IpAddress): void {
    const id = ipId(ip);
    const existing = this.sharingKeyForIp.get(id);
    if (!existing) return;
    const compatible =
      existing.sharing !== '' &&
      subject.sharingKey.sharing !== '' &&
      existing.sharing === subject.sharingKey.sharing &&
      existing.backend === subject.sharingKey.backend;
    if (!compatible && this.hasOtherUser(id, subject.key)) {
      const others = this.usersOf(ip, subject.key);
      throw new AllocationError(
        'sharing-key',
        `can't change sharing key for "${
          subject.key
        }", address also in use by ${others.join(',')}`,
        { ip: formatIp(ip), otherServices: others },
      );
    }
    const ports = this.portsInUse.get(id);
    for (const port of subject.ports) {
      const holder = ports?.get(portId(port));
      if (holder !== undefined && holder !== subject.key) {
        throw new AllocationError(
          'port-in-use',
          `port ${portId(port)} is already in use on "${formatIp(ip)}"`,
          {
            ip: formatIp(ip),
            otherServices: [holder],
            port: portId(port),
          },
        );
      }
    }
  }

  /** Whether a Service other than `key` uses the IP, without building the list. */
  private hasOtherUser(id: IpId, key: string): boolean {
    const users = this.servicesOnIp.get(id);
    if (!users) return false;
    for (const user of users) if (user !== key) return true;
    return false;
  }

  private record(key: string, allocation: Allocation): void {
    this.unassign(key);
    this.version++;
    this.allocated.set(key, allocation);
    for (const ip of allocation.ips) {
      const id = ipId(ip);
      this.sharingKeyForIp.set(id, allocation.sharingKey);
      let ports = this.portsInUse.get(id);
      if (!ports) this.portsInUse.set(id, (ports = new Map()));
      for (const port of allocation.ports) ports.set(portId(port), key);
      let users = this.servicesOnIp.get(id);
      if (!users) this.servicesOnIp.set(id, (users = new Set()));
      users.add(key);
      if (allocation.sharingKey.sharing !== '') {
        let shared = this.sharedIps.get(allocation.sharingKey.sharing);
        if (!shared)
          this.sharedIps.set(
            allocation.sharingKey.sharing,
            (shared = new Map()),
          );
        shared.set(id, ip);
      }
    }
  }

  private lowerLowWater(ip: IpAddress): void {
    for (const cidr of this.cidrIndex.find(ip)) {
      const mark = this.lowWater.get(cidr);
      if (mark !== undefined && ip.value < mark)
        this.lowWater.set(cidr, ip.value);
    }
  }
}

/** `ipfamily.Family`. */
export type ServiceFamily = 'ipv4' | 'ipv6' | 'dual';
/** `v1.IPFamilyPolicy`. */
export type FamilyPolicy =
  | 'SingleStack'
  | 'PreferDualStack'
  | 'RequireDualStack';

interface FreeIps {
  pool: string;
  ipv4?: IpAddress;
  ipv6?: IpAddress;
}

/** `selectIPsForFamilyAndPolicy`, including Go's quirk of returning a nil IP for a missing family. */
function selectIps(
  free: FreeIps,
  family: ServiceFamily,
  policy: FamilyPolicy,
): IpAddress[] | AllocationError {
  if (family === 'ipv4' || family === 'ipv6') {
    const ip = free[family];
    // MetalLB returns []net.IP{nil} here; Assign then fails with `["<nil>"] is not allowed in config`.
    if (!ip)
      return new AllocationError(
        'not-in-pool',
        `["<nil>"] is not allowed in config`,
        { pool: free.pool },
      );
    return [ip];
  }
  if (
    (policy === 'RequireDualStack' || policy === 'PreferDualStack') &&
    free.ipv4 &&
    free.ipv6
  ) {
    return [free.ipv4, free.ipv6];
  }
  if (policy === 'PreferDualStack' && (free.ipv4 || free.ipv6))
    return [(free.ipv4 ?? free.ipv6)!];
  return new AllocationError(
    'family-unavailable',
    `no available IPs in pool ${free.pool} for ${family} IPFamily`,
    { pool: free.pool },
  );
}
