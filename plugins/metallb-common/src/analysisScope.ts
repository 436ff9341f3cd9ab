/*
 * Caches that live for one analysis. The same facts of one input object (its annotations as a
 * string map, its status IPs, ...) are read by many rules, detectors and the allocator model; an
 * analysis never modifies its input, so within one run each fact is computed once per object.
 * Outside a run (a caller using a helper directly) nothing is cached, so a caller that edits an
 * object between two analyses never sees a stale value.
 */

let scope = 0;
let nextScope = 1;

/** Runs `run` with the per-analysis caches on; nested calls share the outer run's caches. */
export function withAnalysisScope<T>(run: () => T): T {
  if (scope !== 0) return run();
  scope = nextScope++;
  try {
    return run();
  } finally {
    scope = 0;
  }
}

/**
 * `compute`, memoised per key object within one analysis. The value is shared between callers,
 * so it must be treated as read-only.
 */
export function scopedMemo<K extends object, V>(
  compute: (key: K) => V,
): (key: K) => V {
  let owner = 0;
  let cache = new WeakMap<K, V>();
  return (key: K): V => {
    if (scope === 0) return compute(key);
    if (owner !== scope) {
      owner = scope;
      cache = new WeakMap();
    }
    let value = cache.get(key);
    if (value === undefined && !cache.has(key)) {
      value = compute(key);
      cache.set(key, value);
    }
    return value as V;
  };
}
