import { withAnalysisScope } from './analysisScope';
import { cidrSize, formatCidr, usableCount } from './ip';
import { MetallbConfig, readMetallbConfig } from './metallb/config';
import { detectMetallbInstall, MetallbInstall } from './metallb/install';
import { reconcileAll, ServiceVerdict } from './metallb/reconcile';
import { requestSources } from './metallb/serviceFacts';
import { featuresOf, NEWEST_METALLB_VERSION } from './metallb/version';
import type { KubeEvent, Service } from './model/kubernetes';
import type {
  ClusterReport,
  Finding,
  FleetReport,
  PoolReport,
  ReportSummary,
  ServiceReport,
  ServiceStatus,
} from './model/report';
import type { ClusterSnapshot, SnapshotListKey } from './model/snapshot';
import {
  defaultOwnershipDetectors,
  detectInstalledControllers,
  detectOwners,
} from './ownership';
import type { InstalledController, OwnershipDetector } from './ownership/types';
import { compareFindings } from './rules/catalog';
import { CLUSTER_RULES } from './rules/clusterRules';
import type { ClusterFacts, ServiceFacts } from './rules/context';
import { crossClusterFindings } from './rules/fleetRules';
import { addCrossControllerIpConflicts } from './rules/sharedAcrossControllers';
import { SERVICE_RULES } from './rules/serviceRules';

/** @public */
export interface AnalyzeOptions {
  /**
   * MetalLB's `--lb-class`, overriding what the controller Deployment says (for dumps without
   * workloads). `null` forces "unset".
   */
  metallbLbClass?: string | null;
  /** The MetalLB version to model when the snapshot does not show one (default: newest known). */
  metallbVersion?: string;
  /** Extra ownership detectors, run after the built-in ones. */
  detectors?: OwnershipDetector[];
}

const LIST_KEYS: SnapshotListKey[] = [
  'services',
  'namespaces',
  'nodes',
  'events',
  'ipAddressPools',
  'l2Advertisements',
  'bgpAdvertisements',
  'configurationStates',
  'configMaps',
  'deployments',
  'daemonSets',
];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Gives an object the shape every rule may rely on: metadata an object with string name and
 * namespace, spec and status objects when present. Anything else in it stays as it is and is
 * checked where it is read.
 */
function cleanObject(object: Record<string, unknown>): Record<string, unknown> {
  // Objects from the API server already have that shape; they are used as they are (the analysis
  // never modifies its input), which saves a copy of every object of a large cluster.
  if (isWellFormed(object)) return object;
  const meta = isPlainObject(object.metadata) ? { ...object.metadata } : {};
  for (const field of ['name', 'namespace', 'uid'] as const) {
    if (meta[field] !== undefined && typeof meta[field] !== 'string') {
      meta[field] = JSON.stringify(meta[field]) ?? String(meta[field]);
    }
  }
  const clean: Record<string, unknown> = { ...object, metadata: meta };
  for (const field of ['spec', 'status'] as const) {
    if (clean[field] !== undefined && !isPlainObject(clean[field]))
      delete clean[field];
  }
  return clean;
}

const optionalText = (value: unknown) =>
  value === undefined || typeof value === 'string';
const optionalObject = (value: unknown) =>
  value === undefined || isPlainObject(value);

function isWellFormed(object: Record<string, unknown>): boolean {
  // Written out field by field: this runs for every object of the cluster.
  const meta = object.metadata;
  if (!isPlainObject(meta)) return false;
  return (
    optionalText(meta.name) &&
    optionalText(meta.namespace) &&
    optionalText(meta.uid) &&
    optionalObject(object.spec) &&
    optionalObject(object.status)
  );
}

/** Keeps only well-formed objects in every list, so that no rule has to distrust list items. */
function sanitize(snapshot: ClusterSnapshot): ClusterSnapshot {
  const clean: ClusterSnapshot = {
    name: String(snapshot.name ?? 'default'),
    collectedAt: snapshot.collectedAt,
  };
  const lists = snapshot as unknown as Record<string, unknown>;
  for (const key of [
    ...LIST_KEYS,
    'serviceL2Statuses',
    'serviceBGPStatuses',
    'otherObjects',
  ] as SnapshotListKey[]) {
    const list = lists[key];
    if (list === undefined) continue;
    (clean as unknown as Record<string, unknown>)[key] = Array.isArray(list)
      ? list.filter(isPlainObject).map(cleanObject)
      : [];
  }
  return clean;
}

