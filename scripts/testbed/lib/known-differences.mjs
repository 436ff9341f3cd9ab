// Classifier of the differences between the engine and the real MetalLB controller that are
// understood and accepted (see scripts/testbed/KNOWN-DIFFERENCES.md). A difference is matched by
// what it is (the objects and both answers), never by seed or scenario number.

/** id -> one-line reason; the ids are the headings of KNOWN-DIFFERENCES.md. */
export const KNOWN = {
  'pinned-pool-tie':
    'several serviceAllocation pools of the same priority fit; MetalLB orders them by Go map iteration (random)',
  'fallback-pool-order':
    'several unrestricted auto-assign pools fit; MetalLB tries them in Go map iteration order (random)',
  'random-order-reallocation':
    'MetalLB allocated twice (a reprocess right after its own write) and its random pool order gave a second, different IP first',
  'in-use-list-order':
    'MetalLB lists the Services holding an address in Go map order (random); the engine lists them in one order',
  'pool-taken-after-failure':
    "MetalLB's failure Event is from before a later Service took the pool's last address; the engine answers for the next reconcile",
};

/** An Event with the "address also in use by a,b" list sorted, so that its order does not count. */
const sortedUsers = event => ({
  ...event,
  message: event.message.replace(
    /(address also in use by )([^\s"]+)/,
    (_, head, list) => head + list.split(',').sort().join(','),
  ),
});

/** Events as text without order of the in-use lists and without immediate repeats. */
const normalisedEvents = events =>
  (events ?? [])
    .map(e => JSON.stringify(sortedUsers(e)))
    .filter((e, i, all) => i === 0 || e !== all[i - 1]);

/** The pool an AllocationFailed message names (`no available IPs in pool p`, quoted or not). */
const failedPool = event =>
  event?.reason === 'AllocationFailed'
    ? /no available IPs in pool "?([^"\s]+)"?/.exec(event.message)?.[1] ?? null
    : null;

const matches = (selector, labels = {}) => {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {}))
    if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key])))
      return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key]))
      return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
};

/**
 * The pools MetalLB 0.16 considers first for automatic allocation ("pinned" pools): autoAssign,
 * with a serviceAllocation that names the Service's namespace or has service selectors, and
 * compatible with the Service. Returns [pool name, effective priority] pairs.
 */
function pinnedPools(scenario, service) {
  const ns = scenario.namespaces.find(
    n => n.metadata.name === service.metadata.namespace,
  );
  const out = [];
  for (const pool of scenario.pools) {
    const alloc = pool.spec.serviceAllocation;
    if (!alloc || pool.spec.autoAssign === false) continue;
    const namespaces = new Set(alloc.namespaces ?? []);
    for (const sel of alloc.namespaceSelectors ?? [])
      for (const n of scenario.namespaces)
        if (matches(sel, n.metadata.labels)) namespaces.add(n.metadata.name);
    // Since 0.15.0 a serviceAllocation without namespaces and selectors (only a priority, or
    // empty) selects every Service, as a match-all service selector.
    const matchAll =
      !(alloc.namespaces ?? []).length &&
      !(alloc.namespaceSelectors ?? []).length &&
      !(alloc.serviceSelectors ?? []).length;
    const bySelector = matchAll || (alloc.serviceSelectors ?? []).length > 0;
    const listed = namespaces.has(ns?.metadata.name);
    if (!listed && !bySelector) continue;
    if (namespaces.size > 0 && !listed) continue;
    if (
      bySelector &&
      !matchAll &&
      !alloc.serviceSelectors.some(sel => matches(sel, service.metadata.labels))
    )
      continue;
    out.push([pool.metadata.name, alloc.priority ?? 0]);
  }
  return out;
}

// An empty value requests nothing: MetalLB reads "" as no request.
const requestsNothing = service => {
  const a = service.metadata.annotations ?? {};
  return (
    !service.spec.loadBalancerIP &&
    !Object.entries(a).some(
      ([k, v]) =>
        /^metallb\.(io|universe\.tf)\/(loadBalancerIPs|address-pool)$/.test(
          k,
        ) && String(v).trim() !== '',
    )
  );
};

