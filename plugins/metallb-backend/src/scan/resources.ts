import type { SnapshotListKey } from '@lb-doctor/plugin-metallb-common';

/** A list a scan reads. */
export interface ListResource {
  key: SnapshotListKey;
  group: string;
  version: string;
  plural: string;
  kind: string;
  /** Without it no analysis is possible: a failure fails the cluster. */
  required?: boolean;
}

const core = (key: SnapshotListKey, plural: string, kind: string) => ({
  key,
  group: '',
  version: 'v1',
  plural,
  kind,
});
const metallb = (key: SnapshotListKey, plural: string, kind: string) => ({
  key,
  group: 'metallb.io',
  version: 'v1beta1',
  plural,
  kind,
});

/** Exactly the lists a scan reads; the ClusterRole in error messages is built from this. */
export const RESOURCES: ListResource[] = [
  { ...core('services', 'services', 'Service'), required: true },
  core('namespaces', 'namespaces', 'Namespace'),
  core('nodes', 'nodes', 'Node'),
  core('events', 'events', 'Event'),
  metallb('ipAddressPools', 'ipaddresspools', 'IPAddressPool'),
  metallb('l2Advertisements', 'l2advertisements', 'L2Advertisement'),
  metallb('bgpAdvertisements', 'bgpadvertisements', 'BGPAdvertisement'),
  metallb('configurationStates', 'configurationstates', 'ConfigurationState'),
  metallb('serviceL2Statuses', 'servicel2statuses', 'ServiceL2Status'),
  metallb('serviceBGPStatuses', 'servicebgpstatuses', 'ServiceBGPStatus'),
  {
    key: 'deployments',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
  },
  {
    key: 'daemonSets',
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    kind: 'DaemonSet',
  },
];

/** ConfigMaps read by name: legacy MetalLB config, kube-proxy (strictARP) and kube-vip. */
export const CONFIG_MAPS: Array<[namespace: string, name: string]> = [
  ['metallb-system', 'config'],
  ['kube-system', 'kube-proxy'],
  ['kube-system', 'kubevip'],
];

export function listPath(r: ListResource): string {
  return r.group
    ? `/apis/${r.group}/${r.version}/${r.plural}`
    : `/api/v1/${r.plural}`;
}

/** The resource name as Kubernetes prints it: `services`, `ipaddresspools.metallb.io`. */
export function resourceName(r: ListResource): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}
