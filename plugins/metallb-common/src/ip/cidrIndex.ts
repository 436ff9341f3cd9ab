import type { IpAddress, IpFamily } from './address';
import type { Cidr } from './cidr';

interface Entry<T> {
  cidr: Cidr;
  value: T;
  order: number;
}

/**
 * Finds the blocks that contain an address in O(log n). Pools may overlap (MetalLB's config parser
 * rejects it, but the objects can exist), so an overlapping set falls back to a scan that keeps
 * insertion order.
 */
export class CidrIndex<T> {
  private readonly entries: Record<IpFamily, Entry<T>[]> = {
    ipv4: [],
    ipv6: [],
  };
  private readonly overlapping: Record<IpFamily, boolean> = {
    ipv4: false,
    ipv6: false,
  };

  constructor(items: Iterable<{ cidr: Cidr; value: T }>) {
    let order = 0;
    for (const { cidr, value } of items)
      this.entries[cidr.family].push({ cidr, value, order: order++ });
    for (const family of ['ipv4', 'ipv6'] as const) {
      const list = this.entries[family];
      list.sort((a, b) => compareBigInt(a.cidr.base, b.cidr.base));
      for (let i = 1; i < list.length; i++) {
        if (list[i].cidr.base <= list[i - 1].cidr.last)
          this.overlapping[family] = true;
      }
    }
  }

  /** Every value whose block contains the address, in insertion order. */
  find(ip: IpAddress): T[] {
    const list = this.entries[ip.family];
    if (this.overlapping[ip.family]) {
      return list
        .filter(e => e.cidr.base <= ip.value && ip.value <= e.cidr.last)
        .sort((a, b) => a.order - b.order)
        .map(e => e.value);
    }
    let low = 0;
    let high = list.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (list[mid].cidr.base <= ip.value) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    if (found < 0 || list[found].cidr.last < ip.value) return [];
    return [list[found].value];
  }
}

function compareBigInt(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
