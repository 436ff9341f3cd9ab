import type { ControllerId } from '../model/report';

/**
 * What the remediations need to know about a LoadBalancer controller (from LB-CONTROLLERS.md).
 * @public
 */
export interface LoadBalancerControllerProfile {
  id: ControllerId;
  /** Name shown to people. */
  displayName: string;
  /** The `spec.loadBalancerClass` it claims by default; absent when it has no class support or the class depends on its setup. */
  loadBalancerClass?: string;
  /** Annotation key domains (the part before `/`) that only this controller reads. */
  annotationDomains: string[];
  /** Whether it reads the deprecated `spec.loadBalancerIP` as a request (`undefined`: not known). */
  readsLoadBalancerIP?: boolean;
  /** Whether, as installed by default, it also takes Services without a class. */
  takesClasslessServices: boolean;
  /** The remediation id of its own switch that stops it taking class-less (or chosen) Services. */
  switchRemediationId?: string;
  /** Finalizers it puts on the Services it serves. */
  finalizers: string[];
  /** Short suffix for the extra Service of a split (`<name>-<suffix>`). */
  splitSuffix: string;
}

/** The controllers the remediations know by id. @public */
export const LOAD_BALANCER_CONTROLLERS: Readonly<
  Partial<Record<ControllerId, LoadBalancerControllerProfile>>
> = {
  metallb: {
    id: 'metallb',
    displayName: 'MetalLB',
    readsLoadBalancerIP: true,
    annotationDomains: ['metallb.io', 'metallb.universe.tf'],
    takesClasslessServices: true,
    switchRemediationId: 'metallb-lb-class',
    finalizers: [],
    splitSuffix: 'metallb',
  },
  'chisel-operator': {
    id: 'chisel-operator',
    displayName: 'chisel-operator',
    loadBalancerClass: 'chisel-operator.io/chisel-operator-class',
    readsLoadBalancerIP: false,
    annotationDomains: ['chisel-operator.io'],
    takesClasslessServices: true,
    switchRemediationId: 'chisel-load-balancer-class',
    finalizers: ['service.chisel-operator.io/finalizer'],
    splitSuffix: 'chisel',
  },
  'kube-vip': {
    id: 'kube-vip',
    displayName: 'kube-vip',
    loadBalancerClass: 'kube-vip.io/kube-vip-class',
    readsLoadBalancerIP: true,
    annotationDomains: ['kube-vip.io'],
    takesClasslessServices: true,
    switchRemediationId: 'kube-vip-class-only',
    finalizers: [],
    splitSuffix: 'kube-vip',
  },
  'kube-vip-cloud-provider': {
    id: 'kube-vip-cloud-provider',
    displayName: 'kube-vip-cloud-provider',
    loadBalancerClass: 'kube-vip.io/kube-vip-class',
    readsLoadBalancerIP: true,
    annotationDomains: ['kube-vip.io'],
    takesClasslessServices: true,
    switchRemediationId: 'kube-vip-class-only',
    finalizers: ['service.kubernetes.io/load-balancer-cleanup'],
    splitSuffix: 'kube-vip',
  },
  'k3s-servicelb': {
    id: 'k3s-servicelb',
    displayName: 'k3s ServiceLB',
    readsLoadBalancerIP: false,
    annotationDomains: ['svccontroller.k3s.cattle.io'],
    takesClasslessServices: true,
    switchRemediationId: 'k3s-disable-servicelb',
    finalizers: ['service.kubernetes.io/load-balancer-cleanup'],
    splitSuffix: 'servicelb',
  },
  cilium: {
    id: 'cilium',
    displayName: 'Cilium LB-IPAM',
    readsLoadBalancerIP: true,
    annotationDomains: ['lbipam.cilium.io', 'io.cilium', 'io.cilium.nodeipam'],
    takesClasslessServices: true,
    switchRemediationId: 'cilium-require-lb-class',
    finalizers: [],
    splitSuffix: 'cilium',
  },
  purelb: {
    id: 'purelb',
    displayName: 'PureLB',
    loadBalancerClass: 'purelb.io/purelbv2',
    readsLoadBalancerIP: true,
    annotationDomains: ['purelb.io'],
    takesClasslessServices: true,
    switchRemediationId: 'purelb-class-only',
    finalizers: [],
    splitSuffix: 'purelb',
  },
  calico: {
    id: 'calico',
    displayName: 'Calico LB IPAM',
    loadBalancerClass: 'calico',
    readsLoadBalancerIP: true,
    annotationDomains: ['projectcalico.org'],
    takesClasslessServices: true,
    switchRemediationId: 'calico-requested-services-only',
    finalizers: [],
    splitSuffix: 'calico',
  },
  tailscale: {
    id: 'tailscale',
    displayName: 'Tailscale operator',
    loadBalancerClass: 'tailscale',
    readsLoadBalancerIP: false,
    annotationDomains: ['tailscale.com'],
    takesClasslessServices: false,
    switchRemediationId: 'tailscale-no-default-load-balancer',
    finalizers: [
      'tailscale.com/finalizer',
      'tailscale.com/service-pg-finalizer',
    ],
    splitSuffix: 'tailscale',
  },
  inlets: {
    id: 'inlets',
    displayName: 'inlets-operator',
    readsLoadBalancerIP: false,
    annotationDomains: ['operator.inlets.dev', 'dev.inlets'],
    takesClasslessServices: true,
    switchRemediationId: 'inlets-ignore',
    finalizers: [],
    splitSuffix: 'inlets',
  },
  loxilb: {
    id: 'loxilb',
    displayName: 'kube-loxilb',
    loadBalancerClass: 'loxilb.io/loxilb',
    readsLoadBalancerIP: false,
    annotationDomains: ['loxilb.io'],
    takesClasslessServices: false,
    finalizers: [],
    splitSuffix: 'loxilb',
  },
  openelb: {
    id: 'openelb',
    displayName: 'OpenELB',
    readsLoadBalancerIP: true,
    annotationDomains: [
      'eip.openelb.kubesphere.io',
      'lb.kubesphere.io',
      'protocol.openelb.kubesphere.io',
      'node-proxy.openelb.kubesphere.io',
    ],
    takesClasslessServices: false,
    finalizers: [
      'finalizer.lb.kubesphere.io/v1alpha1',
      'node-proxy.openelb.kubesphere.io/finalizer',
    ],
    splitSuffix: 'openelb',
  },
  'aws-lbc': {
    id: 'aws-lbc',
    displayName: 'AWS Load Balancer Controller',
    loadBalancerClass: 'service.k8s.aws/nlb',
    readsLoadBalancerIP: false,
    annotationDomains: [],
    takesClasslessServices: false,
    finalizers: ['service.k8s.aws/resources'],
    splitSuffix: 'aws',
  },
};

