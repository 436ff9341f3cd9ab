/** IPv4 helpers for the MetalLB actor's pools (the scenarios only use IPv4). */

export function ipToInt(ip: string): number | undefined {
  const parts = ip.trim().split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface IpRange {
  start: number;
  end: number;
}

/** A pool entry: `a.b.c.d/nn` (host bits masked, as MetalLB does) or `start - end`. */
export function parseRange(entry: string): IpRange | undefined {
  if (entry.includes('-')) {
    const [a, b] = entry.split('-', 2);
    const start = ipToInt(a);
    const end = ipToInt(b);
    if (start === undefined || end === undefined || start > end)
      return undefined;
    return { start, end };
  }
  const [ip, bitsRaw] = entry.split('/');
  const base = ipToInt(ip);
  const bits = Number(bitsRaw);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32)
    return undefined;
  const size = 2 ** (32 - bits);
  const start = Math.floor(base / size) * size;
  return { start, end: start + size - 1 };
}
