/*
 * Caches that live for one analysis. The same facts of one input object (its annotations as a
 * string map, its status IPs, ...) are read by many rules, detectors and the allocator model; an
 * analysis never modifies its input, so within one run each fact is computed once per object.
 * Outside a run (a caller using a helper directly) nothing is cached, so a caller that edits an
 * object between two analyses never sees a stale value.
 */

let scope = 0;
let nextScope = 1;
/** Each memo's way to drop what it holds, so that nothing of an input outlives its analysis. */
const resets: Array<() => void> = [];

/** Runs `run` with the per-analysis caches on; nested calls share the outer run's caches. */
export function withAnalysisScope<T>(run: () => T): T {
  if (scope !== 0) return run();
  scope = nextScope++;
  try {
    return run();
  } finally {
    scope = 0;
    for (const reset of resets) reset();
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
  // A Map, not a WeakMap: it is dropped when the analysis ends anyway, and ephemeron tables of
  // hundreds of thousands of entries make every garbage collection of a large analysis slower.
  let cache = new Map<K, V>();
  // Callers ask about one Service many times in a row (every detector, every rule), often
  // alternating between two of its objects (annotations and labels): the last two answers are
  // checked first, which is much cheaper than a Map lookup.
  let lastKey: K | undefined;
  let lastValue: V | undefined;
  let previousKey: K | undefined;
  let previousValue: V | undefined;
  resets.push(() => {
    owner = 0;
    cache = new Map();
    lastKey = previousKey = undefined;
    lastValue = previousValue = undefined;
  });
  return (key: K): V => {
    if (scope === 0) return compute(key);
    if (owner !== scope) {
      owner = scope;
      cache = new Map();
      lastKey = previousKey = undefined;
      lastValue = previousValue = undefined;
    } else if (key === lastKey) {
      return lastValue as V;
    } else if (key === previousKey) {
      return previousValue as V;
    }
    let value = cache.get(key);
    if (value === undefined && !cache.has(key)) {
      value = compute(key);
      cache.set(key, value);
    }
    previousKey = lastKey;
    previousValue = lastValue;
    lastKey = key;
    lastValue = value;
    return value as V;
  };
}
