import type { SnapshotListKey } from '../model/snapshot';

/** A Kubernetes list that fills one part of a cluster snapshot. @public */
export interface SnapshotListSource {
  key: SnapshotListKey;
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  plural: string;
  kind: string;
  /** Without it no analysis is possible: a failure to read it fails the cluster. */
  required?: boolean;
}

const core = (
  key: SnapshotListKey,
  plural: string,
  kind: string,
): SnapshotListSource => ({ key, group: '', version: 'v1', plural, kind });
const metallb = (
  key: SnapshotListKey,
  plural: string,
  kind: string,
): SnapshotListSource => ({
  key,
  group: 'metallb.io',
  version: 'v1beta1',
  plural,
  kind,
});
const apps = (
  key: SnapshotListKey,
  plural: string,
  kind: string,
): SnapshotListSource => ({ key, group: 'apps', version: 'v1', plural, kind });

/**
 * Exactly the lists a cluster read takes, Services first. The backend's scan, the browser's
 * analysis and the ClusterRole LB Doctor asks for all come from this one list, so they cannot
 * drift apart.
 * @public
 */
export const SNAPSHOT_LIST_SOURCES: readonly SnapshotListSource[] = [
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
  apps('deployments', 'deployments', 'Deployment'),
  apps('daemonSets', 'daemonsets', 'DaemonSet'),
];

/**
 * ConfigMaps read by name, as `[namespace, name]`: MetalLB's legacy config, kube-proxy (strictARP)
 * and kube-vip.
 * @public
 */
export const SNAPSHOT_CONFIG_MAPS: ReadonlyArray<
  readonly [namespace: string, name: string]
> = [
  ['metallb-system', 'config'],
  ['kube-system', 'kube-proxy'],
  ['kube-system', 'kubevip'],
];

/** The API path that lists a source across all namespaces. @public */
export function snapshotListPath(source: SnapshotListSource): string {
  return source.group
    ? `/apis/${source.group}/${source.version}/${source.plural}`
    : `/api/${source.version}/${source.plural}`;
}

/** The `apiVersion` of the source's objects (list items carry none). @public */
export function snapshotListApiVersion(source: SnapshotListSource): string {
  return source.group ? `${source.group}/${source.version}` : source.version;
}
