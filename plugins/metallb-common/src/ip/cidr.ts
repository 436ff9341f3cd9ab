import {
  as16,
  familyBits,
  formatIp,
  IpAddress,
  IpFamily,
  isBuggyIp,
  parseIp,
} from './address';

/** A CIDR block with its host bits cleared, as Go's `net.ParseCIDR` returns it. @public */
export interface Cidr {
  family: IpFamily;
  /** The network address. */
  base: bigint;
  prefixLength: number;
  /** The last address, kept because containment checks are the allocator's hot path. */
  last: bigint;
}

function makeCidr(family: IpFamily, base: bigint, prefixLength: number): Cidr {
  const size = 1n << BigInt(familyBits(family) - prefixLength);
  return { family, base, prefixLength, last: base + size - 1n };
}

/** @public */
export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: string };

function maskOf(family: IpFamily, prefixLength: number): bigint {
  const bits = BigInt(familyBits(family));
  const hostBits = bits - BigInt(prefixLength);
  return ((1n << bits) - 1n) ^ ((1n << hostBits) - 1n);
}

/** Number of addresses in the block. @public */
export function cidrSize(cidr: Cidr): bigint {
  return 1n << BigInt(familyBits(cidr.family) - cidr.prefixLength);
}

/** The last address of the block. @public */
export function cidrLast(cidr: Cidr): bigint {
  return cidr.last;
}

/** Prints the block as Go does (`10.0.0.0/24`). @public */
export function formatCidr(cidr: Cidr): string {
  return `${formatIp({ family: cidr.family, value: cidr.base })}/${
    cidr.prefixLength
  }`;
}

/**
 * Parses `address/prefix` with Go's `net.ParseCIDR` rules: host bits are silently cleared, a bare
 * address is invalid. IPv4-mapped IPv6 notation yields an IPv4 block, as in Go.
 * @public
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ipText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  let prefixLength = Number(prefixText);
  const ip = parseIp(ipText);
  if (!ip) return undefined;
  // Go reads "::ffff:1.2.3.0/120" as an IPv4 /24: the prefix counts the 96 mapped bits.
  if (ip.family === 'ipv4' && ipText.includes(':')) {
    if (prefixLength < 96) return undefined;
    prefixLength -= 96;
  }
  if (prefixLength > familyBits(ip.family)) return undefined;
  return makeCidr(
    ip.family,
    ip.value & maskOf(ip.family, prefixLength),
    prefixLength,
  );
}

/** Whether the block contains the address. @public */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  return (
    ip.family === cidr.family &&
    ip.value >= cidr.base &&
    ip.value <= cidrLast(cidr)
  );
}

/** Whether two blocks share an address. @public */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return (
    a.family === b.family && a.base <= cidrLast(b) && b.base <= cidrLast(a)
  );
}

/** The smallest list of blocks covering `start..end`, in ascending order (as `ipaddr.Summarize`). */
export function summarizeRange(
  family: IpFamily,
  start: bigint,
  end: bigint,
): Cidr[] {
  const bits = familyBits(family);
  const result: Cidr[] = [];
  let current = start;
  while (current <= end) {
    let hostBits = 0;
    // Grow the block while it stays aligned and inside the range.
    while (hostBits < bits) {
      const size = 1n << BigInt(hostBits + 1);
      if (current % size !== 0n || current + size - 1n > end) break;
      hostBits++;
    }
    result.push(makeCidr(family, current, bits - hostBits));
    current += 1n << BigInt(hostBits);
  }
  return result;
}

/**
 * Parses one entry of an IPAddressPool's `spec.addresses` as MetalLB's `config.ParseCIDR` does:
 * a CIDR, or a range `start-end` (spaces around either end allowed) summarised into CIDRs. The
 * error texts are MetalLB's.
 * @public
 */
export function parsePoolAddresses(entry: string): ParseResult<Cidr[]> {
  if (!entry.includes('-')) {
    const cidr = parseCidr(entry);
    return cidr
      ? { ok: true, value: [cidr] }
      : { ok: false, error: `invalid CIDR "${entry}"` };
  }
  const dash = entry.indexOf('-');
  const startText = entry.slice(0, dash);
  const endText = entry.slice(dash + 1);
  const start = parseIp(startText.trim());
  if (!start) {
    return {
      ok: false,
      error: `invalid IP range "${entry}": invalid start IP "${startText}"`,
    };
  }
  const end = parseIp(endText.trim());
  if (!end)
    return {
      ok: false,
      error: `invalid IP range "${entry}": invalid end IP "${endText}"`,
    };
  if (as16(start) > as16(end)) {
    return {
      ok: false,
      error: `invalid IP range "${entry}": start IP "${formatIp(
        start,
      )}" is after the end IP "${formatIp(end)}"`,
    };
  }
  if (start.family !== end.family) {
    // Go's summariser yields nothing for a range across families: the entry adds no address.
    return { ok: true, value: [] };
  }
  return {
    ok: true,
    value: summarizeRange(start.family, start.value, end.value),
  };
}

/** Addresses of the block that MetalLB may hand out (avoidBuggyIPs skips IPv4 .0 and .255). @public */
export function usableCount(cidr: Cidr, avoidBuggyIPs: boolean): bigint {
  const size = cidrSize(cidr);
  if (!avoidBuggyIPs || cidr.family !== 'ipv4') return size;
  if (cidr.prefixLength <= 24) return size - (size / 256n) * 2n;
  let count = size;
  if (isBuggyIp({ family: 'ipv4', value: cidr.base })) count--;
  if (isBuggyIp({ family: 'ipv4', value: cidrLast(cidr) })) count--;
  return count;
}

export type { IpAddress };
