import type { ClusterSnapshot } from '../../model/snapshot';
import type { InstalledController } from '../types';
import { at, nameOf, records, str } from '../read';
import { type WorkloadInfo, flagValue, imageName } from './workloads';

/*
 * Cloud controller managers run the upstream service controller, which takes every class-less
 * LoadBalancer Service. Managed clusters hide the CCM, so Node spec.providerID (set by the CCM) is the
 * usual evidence.
 */

/** GKE classes: the CCM serves the `-legacy` ones, GKE ingress-gce (also the cloud's) the others. @internal */
export const GKE_CLASSES = [
  'networking.gke.io/l4-regional-external-legacy',
  'networking.gke.io/l4-regional-internal-legacy',
  'networking.gke.io/l4-regional-external',
  'networking.gke.io/l4-regional-internal',
];

interface Cloud {
  name: string;
  /** Whether its CCM implements LoadBalancer Services; `null` when that depends on its setup. */
  loadBalancers: boolean | null;
}

const CLOUDS: Record<string, Cloud> = {
  aws: { name: 'AWS', loadBalancers: true },
  gce: { name: 'GCP', loadBalancers: true },
  azure: { name: 'Azure', loadBalancers: true },
  openstack: { name: 'OpenStack', loadBalancers: true },
  digitalocean: { name: 'DigitalOcean', loadBalancers: true },
  linode: { name: 'Linode (Akamai)', loadBalancers: true },
  hcloud: { name: 'Hetzner Cloud', loadBalancers: true },
  oci: { name: 'Oracle Cloud', loadBalancers: true },
  ibm: { name: 'IBM Cloud', loadBalancers: true },
  scaleway: { name: 'Scaleway', loadBalancers: true },
  exoscale: { name: 'Exoscale', loadBalancers: true },
  vultr: { name: 'Vultr', loadBalancers: true },
  civo: { name: 'Civo', loadBalancers: true },
  upcloud: { name: 'UpCloud', loadBalancers: true },
  kubevirt: { name: 'KubeVirt', loadBalancers: true },
  vsphere: { name: 'vSphere', loadBalancers: null },
  equinixmetal: { name: 'Equinix Metal', loadBalancers: null },
  packet: { name: 'Equinix Metal', loadBalancers: null },
  kind: { name: 'kind (cloud-provider-kind)', loadBalancers: null },
};

/** Schemes set by distributions' own providers, handled elsewhere (k3s ServiceLB) or with no LB. */
const NOT_A_CLOUD = new Set(['k3s', 'rke2', 'metal3', 'talos']);

/** The cloud a name points at (`aws-cloud-controller-manager`, `provider-aws/cloud-controller-manager`), if any. @internal */
export function cloudFromName(name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(CLOUDS).find(k =>
    new RegExp(`(^|[^a-z])${k}([^a-z]|$)`).test(lower),
  );
  if (key) return CLOUDS[key].name;
  if (/(^|[^a-z])(gcp|gke|google)([^a-z]|$)/.test(lower))
    return CLOUDS.gce.name;
  return undefined;
}

function isCcmContainer(path: string, argv: readonly string[]): boolean {
  if (path.includes('kube-vip') || path.includes('k3s')) return false;
  const last = path.split('/').pop() ?? '';
  return (
    /cloud-controller-manager|^cloud-provider-/.test(last) ||
    argv.some(a => /(^|\/)[\w-]*cloud-controller-manager$/.test(a))
  );
}

/** Whether `--controllers` leaves the service controller on (named `service` or `service-lb-controller`). */
function runsServiceController(argv: readonly string[]): boolean {
  const value = flagValue(argv, 'controllers');
  if (value === undefined) return true;
  const list = value.split(',').map(v => v.trim());
  const names = ['service', 'service-lb-controller'];
  if (list.some(v => names.some(n => v === `-${n}`))) return false;
  return list.includes('*') || list.some(v => names.includes(v));
}

function fromWorkloads(
  workloads: readonly WorkloadInfo[],
): InstalledController[] {
  const out: InstalledController[] = [];
  for (const workload of workloads) {
    for (const container of workload.containers) {
      if (!isCcmContainer(container.path, container.argv)) continue;
      const provider = flagValue(container.argv, 'cloud-provider');
      const cloud =
        (provider && cloudFromName(provider)) ||
        cloudFromName(container.path) ||
        provider ||
        imageName(container);
      const serves = runsServiceController(container.argv);
      const isGcp = cloud === CLOUDS.gce.name;
      out.push({
        controller: 'cloud-provider',
        evidence: [
          `${workload.kind} ${workload.ref} runs ${
            container.image
          } (${cloud} cloud controller manager${
            serves ? '' : ', service controller disabled by --controllers'
          })`,
        ],
        classes: serves && isGcp ? [...GKE_CLASSES] : [],
        takesClassless: serves,
      });
    }
  }
  return out;
}

function fromProviderIds(snapshot: ClusterSnapshot): InstalledController[] {
  const byScheme = new Map<
    string,
    { node: string; providerID: string; count: number }
  >();
  for (const node of records(snapshot.nodes)) {
    const providerID = str(at(node, 'spec', 'providerID'));
    const scheme = providerID
      ? /^([a-z0-9-]+):\/\//i.exec(providerID)?.[1]?.toLowerCase()
      : undefined;
    if (!providerID || !scheme || NOT_A_CLOUD.has(scheme)) continue;
    const seen = byScheme.get(scheme);
    if (seen) seen.count++;
    else
      byScheme.set(scheme, { node: nameOf(node) ?? '?', providerID, count: 1 });
  }
  const out: InstalledController[] = [];
  for (const [scheme, seen] of byScheme) {
    const cloud = CLOUDS[scheme] ?? { name: scheme, loadBalancers: null };
    const more = seen.count > 1 ? ` (and ${seen.count - 1} more Nodes)` : '';
    out.push({
      controller: 'cloud-provider',
      evidence: [
        `Node ${seen.node} has spec.providerID ${seen.providerID}${more} (${cloud.name} cloud controller manager)`,
      ],
      classes: cloud.name === CLOUDS.gce.name ? [...GKE_CLASSES] : [],
      takesClassless: cloud.loadBalancers,
    });
  }
  return out;
}

/** @internal */
export function cloudInstalled(
  snapshot: ClusterSnapshot,
  workloads: readonly WorkloadInfo[],
): InstalledController[] {
  return [...fromWorkloads(workloads), ...fromProviderIds(snapshot)];
}