const keyOf = (s: Service) =>
  `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name ?? ''}`;

function isLoadBalancer(service: Service): boolean {
  return service.spec?.type === 'LoadBalancer';
}

/** The version whose behaviour to model, and whether it was read from the cluster. */
function chooseVersion(
  snapshot: ClusterSnapshot,
  install: MetallbInstall,
  options: AnalyzeOptions,
) {
  if (install.version) return { version: install.version, known: true };
  if (options.metallbVersion)
    return { version: options.metallbVersion, known: true };
  const legacy = (snapshot.configMaps ?? []).some(
    cm =>
      cm.metadata?.name === 'config' &&
      typeof cm.data?.config === 'string' &&
      cm.data.config.includes('address-pools'),
  );
  if (legacy && (snapshot.ipAddressPools ?? []).length === 0)
    return { version: '0.12.1', known: false };
  return { version: NEWEST_METALLB_VERSION, known: false };
}

function indexEvents(events: KubeEvent[] | undefined) {
  const byUid = new Map<string, KubeEvent[]>();
  const byName = new Map<string, KubeEvent[]>();
  for (const event of events ?? []) {
    const involved = event.involvedObject;
    if (
      !involved ||
      (involved.kind !== undefined && involved.kind !== 'Service')
    )
      continue;
    const push = (map: Map<string, KubeEvent[]>, key: string) => {
      const list = map.get(key);
      if (list) list.push(event);
      else map.set(key, [event]);
    };
    if (typeof involved.uid === 'string' && involved.uid)
      push(byUid, involved.uid);
    push(byName, `${involved.namespace ?? 'default'}/${involved.name ?? ''}`);
  }
  return (service: Service): KubeEvent[] => {
    const uid = service.metadata?.uid;
    const byKey = byName.get(keyOf(service)) ?? [];
    if (typeof uid === 'string' && uid) {
      // Events of an older Service of the same name carry another uid: keep only this one's.
      return byKey.filter(
        e => !e.involvedObject?.uid || e.involvedObject.uid === uid,
      );
    }
    return byKey;
  };
}

/** Rules that describe a Service's state without explaining why it has no IP. */
const NOT_A_CAUSE = new Set([
  'pending-service',
  'deprecated-load-balancer-ip',
  'deprecated-annotation',
  'pool-not-advertised',
  'ingress-mismatch',
  'cross-cluster-ip',
]);

/** pending-service is the fallback: dropped when another finding names the cause. */
function withoutRedundantPending(findings: Finding[]): Finding[] {
  if (!findings.some(f => f.rule === 'pending-service')) return findings;
  const explained = findings.some(f => !NOT_A_CAUSE.has(f.rule));
  return explained
    ? findings.filter(f => f.rule !== 'pending-service')
    : findings;
}

/** An ingress entry as shown to people: its IP, else its hostname. */
function ingressText(entry: unknown): string {
  if (!entry || typeof entry !== 'object') return '';
  const { ip, hostname } = entry as { ip?: unknown; hostname?: unknown };
  if (typeof ip === 'string' && ip) return ip;
  return typeof hostname === 'string' ? hostname : '';
}

function worst(findings: Finding[]): ServiceStatus {
  if (findings.some(f => f.severity === 'error')) return 'error';
  if (findings.some(f => f.severity === 'warning')) return 'warning';
  if (findings.some(f => f.severity === 'info')) return 'info';
  return 'ok';
}

