/**
 * The engine's output. These shapes are public API: the CLI's `--format json`, the backend's HTTP
 * API and saved filters all key on them. Add fields; never rename or remove one.
 */

/** @public */
export type Severity = 'error' | 'warning' | 'info';

/** A Service's overall status: its worst finding's severity, `ok` when it has none. @public */
export type ServiceStatus = 'ok' | Severity;

/**
 * What MetalLB does with a Service at its next reconcile.
 * - `keep`: the current IPs stay.
 * - `assign`: MetalLB writes new IPs (or adds one: PreferDualStack).
 * - `clear`: the Service holds IPs now and MetalLB removes them without giving new ones.
 * - `fail`: the Service holds no IP and MetalLB cannot give one.
 * - `ignore`: MetalLB does not handle this Service (class filter, not installed, not a LoadBalancer).
 * - `unknown`: the inputs needed to decide were not read (no pools and no legacy ConfigMap).
 * @public
 */
export type MetallbOutcome =
  | 'keep'
  | 'assign'
  | 'clear'
  | 'fail'
  | 'ignore'
  | 'unknown';

/** A Kubernetes Event as MetalLB's controller would record it. @public */
export interface PredictedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** @public */
export interface MetallbVerdict {
  /** Whether MetalLB's class filter lets it handle the Service. */
  handled: boolean;
  outcome: MetallbOutcome;
  /** The IPs the Service holds after the reconcile, in status order; `[]` for none. */
  ips: string[];
  /** The pool the IPs come from, `null` when none. */
  pool: string | null;
  /** The last (decisive) Event MetalLB records in this reconcile, `null` when it records none. */
  event: PredictedEvent | null;
  /** Every Event of the reconcile, in order. */
  events: PredictedEvent[];
  /** Whether MetalLB writes the Service (status or its pool annotation) in this reconcile. */
  writes: boolean;
  /** Plain-language account of how the verdict was reached, including assumptions (unknown version...). */
  notes: string[];
}

/** Ids of the controllers the engine can name. @public */
export type ControllerId =
  | 'metallb'
  | 'chisel-operator'
  | 'kube-vip'
  | 'kube-vip-cloud-provider'
  | 'k3s-servicelb'
  | 'cilium'
  | 'calico'
  | 'purelb'
  | 'openelb'
  | 'tailscale'
  | 'inlets'
  | 'loxilb'
  | 'aws-lbc'
  | 'cloud-provider'
  | 'unknown';

/** A controller that acts, or may act, on a Service, with what shows it. @public */
export interface Owner {
  controller: ControllerId;
  /** Human-readable facts, each naming the field or object it comes from. */
  evidence: string[];
}

/** Stable ids of the rules; public API (SARIF, CI jobs, saved filters). @public */
export type RuleId =
  | 'deprecated-load-balancer-ip'
  | 'conflicting-ip-requests'
  | 'ip-not-in-any-pool'
  | 'pool-not-allowed'
  | 'unknown-address-pool'
  | 'ip-not-in-requested-pool'
  | 'ip-family-mismatch'
  | 'ip-in-use'
  | 'sharing-conflict'
  | 'pool-exhausted'
  | 'pool-nearly-full'
  | 'no-pool-available'
  | 'controller-contention'
  | 'write-loop'
  | 'class-unserved'
  | 'pending-service'
  | 'pool-not-advertised'
  | 'deprecated-annotation'
  | 'legacy-configmap'
  | 'overlapping-pools'
  | 'invalid-metallb-config'
  | 'ingress-mismatch'
  | 'dual-stack-oscillation'
  | 'kube-proxy-strict-arp'
  | 'pool-contains-node-ip'
  | 'duplicate-metallb'
  | 'metallb-known-bug'
  | 'cross-cluster-ip';

/** A concrete fix, generated from the real object. @public */
export interface Remediation {
  /** Stable id of the kind of fix, e.g. `set-load-balancer-class`. */
  id: string;
  title: string;
  /** Why this fixes the finding, in plain language. */
  description: string;
  /** Complete, parseable manifest(s) (multi-document YAML), when the fix is a manifest. */
  yaml?: string;
  /** Shell commands, in order. */
  commands?: string[];
}

/** @public */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  evidence: string[];
  remediations: Remediation[];
}

/** Where a requested IP comes from. @public */
export type RequestSource =
  | 'metallb.io/loadBalancerIPs'
  | 'metallb.universe.tf/loadBalancerIPs'
  | 'spec.loadBalancerIP';

/** @public */
export interface ServiceReport {
  namespace: string;
  name: string;
  uid?: string;
  /** spec.loadBalancerClass, `null` when unset. */
  loadBalancerClass: string | null;
  /** The IPs the Service asks for, and where each request comes from. */
  requested: Array<{ source: RequestSource; value: string }>;
  /** The IP and hostname entries of status.loadBalancer.ingress now. */
  ingress: string[];
  metallb: MetallbVerdict;
  owners: Owner[];
  findings: Finding[];
  status: ServiceStatus;
}

/** Capacity and use of one MetalLB pool. @public */
export interface PoolReport {
  name: string;
  /** `crd` (IPAddressPool) or `configmap` (legacy metallb-system/config). */
  source: 'crd' | 'configmap';
  addresses: string[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
  /** Usable addresses per family (after avoidBuggyIPs); a decimal string past 2^53. */
  capacity: { ipv4: number | string; ipv6: number | string };
  /** Addresses in use per family after the predicted reconcile. */
  used: { ipv4: number; ipv6: number };
  /** Services holding an IP of this pool after the predicted reconcile (`namespace/name`). */
  services: string[];
  serviceAllocation: {
    priority: number;
    namespaces: string[];
    namespaceSelectors: number;
    serviceSelectors: number;
  } | null;
  advertised: { l2: boolean; bgp: boolean } | null;
}

/** What is known about MetalLB in the cluster. @public */
export interface MetallbReport {
  installed: boolean | null;
  /** MetalLB's version from its controller image tag, `null` when unknown. */
  version: string | null;
  /** The version whose behaviour the verdicts follow. */
  assumedVersion: string;
  /** The controller's `--lb-class`, `null` when unset. */
  lbClass: string | null;
  /** `crds`, `configmap`, or `unknown` when neither was read. */
  configSource: 'crds' | 'configmap' | 'none' | 'unknown';
  controllers: string[];
  pools: PoolReport[];
  configErrors: string[];
}

/** @public */
export interface ClusterReport {
  name: string;
  metallb: MetallbReport;
  /** Controllers found installed (from their workloads and objects), with evidence. */
  controllers: Owner[];
  services: ServiceReport[];
  /** Cluster-level findings (MetalLB configuration, kube-proxy, duplicate controllers...). */
  findings: Finding[];
  /** Kinds the snapshot did not contain, whose absence limits the verdicts. */
  unknownKinds: string[];
  summary: ReportSummary;
}

/** @public */
export interface ReportSummary {
  services: number;
  ok: number;
  info: number;
  warning: number;
  error: number;
  byRule: Partial<Record<RuleId, number>>;
}

/** @public */
export interface FleetReport {
  clusters: ClusterReport[];
  /** Fleet-level findings (cross-cluster-ip). */
  findings: Finding[];
}
