import type { RuleId, Severity } from '../model/report';

/** What every rule is, for SARIF rule descriptors, docs and the UI. @public */
export interface RuleDescriptor {
  id: RuleId;
  /** Default severity; a rule may raise or lower it for one case. */
  severity: Severity;
  title: string;
  description: string;
}

/**
 * The rule catalog, in root-cause order: a Service's findings are sorted by this order, so the
 * cause comes before its consequences.
 * @public
 */
export const RULES: readonly RuleDescriptor[] = [
  {
    id: 'controller-contention',
    severity: 'error',
    title: 'Several controllers act on the Service',
    description:
      'More than one load-balancer controller acts on the same Service and each rewrites what the other wrote.',
  },
  {
    id: 'write-loop',
    severity: 'error',
    title: 'Controllers rewrite the Service in a loop',
    description:
      'Events, managed fields or repeated scans show the Service being rewritten again and again, which also loads the API server and etcd.',
  },
  {
    id: 'duplicate-metallb',
    severity: 'error',
    title: 'Two MetalLB controllers',
    description:
      'Two MetalLB controllers serve the same Services and fight over their IPs.',
  },
  {
    id: 'invalid-metallb-config',
    severity: 'error',
    title: 'MetalLB rejects its configuration',
    description:
      'MetalLB refuses the configuration and keeps running its last good one, so changes do not take effect.',
  },
  {
    id: 'overlapping-pools',
    severity: 'error',
    title: 'Address pools overlap',
    description:
      'Two address pools share addresses; MetalLB rejects such a configuration.',
  },
  {
    id: 'conflicting-ip-requests',
    severity: 'error',
    title: 'IP requested twice',
    description:
      'spec.loadBalancerIP and the loadBalancerIPs annotation are both set; MetalLB refuses the Service even when they agree.',
  },
  {
    id: 'class-unserved',
    severity: 'error',
    title: "No controller serves the Service's class",
    description:
      "No installed controller serves the Service's loadBalancerClass (or MetalLB only serves another class), so it never gets an IP.",
  },
  {
    id: 'unknown-address-pool',
    severity: 'error',
    title: 'Requested pool does not exist',
    description: 'The Service asks for an address pool MetalLB does not have.',
  },
  {
    id: 'ip-not-in-any-pool',
    severity: 'error',
    title: 'IP outside every pool',
    description:
      "The IP is in none of MetalLB's address pools, so MetalLB refuses or removes it.",
  },
  {
    id: 'pool-not-allowed',
    severity: 'error',
    title: 'Pool not allowed for this Service',
    description:
      "The pool's serviceAllocation excludes the Service's namespace or labels.",
  },
  {
    id: 'ip-not-in-requested-pool',
    severity: 'error',
    title: 'IP not in the requested pool',
    description:
      'The requested IP is not in the address pool the Service asks for.',
  },
  {
    id: 'ip-family-mismatch',
    severity: 'error',
    title: 'IP family does not match',
    description:
      "The requested or available IPs are not of the Service's IP family (IPv4, IPv6, dual-stack).",
  },
  {
    id: 'ip-in-use',
    severity: 'error',
    title: 'IP already in use',
    description: 'Another Service holds the IP and cannot share it.',
  },
  {
    id: 'sharing-conflict',
    severity: 'error',
    title: 'IP sharing not possible',
    description:
      'The Services want to share an IP but their sharing keys, ports or traffic policies do not allow it.',
  },
  {
    id: 'pool-exhausted',
    severity: 'error',
    title: 'Pool exhausted',
    description: 'The address pool has no free address left.',
  },
  {
    id: 'no-pool-available',
    severity: 'error',
    title: 'No pool available',
    description: 'No address pool may give this Service an IP automatically.',
  },
  {
    id: 'dual-stack-oscillation',
    severity: 'warning',
    title: 'Dual-stack IPs oscillate',
    description:
      'A PreferDualStack Service with a single cluster IP gets a second IP and loses it again at every reconcile.',
  },
  {
    id: 'metallb-known-bug',
    severity: 'warning',
    title: 'Known MetalLB bug',
    description:
      'The running MetalLB release has a bug that affects this object; a newer release fixes it.',
  },
  {
    id: 'ingress-mismatch',
    severity: 'warning',
    title: 'Assigned IP differs from the request',
    description: "The IP in the Service's status is not the IP it asks for.",
  },
  {
    id: 'pending-service',
    severity: 'warning',
    title: 'Service has no IP',
    description: 'The LoadBalancer Service has no external IP.',
  },
  {
    id: 'pool-not-advertised',
    severity: 'warning',
    title: 'Pool not advertised',
    description:
      'No L2Advertisement or BGPAdvertisement selects the pool, so its IPs are assigned but unreachable.',
  },
  {
    id: 'kube-proxy-strict-arp',
    severity: 'error',
    title: 'kube-proxy IPVS without strictARP',
    description:
      "kube-proxy in IPVS mode answers ARP for every Service IP unless strictARP is on, which breaks MetalLB's layer 2 mode.",
  },
  {
    id: 'pool-contains-node-ip',
    severity: 'error',
    title: 'Pool contains a node address',
    description:
      "An address pool includes a node's own IP, which MetalLB may hand to a Service.",
  },
  {
    id: 'pool-nearly-full',
    severity: 'warning',
    title: 'Pool nearly full',
    description: 'Few addresses are left in the pool.',
  },
  {
    id: 'legacy-configmap',
    severity: 'warning',
    title: 'Legacy MetalLB ConfigMap',
    description:
      "The metallb-system/config ConfigMap is MetalLB's pre-0.13 configuration; current releases ignore it.",
  },
  {
    id: 'deprecated-load-balancer-ip',
    severity: 'warning',
    title: 'Deprecated spec.loadBalancerIP',
    description:
      'spec.loadBalancerIP is deprecated since Kubernetes 1.24 and other controllers read it differently.',
  },
  {
    id: 'deprecated-annotation',
    severity: 'info',
    title: 'Deprecated MetalLB annotation',
    description:
      'metallb.universe.tf/ annotations are deprecated since MetalLB 0.14.9; use metallb.io/.',
  },
  {
    id: 'cross-cluster-ip',
    severity: 'warning',
    title: 'Same IP in two clusters',
    description:
      'The same load-balancer IP is held in two clusters of the fleet.',
  },
];

const ORDER = new Map(RULES.map((rule, index) => [rule.id, index]));
const BY_ID = new Map(RULES.map(rule => [rule.id, rule]));

/** The descriptor of a rule. @public */
export function ruleDescriptor(id: RuleId): RuleDescriptor {
  return BY_ID.get(id)!;
}

/** Compares rule ids in root-cause order. */
export function compareRules(a: RuleId, b: RuleId): number {
  return (ORDER.get(a) ?? 99) - (ORDER.get(b) ?? 99);
}

/** Orders findings root cause first (the catalog order), then by message for stable output. */
export function compareFindings(
  a: { rule: RuleId; message: string },
  b: { rule: RuleId; message: string },
) {
  return compareRules(a.rule, b.rule) || a.message.localeCompare(b.message);
}