function capacityValue(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

function poolReports(config: MetallbConfig, facts: ClusterFacts): PoolReport[] {
  const usage = facts.allocator.usageByPool();
  return config.pools.map(pool => {
    const capacity = { ipv4: 0n, ipv6: 0n };
    for (const cidr of pool.cidrs)
      capacity[cidr.family] += usableCount(cidr, pool.avoidBuggyIPs);
    const used = usage.get(pool.name);
    return {
      name: pool.name,
      source: pool.source,
      addresses: pool.addresses,
      autoAssign: pool.autoAssign,
      avoidBuggyIPs: pool.avoidBuggyIPs,
      capacity: {
        ipv4: capacityValue(capacity.ipv4),
        ipv6: capacityValue(capacity.ipv6),
      },
      used: { ipv4: used?.ipv4 ?? 0, ipv6: used?.ipv6 ?? 0 },
      services: used?.services ?? [],
      serviceAllocation: pool.serviceAllocation
        ? {
            priority: pool.serviceAllocation.priority,
            namespaces: [...pool.serviceAllocation.namespaces].sort(),
            namespaceSelectors: pool.serviceAllocation.namespaceSelectorCount,
            serviceSelectors: pool.serviceAllocation.serviceSelectors.length,
          }
        : null,
      advertised: pool.advertised,
    };
  });
}

/**
 * Counts Services by status and findings by rule; `extraFindings` (cluster-level ones) count
 * toward `byRule` too. Exported so that whoever adds findings later (the backend's churn
 * measurement) recounts the same way.
 * @public
 */
export function summarizeServices(
  services: ServiceReport[],
  extraFindings: Finding[] = [],
): ReportSummary {
  const summary: ReportSummary = {
    services: services.length,
    ok: 0,
    info: 0,
    warning: 0,
    error: 0,
    byRule: {},
  };
  for (const service of services) summary[service.status]++;
  for (const f of [...services.flatMap(s => s.findings), ...extraFindings]) {
    summary.byRule[f.rule] = (summary.byRule[f.rule] ?? 0) + 1;
  }
  return summary;
}

function unknownVerdict(verdict: ServiceVerdict): ServiceVerdict {
  return {
    ...verdict,
    outcome: 'unknown',
    ips: [],
    pool: null,
    events: [],
    writes: false,
    failures: [],
    notes: [
      "MetalLB's pools were not read (no IPAddressPool list and no legacy ConfigMap), so what MetalLB does is unknown.",
    ],
  };
}

/** Analyses one cluster. Never throws on malformed objects: they become findings. @public */
export function analyzeCluster(
  input: ClusterSnapshot,
  options: AnalyzeOptions = {},
): ClusterReport {
  return withAnalysisScope(() => analyzeInScope(input, options));
}

function analyzeInScope(
  input: ClusterSnapshot,
  options: AnalyzeOptions,
): ClusterReport {
  const snapshot = sanitize(input);
  const install = detectMetallbInstall(snapshot);
  const chosen = chooseVersion(snapshot, install, options);
  const features = featuresOf(chosen.version);
  const config = readMetallbConfig(snapshot, install.namespace, features);
  const lbClass =
    options.metallbLbClass !== undefined
      ? options.metallbLbClass || null
      : install.lbClass;
  const metallbPresent =
    install.installed === true ||
    (install.installed === null && config.source !== 'unknown');

  const services = (snapshot.services ?? []).filter(isLoadBalancer);
  const handles = (service: Service) => {
    if (install.installed === false) return false;
    if (!features.lbClass) return true;
    const cls =
      typeof service.spec?.loadBalancerClass === 'string' &&
      service.spec.loadBalancerClass !== ''
        ? service.spec.loadBalancerClass
        : null;
    return lbClass ? cls === lbClass : cls === null;
  };
  const { verdicts, allocator } = reconcileAll({
    services,
    config,
    features,
    handles,
  });
  if (config.source === 'unknown') {
    for (const [key, verdict] of verdicts)
      if (verdict.handled) verdicts.set(key, unknownVerdict(verdict));
  }

  const installed: InstalledController[] = detectInstalledControllers(
    snapshot,
  ).map(c =>
    c.controller === 'metallb' && options.metallbLbClass !== undefined
      ? {
          ...c,
          classes: lbClass ? [lbClass] : [],
          takesClassless: lbClass === null,
        }
      : c,
  );
  const facts: ClusterFacts = {
    snapshot,
    install,
    features,
    versionKnown: chosen.known,
    config,
    lbClass,
    installed,
    verdicts,
    allocator,
    services: new Map(services.map(s => [keyOf(s), s])),
  };
  const eventsOf = indexEvents(snapshot.events);
  const detectors = [
    ...defaultOwnershipDetectors,
    ...(options.detectors ?? []),
  ];
  const metallbContext = {
    installed: metallbPresent ? true : install.installed,
    lbClass,
  };

  const reports: ServiceReport[] = services.map(service => {
    const key = keyOf(service);
    const verdict = verdicts.get(key)!;
    const events = eventsOf(service);
    const owners = detectOwners(
      service,
      { snapshot, installed, events, metallb: metallbContext },
      detectors,
    );
    const serviceFacts: ServiceFacts = {
      key,
      service,
      verdict,
      owners,
      events,
      cluster: facts,
    };
    // A plain loop: no closure and no intermediate list per rule and Service.
    const all: Finding[] = [];
    for (const rule of SERVICE_RULES) {
      const found = runServiceRule(rule, serviceFacts, key);
      if (Array.isArray(found)) for (const f of found) all.push(f);
      else all.push(found);
    }
    const findings = withoutRedundantPending(
      all.length > 1 ? all.sort(compareFindings) : all,
    );
    const ingress = Array.isArray(service.status?.loadBalancer?.ingress)
      ? service.status!.loadBalancer!.ingress!
      : [];
    return {
      namespace: service.metadata?.namespace ?? 'default',
      name: String(service.metadata?.name ?? ''),
      ...(typeof service.metadata?.uid === 'string'
        ? { uid: service.metadata.uid }
        : {}),
      loadBalancerClass:
        typeof service.spec?.loadBalancerClass === 'string'
          ? service.spec.loadBalancerClass
          : null,
      requested: requestSources(service),
      ingress: ingress.map(ingressText).filter(Boolean),
      metallb: {
        handled: verdict.handled,
        outcome: verdict.outcome,
        ips: verdict.ips,
        pool: verdict.pool,
        event:
          verdict.events.length > 0
            ? verdict.events[verdict.events.length - 1]
            : null,
        events: verdict.events,
        writes: verdict.writes,
        notes: verdict.notes,
      },
      owners,
      findings,
      status: worst(findings),
    };
  });
  addCrossControllerIpConflicts(reports);
  reports.sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );

  const clusterFindings = CLUSTER_RULES.flatMap(rule =>
    safeRule(() => rule(facts), 'cluster'),
  ).sort(compareFindings);
  const unknownKinds = unknownKindsOf(snapshot);
  return {
    name: snapshot.name,
    metallb: {
      installed: metallbPresent ? true : install.installed,
      version: install.version,
      assumedVersion: features.version,
      lbClass,
      configSource: config.source,
      controllers: install.controllers.map(c => c.ref),
      pools: poolReports(config, facts),
      configErrors: config.errors,
    },
    controllers: installed.map(c => ({
      controller: c.controller,
      evidence: c.evidence,
    })),
    services: reports,
    findings: clusterFindings,
    unknownKinds,
    summary: summarizeServices(reports),
  };
}

