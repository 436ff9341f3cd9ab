import type { ControllerId, Owner, Remediation } from '../model/report';
import type { Service } from '../model/kubernetes';
import {
  calicoRequestedServicesOnlyRemediation,
  chiselLoadBalancerClassRemediation,
  ciliumRequireLbClassRemediation,
  inletsIgnoreRemediation,
  k3sDisableServicelbRemediation,
  kubeVipClassOnlyRemediation,
  kubeVipIgnoreRemediation,
  LOAD_BALANCER_CONTROLLERS,
  metallbLbClassRemediation,
  purelbClassOnlyRemediation,
  setLoadBalancerClassRemediation,
  splitServiceRemediation,
  tailscaleNoDefaultLoadBalancerRemediation,
} from '../remediation';
import type { ClusterFacts } from './context';
import { cidrContains, parseIp } from '../ip';

/**
 * The requested IPs (annotation, else spec.loadBalancerIP) MetalLB could serve, when some cannot:
 * then the split must not hand MetalLB's half the other controller's address (chisel-operator's
 * exit-node IP in spec.loadBalancerIP would keep MetalLB failing; seen on the real v0.16.1
 * controller). `undefined` when every requested IP is inside a pool.
 */
function servableRequest(
  service: Service,
  cluster: ClusterFacts,
): string[] | undefined {
  const annotations = service.metadata?.annotations ?? {};
  const raw =
    annotations['metallb.io/loadBalancerIPs'] ??
    annotations['metallb.universe.tf/loadBalancerIPs'] ??
    service.spec?.loadBalancerIP;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const ips = raw
    .split(',')
    .map(ip => ip.trim())
    .filter(ip => ip !== '');
  const servable = ips.filter(text => {
    const ip = parseIp(text);
    return (
      ip !== undefined &&
      cluster.config.pools.some(pool =>
        pool.cidrs.some(c => cidrContains(c, ip)),
      )
    );
  });
  return servable.length === ips.length ? undefined : servable;
}

/** The annotation prefix the cluster's MetalLB reads. */
export function annotationPrefix(cluster: ClusterFacts): string {
  return cluster.features.metallbIoPrefix
    ? 'metallb.io/'
    : 'metallb.universe.tf/';
}

/** Remediations that end a fight between MetalLB and another controller over one Service. */
export function contentionFixes(
  service: Service,
  foreign: Owner,
  cluster: ClusterFacts,
): Remediation[] {
  const fixes: Remediation[] = [];
  const profile = LOAD_BALANCER_CONTROLLERS[foreign.controller];
  const prefix = annotationPrefix(cluster);
  if (profile?.loadBalancerClass) {
    fixes.push(
      splitServiceRemediation(service, {
        controller: foreign.controller,
        annotationPrefix: prefix,
        metallbIPs: servableRequest(service, cluster),
      }),
    );
    fixes.push(
      setLoadBalancerClassRemediation(service, {
        controller: foreign.controller,
      }),
    );
  }
  const own = controllerSwitch(foreign.controller, cluster);
  if (own) fixes.push(own);
  if (!cluster.lbClass) {
    fixes.push(
      metallbLbClassRemediation({
        loadBalancerClass: 'metallb.io/metallb',
        namespace: cluster.install.namespace,
      }),
    );
  }
  return fixes;
}

/** A controller's own switch to stop taking class-less Services, where it has one. */
export function controllerSwitch(
  controller: ControllerId,
  cluster: ClusterFacts,
): Remediation | undefined {
  switch (controller) {
    case 'k3s-servicelb':
      return k3sDisableServicelbRemediation();
    case 'kube-vip':
      return kubeVipClassOnlyRemediation({
        withCloudProvider: cluster.installed.some(
          c => c.controller === 'kube-vip-cloud-provider',
        ),
      });
    case 'kube-vip-cloud-provider':
      return kubeVipClassOnlyRemediation({ withCloudProvider: true });
    case 'chisel-operator':
      return chiselLoadBalancerClassRemediation();
    case 'cilium':
      return ciliumRequireLbClassRemediation();
    case 'inlets':
      return undefined;
    case 'purelb':
      return purelbClassOnlyRemediation();
    case 'calico':
      return calicoRequestedServicesOnlyRemediation();
    case 'tailscale':
      return tailscaleNoDefaultLoadBalancerRemediation();
    default:
      return undefined;
  }
}

/** A per-Service opt-out a controller offers (kube-vip, inlets). */
export function perServiceOptOut(
  service: Service,
  controller: ControllerId,
): Remediation | undefined {
  if (controller === 'kube-vip') return kubeVipIgnoreRemediation(service);
  if (controller === 'inlets') return inletsIgnoreRemediation(service);
  return undefined;
}