/**
 * Resolves a controller given by id (`chisel-operator`) or by free text (`My LB`). Unknown text
 * becomes a profile with no class and no annotation domains, named as given.
 */
export function resolveController(
  controller: unknown,
): LoadBalancerControllerProfile {
  const text = typeof controller === 'string' ? controller.trim() : '';
  const known = (
    LOAD_BALANCER_CONTROLLERS as Partial<
      Record<string, LoadBalancerControllerProfile>
    >
  )[text];
  if (known) return known;
  const byName = Object.values(LOAD_BALANCER_CONTROLLERS).find(
    p => p !== undefined && p.displayName.toLowerCase() === text.toLowerCase(),
  );
  if (byName) return byName;
  const displayName = text === '' ? 'the other load-balancer controller' : text;
  const suffix = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 20)
    .replace(/-+$/g, '');
  return {
    id: 'unknown',
    displayName,
    annotationDomains: [],
    takesClasslessServices: true,
    finalizers: [],
    splitSuffix: suffix === '' ? 'external' : suffix,
  };
}

/** The domain of an annotation key (`chisel-operator.io` for `chisel-operator.io/exit-node-name`). */
export function annotationDomain(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

/** Whether the annotation key belongs to one of the domains (a sub-domain counts). */
export function keyInDomains(key: string, domains: readonly string[]): boolean {
  const domain = annotationDomain(key);
  return (
    domain !== '' && domains.some(d => domain === d || domain.endsWith(`.${d}`))
  );
}
