import {
  SNAPSHOT_CONFIG_MAPS,
  SNAPSHOT_LIST_SOURCES,
  snapshotListPath,
  type SnapshotListSource,
} from '@lb-doctor/plugin-metallb-common';

/*
 * What a scan reads comes from the engine package, which the browser's analysis also uses, so a
 * scan, a browser analysis and the ClusterRole in error messages read the same lists.
 */

/** A list a scan reads. */
export type ListResource = SnapshotListSource;

/** Exactly the lists a scan reads; the ClusterRole in error messages is built from this. */
export const RESOURCES = SNAPSHOT_LIST_SOURCES;

/** ConfigMaps read by name: legacy MetalLB config, kube-proxy (strictARP) and kube-vip. */
export const CONFIG_MAPS = SNAPSHOT_CONFIG_MAPS;

export const listPath = snapshotListPath;

/** The resource name as Kubernetes prints it: `services`, `ipaddresspools.metallb.io`. */
export function resourceName(r: ListResource): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}
