import type { SnapshotListKey } from '../model/snapshot';

/** Where an object goes in a ClusterSnapshot. */
export type Placement =
  | { list: SnapshotListKey; legacyAddressPool?: false }
  | { list: 'otherObjects'; legacyAddressPool: true };

const CORE: Record<string, SnapshotListKey> = {
  Service: 'services',
  Namespace: 'namespaces',
  Node: 'nodes',
  ConfigMap: 'configMaps',
  Event: 'events',
};

const APPS: Record<string, SnapshotListKey> = {
  Deployment: 'deployments',
  DaemonSet: 'daemonSets',
};

const METALLB: Record<string, SnapshotListKey> = {
  IPAddressPool: 'ipAddressPools',
  L2Advertisement: 'l2Advertisements',
  BGPAdvertisement: 'bgpAdvertisements',
  ConfigurationState: 'configurationStates',
  ServiceL2Status: 'serviceL2Statuses',
  ServiceBGPStatus: 'serviceBGPStatuses',
};

/** The API group of an apiVersion: `''` for the core group (`v1`). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * Decides the snapshot list for an apiVersion and kind. Versions are ignored within a group: the
 * fields the engine reads are the same in every served version, and dumps of older clusters
 * should still be read.
 */
export function classify(apiVersion: string, kind: string): Placement {
  const group = apiGroup(apiVersion);
  const own = (table: Record<string, SnapshotListKey>) =>
    Object.prototype.hasOwnProperty.call(table, kind) ? table[kind] : undefined;
  let list: SnapshotListKey | undefined;
  if (group === '' && apiVersion === 'v1') list = own(CORE);
  else if (group === 'events.k8s.io' && kind === 'Event') list = 'events';
  else if (group === 'apps') list = own(APPS);
  else if (group === 'metallb.io') {
    if (kind === 'AddressPool')
      return { list: 'otherObjects', legacyAddressPool: true };
    list = own(METALLB);
  }
  return { list: list ?? 'otherObjects' };
}
