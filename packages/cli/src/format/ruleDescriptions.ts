import type { RuleId } from '@lb-doctor/plugin-metallb-common';

/**
 * One-line descriptions for SARIF rule metadata (code-scanning UIs show them as the rule title).
 * Partial on purpose: a rule the engine adds later falls back to its id instead of breaking the
 * build.
 */
export const RULE_DESCRIPTIONS: Partial<Record<RuleId, string>> = {
  'deprecated-load-balancer-ip':
    'Service uses the deprecated spec.loadBalancerIP',
  'conflicting-ip-requests':
    'Service requests different IPs in different places',
  'ip-not-in-any-pool': 'Requested IP is in no MetalLB pool',
  'pool-not-allowed': 'Service may not use the pool it asks for',
  'unknown-address-pool': 'Service asks for a pool that does not exist',
  'ip-not-in-requested-pool': 'Requested IP is outside the requested pool',
  'ip-family-mismatch': "Requested IPs do not match the Service's IP families",
  'ip-in-use': 'IP is already held by another Service',
  'sharing-conflict':
    'Services share an IP without compatible sharing keys or ports',
  'pool-exhausted': 'Pool has no free address',
  'pool-nearly-full': 'Pool is nearly full',
  'no-pool-available': 'No pool can serve the Service',
  'controller-contention': 'Several controllers act on the same Service',
  'write-loop': 'Controllers keep overwriting each other',
  'class-unserved': 'No controller serves the loadBalancerClass',
  'pending-service': 'Service has no external IP',
  'pool-not-advertised': 'Pool is not announced by any advertisement',
  'deprecated-annotation': 'Service uses a deprecated MetalLB annotation',
  'legacy-configmap': 'MetalLB configuration uses the removed ConfigMap format',
  'overlapping-pools': 'MetalLB pools overlap',
  'invalid-metallb-config': 'MetalLB configuration is invalid',
  'ingress-mismatch': 'Service status differs from what MetalLB assigns',
  'dual-stack-oscillation': 'Dual-stack Service flips between IP assignments',
  'kube-proxy-strict-arp':
    'kube-proxy IPVS mode needs strictARP for MetalLB L2',
  'pool-contains-node-ip': 'Pool contains a node IP',
  'duplicate-metallb': 'More than one MetalLB installation',
  'metallb-known-bug': 'Known MetalLB bug applies',
  'cross-cluster-ip': 'Same IP used in more than one cluster',
};
