import type { Pool } from '../metallb/config';

/** The first pool of each name, per pool list: rules look a pool up for every Service. */
const byName = new WeakMap<readonly Pool[], Map<string, Pool>>();

/** `pools.find(p => p.name === name)`, through an index built once per pool list. */
export function poolNamed(
  pools: readonly Pool[],
  name: string | undefined | null,
): Pool | undefined {
  // Pool names are strings: no pool has a missing name.
  if (typeof name !== 'string') return undefined;
  let index = byName.get(pools);
  if (!index) {
    index = new Map();
    for (const pool of pools)
      if (!index.has(pool.name)) index.set(pool.name, pool);
    byName.set(pools, index);
  }
  return index.get(name);
}
