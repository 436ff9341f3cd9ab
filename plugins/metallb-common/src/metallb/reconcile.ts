import { scopedMemo, withAnalysisScope } from '../analysisScope';
import { formatIp, IpAddress, parseIp } from '../ip';
import type { Service } from '../model/kubernetes';
import type { MetallbOutcome, PredictedEvent } from '../model/report';
import {
  AllocationError,
  AllocationSubject,
  Allocator,
  FamilyPolicy,
  isPoolCompatible,
  poolFor,
  quoteIps,
  ServiceFamily,
} from './allocator';
import type { MetallbConfig, Pool } from './config';
import {
  annotationsOf,
  clusterIpsOf,
  DEPRECATED_METALLB_PREFIX,
  desiredIps,
  DesiredIps,
  familyForAddresses,
  familyForIps,
  familyPolicyOf,
  labelsOf,
  metallbAnnotation,
  portsOf,
  quoteStrings,
  sharingKeyOf,
} from './serviceFacts';
import type { MetallbFeatures } from './version';

/** A request problem found while allocating, carried with its rule-facing cause. */
class RequestError extends Error {
  constructor(readonly failure: ReconcileFailure) {
    super(failure.message);
  }
}

/** Why MetalLB could not give or keep an IP, for the rules. */
export interface ReconcileFailure {
  stage:
    | 'revalidate'
    | 'request'
    | 'allocate'
    | 'additional'
    | 'cluster-ips'
    | 'status';
  /** The allocator's error kind, or the request problem. */
  kind:
    | AllocationError['kind']
    | 'both-fields'
    | 'invalid-request'
    | 'family-mismatch'
    | 'pool-mismatch'
    | 'no-pools'
    | 'cluster-ips';
  message: string;
  detail: AllocationError['detail'];
}

/** The verdict for one Service plus the facts rules need. */
export interface ServiceVerdict {
  key: string;
  handled: boolean;
  outcome: MetallbOutcome;
  ips: string[];
  pool: string | null;
  events: PredictedEvent[];
  writes: boolean;
  notes: string[];
  /** The IPs of status.loadBalancer.ingress before the reconcile. */
  currentIps: string[];
  desired: DesiredIps;
  failures: ReconcileFailure[];
  /** MetalLB keeps its current IPs only because its release rejects the new configuration. */
  staleConfig?: boolean;
}

/** Inputs of one reconcile pass. */
export interface ReconcileInput {
  services: Service[];
  config: MetallbConfig;
  features: MetallbFeatures;
  /** Whether MetalLB handles each Service (class filter, installed). */
  handles: (service: Service) => boolean;
}

const keyOf = (s: Service) =>
  `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name ?? ''}`;

/**
 * The status IPs of each Service are read several times per pass (sorting, the allocator's state,
 * converge, the verdict); parsed once per Service object while a pass runs.
 */
const ingressIps = scopedMemo(readIngressIps);

function readIngressIps(service: Service): Array<IpAddress | undefined> {
  const ingress = service.status?.loadBalancer?.ingress;
  if (!Array.isArray(ingress)) return [];
  return ingress
    .filter(
      entry =>
        entry &&
        typeof entry === 'object' &&
        typeof entry.ip === 'string' &&
        entry.ip !== '',
    )
    .map(entry => parseIp(entry.ip));
}

function normal(reason: string, message: string): PredictedEvent {
  return { type: 'Normal', reason, message };
}
function warning(reason: string, message: string): PredictedEvent {
  return { type: 'Warning', reason, message };
}

function failureFrom(
  stage: ReconcileFailure['stage'],
  error: unknown,
): ReconcileFailure {
  if (error instanceof AllocationError) {
    return {
      stage,
      kind: error.kind,
      message: error.message,
      detail: error.detail,
    };
  }
  return { stage, kind: 'no-available', message: String(error), detail: {} };
}

