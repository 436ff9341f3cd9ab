import type {
  KubeObject,
  ManifestLocation,
} from '@lb-doctor/plugin-metallb-common';
import type { LoadedCluster } from './loadInputs';

/** Answers "where in the input is this?" for report entries, which carry names, not objects. */
export interface LocationIndex {
  service(
    cluster: string,
    namespace: string,
    name: string,
  ): ManifestLocation | undefined;
  /**
   * Where cluster-level findings point: the first MetalLB configuration object (most cluster
   * findings are about it), else the cluster's first object.
   */
  cluster(cluster: string): ManifestLocation | undefined;
}

/** Builds the index once, after loading, so formatters need not know about input objects. */
export function buildLocationIndex(
  clusters: readonly LoadedCluster[],
): LocationIndex {
  const services = new Map<string, ManifestLocation>();
  const anchors = new Map<string, ManifestLocation>();
  for (const cluster of clusters) {
    let metallbAnchor: ManifestLocation | undefined;
    for (const object of cluster.objects) {
      const location = cluster.locations.get(object);
      if (!location) continue;
      if (isCoreService(object)) {
        const meta = object.metadata;
        // Manifests without a namespace are applied to `default` unless kubectl -n says otherwise.
        const key = serviceKey(
          cluster.name,
          str(meta?.namespace) ?? 'default',
          str(meta?.name) ?? '',
        );
        if (!services.has(key)) services.set(key, location);
      }
      if (!metallbAnchor && isMetallbConfig(object)) metallbAnchor = location;
    }
    const first = cluster.objects
      .map(o => cluster.locations.get(o))
      .find(Boolean);
    const anchor = metallbAnchor ?? first;
    if (anchor) anchors.set(cluster.name, anchor);
  }
  return {
    service: (cluster, namespace, name) =>
      services.get(serviceKey(cluster, namespace, name)),
    cluster: cluster => anchors.get(cluster),
  };
}

function serviceKey(cluster: string, namespace: string, name: string): string {
  return JSON.stringify([cluster, namespace, name]);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isCoreService(object: KubeObject): boolean {
  return object.apiVersion === 'v1' && object.kind === 'Service';
}

function isMetallbConfig(object: KubeObject): boolean {
  if (
    typeof object.apiVersion === 'string' &&
    object.apiVersion.startsWith('metallb.io/')
  ) {
    return object.kind === 'IPAddressPool';
  }
  return object.kind === 'ConfigMap' && object.metadata?.name === 'config';
}
