import {
  canonicalIp,
  ClusterReport,
  formatIp,
  IpFamily,
  isBuggyIp,
  parsePoolAddresses,
  PoolReport,
} from '@lb-doctor/plugin-metallb-common';

/**
 * Every address a Service of the report holds, is predicted to get, or asks for. Requests count
 * too: a pending Service that asks for an address would contend with ours the moment it fits.
 */
export function usedAddresses(report: ClusterReport): Set<string> {
  const used = new Set<string>();
  for (const service of report.services) {
    const candidates = [
      ...service.metallb.ips,
      ...service.ingress,
      ...service.requested.map(r => r.value),
    ];
    for (const text of candidates) {
      for (const part of text.split(',')) {
        const ip = canonicalIp(part.trim());
        if (ip) used.add(ip);
      }
    }
  }
  return used;
}

/**
 * The first address of the pool, in MetalLB's own order (Rule D: `spec.addresses` order, each
 * block upward from its network address), of the family, not used by any Service of the report,
 * skipping .0/.255 when the pool sets avoidBuggyIPs. `undefined` when there is none.
 */
export function pickFreeIp(
  pool: PoolReport,
  family: IpFamily,
  used: ReadonlySet<string>,
): string | undefined {
  for (const entry of pool.addresses) {
    const parsed = parsePoolAddresses(entry);
    if (!parsed.ok) continue;
    for (const cidr of parsed.value) {
      if (cidr.family !== family) continue;
      // `used` is finite, so among |used| + 1 candidates one is free; the bound only keeps huge
      // IPv6 blocks from being walked needlessly.
      let candidates = 0;
      for (
        let value = cidr.base;
        value <= cidr.last && candidates <= used.size;
        value++
      ) {
        const ip = { family, value };
        if (pool.avoidBuggyIPs && isBuggyIp(ip)) continue;
        candidates++;
        const text = formatIp(ip);
        if (!used.has(text)) return text;
      }
    }
  }
  return undefined;
}
