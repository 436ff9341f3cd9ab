/**
 * IP addresses as BigInt values, parsed and printed the way Go's `net` package does it, because
 * MetalLB's messages and decisions follow Go's rules (an IPv4-mapped IPv6 address is IPv4, no
 * zones, no leading zeros in IPv4 octets).
 */

/** @public */
export type IpFamily = 'ipv4' | 'ipv6';

/** @public */
export interface IpAddress {
  family: IpFamily;
  /** The address as an unsigned integer of 32 (IPv4) or 128 (IPv6) bits. */
  value: bigint;
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;
const V4_MAX = 0xffffffffn;

/** Parsed and printed addresses, shared: bounded so that a long-running backend does not keep every address it ever saw. */
const PARSED_IPS_LIMIT = 1 << 18;
const parsedIps = new Map<string, IpAddress | null>();
const formattedV6 = new Map<bigint, string>();

/**
 * Dotted quad to a number, or -1. A character loop rather than split + regex: status IPs, cluster
 * IPs and requests are parsed for every Service. Go rejects empty octets, signs, leading zeros
 * (since Go 1.17) and values over 255.
 */
function parseIPv4Number(text: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const code =
      i < text.length ? text.charCodeAt(i) : 46; /* '.' ends the last octet */
    if (code === 46) {
      if (digits === 0 || octet > 255) return -1;
      value = value * 256 + octet;
      parts++;
      octet = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      if (digits > 0 && octet === 0) return -1; // leading zero
      if (++digits > 3) return -1;
      octet = octet * 10 + (code - 48);
    } else {
      return -1;
    }
  }
  return parts === 4 ? value : -1;
}

function parseIPv4(text: string): bigint | undefined {
  const value = parseIPv4Number(text);
  return value < 0 ? undefined : BigInt(value);
}

function parseIPv6(text: string): bigint | undefined {
  if (text.includes('%')) return undefined; // net.ParseIP refuses zones
  const doubleColon = text.indexOf('::');
  if (doubleColon !== text.lastIndexOf('::')) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
      groups.push(parseInt(piece, 16));
    }
    return groups;
  };
  let groups: number[];
  if (doubleColon >= 0) {
    const head = parseGroups(text.slice(0, doubleColon));
    const tail = parseGroups(text.slice(doubleColon + 2));
    if (!head || !tail) return undefined;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    const all = parseGroups(text);
    if (!all) return undefined;
    groups = all;
  }
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/**
 * Parses an IP address with Go's `net.ParseIP` rules; `undefined` when Go would return nil.
 * IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) are IPv4, as `ip.To4() != nil` says in Go.
 * @public
 */
export function parseIp(text: unknown): IpAddress | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64)
    return undefined;
  // The same texts come back many times per Service (status, cluster IPs, requests, rules), and an
  // IpAddress is never modified, so parsed values are shared.
  const cached = parsedIps.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const ip = parseIpText(text);
  if (parsedIps.size >= PARSED_IPS_LIMIT) parsedIps.clear();
  parsedIps.set(text, ip ?? null);
  return ip;
}

function parseIpText(text: string): IpAddress | undefined {
  if (!text.includes(':')) {
    const v4 = parseIPv4(text);
    return v4 === undefined ? undefined : { family: 'ipv4', value: v4 };
  }
  const v6 = parseIPv6(text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 'ipv4', value: v6 & V4_MAX };
  return { family: 'ipv6', value: v6 };
}

/** Prints an address as Go's `net.IP.String()` does (RFC 5952 for IPv6). @public */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 'ipv4') {
    // 32 bits fit a number exactly: no BigInt arithmetic on the hot path.
    const v = Number(ip.value);
    return `${Math.floor(v / 0x1000000) & 0xff}.${(v >>> 16) & 0xff}.${
      (v >>> 8) & 0xff
    }.${v & 0xff}`;
  }
  const cached = formattedV6.get(ip.value);
  if (cached !== undefined) return cached;
  const text = formatIPv6(ip.value);
  if (formattedV6.size >= PARSED_IPS_LIMIT) formattedV6.clear();
  formattedV6.set(ip.value, text);
  return text;
}

function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n)
    groups.push(Number((value >> shift) & 0xffffn));
  // The longest run of two or more zero groups becomes "::" (the first one on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map(n => n.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(
    groups.slice(bestStart + bestLength),
  )}`;
}

/** Bits in an address of the family. @public */
export function familyBits(family: IpFamily): number {
  return family === 'ipv4' ? 32 : 128;
}

/** A stable map key for an address (its Go string form). @public */
export function ipKey(ip: IpAddress): string {
  return formatIp(ip);
}

/** Normalises an address string to Go's printed form, `undefined` when it does not parse. @public */
export function canonicalIp(text: unknown): string | undefined {
  const ip = parseIp(text);
  return ip ? formatIp(ip) : undefined;
}

/** Whether MetalLB's avoidBuggyIPs skips the address (IPv4 ending in .0 or .255). @public */
export function isBuggyIp(ip: IpAddress): boolean {
  if (ip.family !== 'ipv4') return false;
  const last = Number(ip.value) & 0xff;
  return last === 0 || last === 255;
}

/** The 16-byte form Go compares ranges in: IPv4 as ::ffff:a.b.c.d. */
export function as16(ip: IpAddress): bigint {
  return ip.family === 'ipv4' ? V4_MAPPED_PREFIX | ip.value : ip.value;
}