/** {@link safeRule} for a per-Service rule, without a closure. */
function runServiceRule(
  rule: (facts: ServiceFacts) => Finding[],
  facts: ServiceFacts,
  where: string,
): Finding[] {
  try {
    return rule(facts);
  } catch (error) {
    return safeRule(() => {
      throw error;
    }, where);
  }
}

/** A rule that throws on some odd input must not take the whole report down. */
function safeRule(run: () => Finding[], where: string): Finding[] {
  try {
    return run();
  } catch (error) {
    return [
      {
        rule: 'pending-service',
        severity: 'info',
        message: `LB Doctor could not finish its checks for ${where}: ${
          (error as Error)?.message ?? String(error)
        }`,
        evidence: [],
        remediations: [],
      },
    ];
  }
}

const KIND_NAMES: Partial<Record<SnapshotListKey, string>> = {
  services: 'Service',
  namespaces: 'Namespace',
  nodes: 'Node',
  events: 'Event',
  ipAddressPools: 'IPAddressPool',
  l2Advertisements: 'L2Advertisement',
  bgpAdvertisements: 'BGPAdvertisement',
  configMaps: 'ConfigMap',
  deployments: 'Deployment',
  daemonSets: 'DaemonSet',
};

function unknownKindsOf(snapshot: ClusterSnapshot): string[] {
  return (Object.keys(KIND_NAMES) as SnapshotListKey[])
    .filter(k => snapshot[k] === undefined)
    .map(k => KIND_NAMES[k]!);
}

/** Analyses several clusters, adding fleet-level findings (the same IP held in two clusters). @public */
export function analyzeFleet(
  snapshots: ClusterSnapshot[],
  options: AnalyzeOptions = {},
): FleetReport {
  const clusters = snapshots.map(s => analyzeCluster(s, options));
  return { clusters, findings: crossClusterFindings(clusters) };
}

export { cidrSize, formatCidr };