/** The pools whose order MetalLB leaves to chance for this Service, best first. */
function randomOrderAlternatives(diff, scenario) {
  const { predicted, object } = diff;
  const pinned = pinnedPools(scenario, object);
  const tie = pinned.filter(
    ([, prio]) => prio === pinned.find(([n]) => n === predicted.pool)?.[1],
  );
  if (tie.length > 1) return tie.map(([n]) => n);
  if ((diff.verdict?.notes ?? []).some(n => n.includes('in random order')))
    return scenario.pools
      .filter(p => !p.spec.serviceAllocation && p.spec.autoAssign !== false)
      .map(p => p.metadata.name);
  return [];
}

/**
 * Returns the id of the known difference `diff` is an instance of, or null. `engine` is the
 * engine module (for its IP parsing).
 */
export function classify(diff, scenario, engine) {
  const { predicted, real, object } = diff;
  // The same outcome and the same Events once the in-use lists are sorted: MetalLB ranges over a
  // map (servicesOnIP) to name the holders, and may say it twice when it reconciles again.
  if (
    diff.phase === 'create' &&
    JSON.stringify(real.ips) === JSON.stringify(predicted.ips) &&
    real.pool === predicted.pool &&
    JSON.stringify(normalisedEvents(real.events)) ===
      JSON.stringify(normalisedEvents(predicted.events))
  )
    return 'in-use-list-order';
  // Two IPAllocated Events with different IPs, the end state as predicted, and the other IP from
  // a pool MetalLB could equally have tried first.
  if (diff.phase === 'create' && requestsNothing(object)) {
    const finalMessage = `Assigned IP ${JSON.stringify(real.ips).replace(
      /,/g,
      ' ',
    )}`;
    const extra = real.events.filter(
      e =>
        e.reason === 'IPAllocated' &&
        e.message.startsWith('Assigned IP [') &&
        e.message !== finalMessage,
    );
    const rest = real.events.filter(e => !extra.includes(e));
    const alternatives = randomOrderAlternatives(diff, scenario);
    const inAlternative = message => {
      const ips = [...message.matchAll(/"([^"]+)"/g)].map(m =>
        engine.parseIp(m[1]),
      );
      return scenario.pools.some(
        p =>
          alternatives.includes(p.metadata.name) &&
          ips.every(
            ip =>
              ip &&
              p.spec.addresses.some(a =>
                (engine.parsePoolAddresses(a).value ?? []).some(c =>
                  engine.cidrContains(c, ip),
                ),
              ),
          ),
      );
    };
    if (
      extra.length > 0 &&
      JSON.stringify(real.ips) === JSON.stringify(predicted.ips) &&
      real.pool === predicted.pool &&
      JSON.stringify(rest) === JSON.stringify(predicted.events) &&
      extra.every(e => inAlternative(e.message))
    )
      return 'random-order-reallocation';
  }
  if (
    diff.phase === 'create' &&
    requestsNothing(object) &&
    predicted.pool &&
    real.pool &&
    predicted.pool !== real.pool
  ) {
    const pinned = new Map(pinnedPools(scenario, object));
    if (
      pinned.has(predicted.pool) &&
      pinned.has(real.pool) &&
      pinned.get(predicted.pool) === pinned.get(real.pool)
    )
      return 'pinned-pool-tie';
    const fallback = name => {
      const pool = scenario.pools.find(p => p.metadata.name === name);
      return (
        pool && !pool.spec.serviceAllocation && pool.spec.autoAssign !== false
      );
    };
    // The engine says so itself: "MetalLB picks among the unrestricted pools ... in random order".
    const noted = (diff.verdict?.notes ?? []).some(n =>
      n.includes('in random order'),
    );
    if (fallback(predicted.pool) && fallback(real.pool) && noted)
      return 'fallback-pool-order';
  }
  if (
    diff.phase === 'stable' &&
    predicted.outcome === 'fail' &&
    real.ips.length === 0
  ) {
    const pool = failedPool(predicted.event);
    if (
      pool &&
      failedPool(real.last) === pool &&
      (diff.laterPools ?? []).includes(pool)
    )
      return 'pool-taken-after-failure';
  }
  return null;
}