function sameIpSet(
  a: ReadonlyArray<IpAddress | undefined>,
  b: ReadonlyArray<IpAddress | undefined>,
): boolean {
  const text = (l: ReadonlyArray<IpAddress | undefined>) =>
    l.map(ip => (ip ? formatIp(ip) : '<nil>')).sort();
  const x = text(a);
  const y = text(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

interface PoolGroups {
  /** Auto-assign pools with a serviceAllocation, in configuration order. */
  pinnable: Pool[];
  /** Auto-assign pools without one: every Service may land there. */
  fallback: Pool[];
  /** The "random order" note, by family and chosen pool: the same text for many Services. */
  notes: Map<string, string | null>;
}

const poolGroupCache = new WeakMap<readonly Pool[], PoolGroups>();

/** Splits the pools once per configuration instead of once per Service. */
function poolGroups(pools: readonly Pool[]): PoolGroups {
  let groups = poolGroupCache.get(pools);
  if (!groups) {
    groups = {
      pinnable: pools.filter(p => p.serviceAllocation !== null && p.autoAssign),
      fallback: pools.filter(p => p.autoAssign && p.serviceAllocation === null),
      notes: new Map(),
    };
    poolGroupCache.set(pools, groups);
  }
  return groups;
}

/** Pools MetalLB tries first for a Service: its namespace's and selector pools, by priority. */
function pinnedPools(
  pools: readonly Pool[],
  subject: AllocationSubject,
): Pool[] {
  const pinned = poolGroups(pools).pinnable.filter(
    p =>
      p.serviceAllocation !== null &&
      (p.serviceAllocation.namespaces.has(subject.namespace) ||
        p.serviceAllocation.serviceSelectors.length > 0) &&
      isPoolCompatible(p, subject),
  );
  // Lower positive priority first, 0 (unset) last; MetalLB leaves ties in no particular order.
  const rank = (p: Pool) =>
    p.serviceAllocation!.priority > 0
      ? p.serviceAllocation!.priority
      : Infinity;
  return pinned.sort((a, b) => rank(a) - rank(b));
}

/**
 * Models MetalLB's controller over every Service of a cluster: first the allocator's state as the
 * running controller holds it (each Service's current status IPs that its configuration accepts),
 * then one `convergeBalancer` per Service, Services holding IPs first, as a reprocess-all pass does.
 */
export function reconcileAll(input: ReconcileInput): {
  verdicts: Map<string, ServiceVerdict>;
  allocator: Allocator;
} {
  return withAnalysisScope(() => reconcileEach(input));
}

function reconcileEach(input: ReconcileInput): {
  verdicts: Map<string, ServiceVerdict>;
  allocator: Allocator;
} {
  const { config, features } = input;
  const allocator = new Allocator(config.pools, {
    exhaustedPoolError: features.exhaustedPoolError,
    quotedPoolFamilyError: !features.preferDualStack,
  });
  const verdicts = new Map<string, ServiceVerdict>();
  const handled: Service[] = [];
  for (const service of input.services) {
    if (input.handles(service)) handled.push(service);
    else verdicts.set(keyOf(service), ignored(service));
  }
  const withIps = sortByAge(handled.filter(s => ingressIps(s).length > 0));
  const withoutIps = sortByAge(handled.filter(s => ingressIps(s).length === 0));

  const stranded = new Set<string>();
  for (const service of withIps) {
    const ips = ingressIps(service);
    if (ips.some(ip => !ip)) continue;
    try {
      allocator.assign(subjectOf(service, features), ips as IpAddress[]);
    } catch {
      // Before 0.14.2 a configuration that strands an IP MetalLB assigned is refused as a whole.
      if (
        !features.acceptsStrandingConfig &&
        !poolFor(config.pools, ips as IpAddress[]) &&
        features.poolAnnotation &&
        features.poolAnnotation in annotationsOf(service)
      ) {
        stranded.add(keyOf(service));
      }
    }
  }
  for (const service of [...withIps, ...withoutIps]) {
    const key = keyOf(service);
    if (stranded.size > 0) {
      verdicts.set(key, staleConfigVerdict(service, stranded));
      continue;
    }
    verdicts.set(key, converge(service, allocator, config, features));
  }
  return { verdicts, allocator };
}

/** The subject is needed twice per Service (the allocator's state, then converge). */
const subjects = scopedMemo((_service: Service) => ({
  features: null as MetallbFeatures | null,
  subject: null as AllocationSubject | null,
}));

/**
 * Oldest first, then by key (the order a reprocess-all pass sees). The sort keys are computed once
 * per Service rather than twice per comparison, and equal texts skip the locale comparison.
 */
function sortByAge(services: Service[]): Service[] {
  const decorated = services.map(service => ({
    service,
    time: String(service.metadata?.creationTimestamp ?? ''),
    key: keyOf(service),
  }));
  decorated.sort(
    (x, y) =>
      (x.time === y.time ? 0 : x.time.localeCompare(y.time)) ||
      (x.key === y.key ? 0 : x.key.localeCompare(y.key)),
  );
  return decorated.map(d => d.service);
}

function subjectOf(
  service: Service,
  features: MetallbFeatures,
): AllocationSubject {
  const memo = subjects(service);
  if (memo.features !== features || !memo.subject) {
    memo.features = features;
    memo.subject = readSubject(service, features);
  }
  return memo.subject;
}

function readSubject(
  service: Service,
  features: MetallbFeatures,
): AllocationSubject {
  return {
    key: keyOf(service),
    namespace: service.metadata?.namespace ?? 'default',
    labels: labelsOf(service),
    ports: portsOf(service),
    sharingKey: sharingKeyOf(service, features),
  };
}

function ignored(service: Service): ServiceVerdict {
  return {
    key: keyOf(service),
    handled: false,
    outcome: 'ignore',
    ips: [],
    pool: null,
    events: [],
    writes: false,
    notes: [],
    currentIps: ingressIps(service).map(ip => (ip ? formatIp(ip) : '<nil>')),
    desired: { kind: 'none' },
    failures: [],
  };
}

function staleConfigVerdict(
  service: Service,
  stranded: Set<string>,
): ServiceVerdict {
  const current = ingressIps(service).filter((ip): ip is IpAddress => !!ip);
  return {
    ...ignored(service),
    handled: true,
    outcome: current.length > 0 ? 'keep' : 'fail',
    ips: current.map(formatIp),
    pool: null,
    staleConfig: true,
    notes: [
      `This MetalLB release (before 0.14.2) rejects the current pool configuration because it would take away IPs in use (${[
        ...stranded,
      ].join(', ')}), and keeps running its previous configuration.`,
    ],
  };
}

/** One `convergeBalancer` + `SetBalancer` write decision. */
function converge(
  service: Service,
  allocator: Allocator,
  config: MetallbConfig,
  features: MetallbFeatures,
): ServiceVerdict {
  const key = keyOf(service);
  const subject = subjectOf(service, features);
  const events: PredictedEvent[] = [];
  const notes: string[] = [];
  const failures: ReconcileFailure[] = [];
  const currentIps = ingressIps(service);
  const currentTexts = currentIps.map(ip => (ip ? formatIp(ip) : '<nil>'));
  const hadIngress =
    Array.isArray(service.status?.loadBalancer?.ingress) &&
    service.status!.loadBalancer!.ingress!.length > 0;
  const desired = desiredIps(service, features);
  let statusCleared = false;
  const clear = () => {
    allocator.unassign(key);
    statusCleared = true;
  };
  const finish = (ips: IpAddress[]): ServiceVerdict => {
    const pool = ips.length > 0 ? allocator.poolOf(key) || null : null;
    const writes = computeWrites(service, ips, pool, statusCleared, features);
    const annotationKeys =
      writes.changed && features.metallbIoPrefix
        ? Object.keys(annotationsOf(service))
        : [];
    // Sorted only when there is something to report (most Services use no deprecated key).
    if (annotationKeys.some(k => k.startsWith(DEPRECATED_METALLB_PREFIX))) {
      for (const annotation of annotationKeys.sort()) {
        if (annotation.startsWith(DEPRECATED_METALLB_PREFIX)) {
          events.push(
            warning(
              'deprecatedAnnotation',
              `Service uses deprecated annotation ${annotation}`,
            ),
          );
        }
      }
    }
    const ipTexts = ips.map(formatIp);
    let outcome: MetallbOutcome;
    if (ipTexts.length === 0)
      outcome =
        hadIngress && (statusCleared || currentIps.length > 0)
          ? 'clear'
          : 'fail';
    else if (
      ipTexts.length === currentTexts.length &&
      ipTexts.every((ip, i) => ip === currentTexts[i])
    )
      outcome = 'keep';
    else outcome = 'assign';
    return {
      key,
      handled: true,
      outcome,
      ips: ipTexts,
      pool,
      events,
      writes: writes.real,
      notes,
      currentIps: currentTexts,
      desired,
      failures,
    };
  };

  if (config.pools.length === 0) {
    clear();
    failures.push({
      stage: 'allocate',
      kind: 'no-pools',
      message: 'MetalLB has no IPAddressPool',
      detail: {},
    });
    return finish([]);
  }
  let clusterIps = clusterIpsOf(service);
  if (clusterIps.length === 0 && !looksLikeManifest(service)) {
    // MetalLB clears a live Service without cluster IPs, without an event.
    clear();
    failures.push({
      stage: 'cluster-ips',
      kind: 'cluster-ips',
      message: 'the Service has no cluster IP',
      detail: {},
    });
    return finish([]);
  }
  if (clusterIps.length === 0) {
    // A manifest not applied yet: the API server will allocate cluster IPs of the requested families.
    clusterIps = assumedClusterIps(service);
    notes.push(
      `spec.clusterIP is not set (not applied yet): assumed the API server allocates ${
        clusterIps.length === 2
          ? 'IPv4 and IPv6 cluster IPs'
          : `an ${clusterIps[0].includes(':') ? 'IPv6' : 'IPv4'} cluster IP`
      }.`,
    );
  }
  const policy = familyPolicyOf(service, features);
  if (
    policy === 'RequireDualStack' &&
    clusterIps.length < 2 &&
    features.notEnoughClusterIPsEvent
  ) {
    events.push(
      warning(
        'not enough clusterips',
        `Service requires dual stack but not enough clusterips ${quoteStrings(
          clusterIps,
        )}`,
      ),
    );
    failures.push({
      stage: 'cluster-ips',
      kind: 'cluster-ips',
      message: 'not enough clusterips',
      detail: {},
    });
    clear();
    return finish([]);
  }

  let lbIps: Array<IpAddress | undefined> = [...currentIps];
  const serviceFamilyResult = familyForAddresses(clusterIps);
  if (lbIps.length === 0) {
    clear();
  } else {
    const lbFamily = familyForIps(lbIps);
    if ('error' in lbFamily) {
      if (!features.wipesInvalidStatus) {
        notes.push(
          'This MetalLB release (before 0.13.9) leaves a status it cannot read alone.',
        );
        return finish(lbIps.filter((ip): ip is IpAddress => !!ip));
      }
      events.push(
        warning(
          'nolbIPsIPFamily',
          `Failed to retrieve LBIPs IPFamily for ${quoteIps(lbIps)}: ${
            lbFamily.error
          }`,
        ),
      );
    }
    if ('error' in serviceFamilyResult) {
      events.push(
        warning(
          'noclusterIPsIPFamily',
          `Failed to retrieve ClusterIPs IPFamily for ${quoteStrings(
            Array.isArray(service.spec?.clusterIPs)
              ? service.spec!.clusterIPs.map(String)
              : [],
          )} ${service.spec?.clusterIP ?? ''}: ${serviceFamilyResult.error}`,
        ),
      );
      failures.push({
        stage: 'cluster-ips',
        kind: 'cluster-ips',
        message: serviceFamilyResult.error,
        detail: {},
      });
      return finish(
        statusCleared ? [] : lbIps.filter((ip): ip is IpAddress => !!ip),
      );
    }
    const lbFam = 'error' in lbFamily ? 'unknown' : lbFamily.family;
    const svcFam = serviceFamilyResult.family;
    const familyChanged =
      lbFam === 'unknown' ||
      (lbFam !== svcFam &&
        !(svcFam === 'dual' && policy === 'PreferDualStack'));
    if (familyChanged) {
      clear();
      lbIps = [];
    }
  }

  if (lbIps.length > 0) {
    try {
      allocator.assign(subject, lbIps as IpAddress[]);
    } catch (error) {
      const failure = failureFrom('revalidate', error);
      failures.push(failure);
      if (features.clearAssignmentEvent) {
        events.push(
          normal(
            'ClearAssignment',
            `current IP for "${key}" not allowed by config, will attempt for new IP assignment: ${failure.message}`,
          ),
        );
      }
      clear();
      lbIps = [];
    }
    const desiredPool =
      metallbAnnotation(annotationsOf(service), 'address-pool', features)
        ?.value ?? '';
    if (
      lbIps.length > 0 &&
      desiredPool !== '' &&
      allocator.poolOf(key) !== desiredPool
    ) {
      notes.push(
        `The Service asks for pool "${desiredPool}" but holds an IP of "${allocator.poolOf(
          key,
        )}": MetalLB clears it.`,
      );
      clear();
      lbIps = [];
    }
    if (desired.kind === 'error') {
      events.push(
        warning(
          'LoadBalancerFailed',
          `invalid requested loadbalancer IPs: ${desired.message}`,
        ),
      );
      failures.push(requestFailure(desired));
      return finish(lbIps as IpAddress[]);
    }
    if (desired.kind === 'ips' && !sameIpSet(lbIps, desired.ips)) {
      if (lbIps.length > 0)
        notes.push(
          'The requested IPs differ from the current ones: MetalLB clears and re-assigns.',
        );
      clear();
      lbIps = [];
    }
  }

  if (lbIps.length === 1 && policy === 'PreferDualStack') {
    try {
      const extra = allocator.allocateAdditional(
        subject,
        lbIps[0]!,
        allocator.poolOf(key),
      );
      lbIps = [lbIps[0], extra];
      events.push(
        normal('IPAllocated', `Assigned additional IP "${formatIp(extra)}"`),
      );
    } catch (error) {
      const failure = failureFrom('additional', error);
      failures.push(failure);
      events.push(
        normal(
          'AdditionalAssignFailed',
          `cannot assign additional IP in PreferDualStack: ${failure.message}`,
        ),
      );
    }
  }

  if (lbIps.length === 0) {
    if ('error' in serviceFamilyResult) {
      failures.push({
        stage: 'cluster-ips',
        kind: 'cluster-ips',
        message: serviceFamilyResult.error,
        detail: {},
      });
      events.push(
        warning(
          'AllocationFailed',
          `Failed to allocate IP for "${key}": ${serviceFamilyResult.error}`,
        ),
      );
      return finish([]);
    }
    try {
      lbIps = allocateIps(
        service,
        subject,
        serviceFamilyResult.family,
        policy,
        desired,
        allocator,
        config,
        features,
        notes,
      );
      events.push(normal('IPAllocated', `Assigned IP ${quoteIps(lbIps)}`));
    } catch (error) {
      const failure =
        error instanceof RequestError
          ? error.failure
          : failureFrom(desired.kind === 'ips' ? 'request' : 'allocate', error);
      failures.push(failure);
      events.push(
        warning(
          'AllocationFailed',
          `Failed to allocate IP for "${key}": ${failure.message}`,
        ),
      );
      return finish([]);
    }
  }
  return finish(lbIps as IpAddress[]);
}

function requestFailure(
  desired: Extract<DesiredIps, { kind: 'error' }>,
): ReconcileFailure {
  const kind = desired.cause === 'both' ? 'both-fields' : 'invalid-request';
  return { stage: 'request', kind, message: desired.message, detail: {} };
}

/** `allocateIPs`. */
function allocateIps(
  service: Service,
  subject: AllocationSubject,
  family: ServiceFamily,
  policy: FamilyPolicy,
  desired: DesiredIps,
  allocator: Allocator,
  config: MetallbConfig,
  features: MetallbFeatures,
  notes: string[],
): IpAddress[] {
  if (desired.kind === 'error') throw new RequestError(requestFailure(desired));
  const desiredPool =
    metallbAnnotation(annotationsOf(service), 'address-pool', features)
      ?.value ?? '';
  if (desired.kind === 'ips') {
    if (family !== desired.family) {
      throw new RequestError({
        stage: 'request',
        kind: 'family-mismatch',
        message: `requested loadBalancer IP(s) ${quoteIps(
          desired.ips,
        )} does not match the ipFamily of the service`,
        detail: {},
      });
    }
    allocator.assign(subject, desired.ips);
    if (
      features.addressPoolCompatibilityCheck &&
      desiredPool !== '' &&
      allocator.poolOf(subject.key) !== desiredPool
    ) {
      const pool = allocator.poolOf(subject.key);
      allocator.unassign(subject.key);
      throw new RequestError({
        stage: 'request',
        kind: 'pool-mismatch',
        message: `requested loadBalancer IP(s) ${quoteIps(
          desired.ips,
        )} is not compatible with requested address pool ${desiredPool}`,
        detail: { pool },
      });
    }
    return desired.ips;
  }
  if (desiredPool !== '')
    return allocator.allocateFromPool(subject, family, policy, desiredPool);
  const primary = service.spec?.ipFamilies?.[0] === 'IPv6' ? 'ipv6' : 'ipv4';
  const pinned = pinnedPools(config.pools, subject);
  const groups = poolGroups(config.pools);
  const fallback = groups.fallback;
  const ips = allocator.allocate(
    subject,
    family,
    policy,
    primary,
    pinned,
    fallback,
  );
  const chosen = allocator.poolOf(subject.key);
  if (!pinned.some(p => p.name === chosen)) {
    const noteKey = `${family}\n${chosen}`;
    let note = groups.notes.get(noteKey);
    if (note === undefined) {
      const alternatives = fallback.filter(
        p =>
          p.name !== chosen &&
          p.cidrs.some(c => family === 'dual' || c.family === family),
      );
      note =
        alternatives.length > 0
          ? `MetalLB picks among the unrestricted pools ${[
              chosen,
              ...alternatives.map(p => p.name),
            ].join(', ')} in random order; "${chosen}" is one possible choice.`
          : null;
      groups.notes.set(noteKey, note);
    }
    if (note !== null) notes.push(note);
  }
  return ips;
}

/**
 * A manifest not applied yet (no uid, no status, ports set): the API server will give it cluster
 * IPs, so a pre-apply lint assumes them instead of predicting MetalLB's "no cluster IP" clear.
 */
function looksLikeManifest(service: Service): boolean {
  const meta = service.metadata ?? {};
  return (
    !meta.uid &&
    !meta.resourceVersion &&
    service.status === undefined &&
    Array.isArray(service.spec?.ports) &&
    service.spec!.ports.length > 0
  );
}

function assumedClusterIps(service: Service): string[] {
  const families = Array.isArray(service.spec?.ipFamilies)
    ? service.spec!.ipFamilies.map(String)
    : [];
  const policy = service.spec?.ipFamilyPolicy;
  const first = families[0] === 'IPv6' ? 'fd00::1' : '10.96.0.1';
  const second = first === 'fd00::1' ? '10.96.0.1' : 'fd00::1';
  if (families.length === 2 || policy === 'RequireDualStack')
    return [first, second];
  return [first];
}

/** What MetalLB would write, compared with the object as it is. */
function computeWrites(
  service: Service,
  ips: IpAddress[],
  pool: string | null,
  cleared: boolean,
  features: MetallbFeatures,
): { changed: boolean; real: boolean } {
  const ingress = Array.isArray(service.status?.loadBalancer?.ingress)
    ? service.status!.loadBalancer!.ingress!
    : [];
  const newIngress = ips.map(formatIp);
  let statusChanged: boolean;
  let realStatusChange: boolean;
  if (ips.length === 0) {
    statusChanged =
      cleared &&
      typeof service.status?.loadBalancer === 'object' &&
      service.status.loadBalancer !== null &&
      Object.keys(service.status.loadBalancer).length > 0;
    realStatusChange = statusChanged && ingress.length > 0;
  } else {
    const exact =
      ingress.length === newIngress.length &&
      ingress.every(
        (entry, i) =>
          entry &&
          Object.keys(entry).length === 1 &&
          entry.ip === newIngress[i],
      );
    statusChanged = !exact;
    // The API server defaults ipMode to VIP, so rewriting [{ip}] over [{ip, ipMode: VIP}] changes nothing.
    realStatusChange =
      ingress.length !== newIngress.length ||
      ingress.some(
        (entry, i) =>
          !entry ||
          entry.ip !== newIngress[i] ||
          Object.keys(entry).some(
            k => k !== 'ip' && !(k === 'ipMode' && entry.ipMode === 'VIP'),
          ),
      );
  }
  const annotations = annotationsOf(service);
  let annotationChanged = false;
  if (features.poolAnnotation) {
    const current = annotations[features.poolAnnotation];
    annotationChanged =
      ips.length > 0 && pool !== null
        ? current !== pool
        : cleared && current !== undefined;
  }
  const changed = statusChanged || annotationChanged;
  return { changed, real: realStatusChange || annotationChanged };
}
