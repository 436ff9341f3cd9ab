import { ResponseError } from '@backstage/errors';
import type { KubernetesApi } from '@backstage/plugin-kubernetes-react';
import {
  analyzeCluster,
  snapshotFromObjects,
  type ClusterReport,
  type ClusterSnapshot,
  type SnapshotListKey,
} from '@lb-doctor/plugin-metallb-common';

interface ListSpec {
  key: SnapshotListKey;
  path: string;
  apiVersion: string;
  kind: string;
}

const core = (key: SnapshotListKey, plural: string, kind: string) => ({
  key,
  path: `/api/v1/${plural}`,
  apiVersion: 'v1',
  kind,
});
const metallb = (key: SnapshotListKey, plural: string, kind: string) => ({
  key,
  path: `/apis/metallb.io/v1beta1/${plural}`,
  apiVersion: 'metallb.io/v1beta1',
  kind,
});

/**
 * The lists the backend's scan reads (plugins/metallb-backend/src/scan/resources.ts, which the
 * browser cannot import), so a browser analysis sees what a scan would.
 */
const LISTS: ListSpec[] = [
  // First: without the Services nothing can be analysed.
  core('services', 'services', 'Service'),
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
    path: '/apis/apps/v1/deployments',
    apiVersion: 'apps/v1',
    kind: 'Deployment',
  },
  {
    key: 'daemonSets',
    path: '/apis/apps/v1/daemonsets',
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
  },
];

/** ConfigMaps read by name: legacy MetalLB config, kube-proxy (strictARP) and kube-vip. */
const CONFIG_MAPS = [
  ['metallb-system', 'config'],
  ['kube-system', 'kube-proxy'],
  ['kube-system', 'kubevip'],
];

/** @public */
export interface BrowserAnalysisOptions {
  cluster: string;
  /**
   * The kubernetes plugin's client. Its `proxy` resolves the cluster's auth provider and sends
   * the user's own token for it (`Backstage-Kubernetes-Authorization-<provider>`), the way the
   * kubernetes plugin's own frontend reads a cluster.
   */
  kubernetesApi: Pick<KubernetesApi, 'proxy'>;
}

/** @public */
export interface BrowserAnalysisResult {
  report: ClusterReport;
  snapshot: ClusterSnapshot;
  /** Lists that could not be read (e.g. forbidden); the analysis went on without them. */
  unreadable: string[];
}

/**
 * Reads a cluster through the kubernetes backend's proxy with the signed-in user's own cluster
 * credentials and analyses it in the browser with the same engine the backend runs. For clusters
 * the backend cannot scan on its own (user-scoped auth providers). Nothing is stored.
 * @public
 */
export async function analyzeClusterInBrowser(
  options: BrowserAnalysisOptions,
): Promise<BrowserAnalysisResult> {
  const { cluster, kubernetesApi } = options;
  const get = (path: string) =>
    kubernetesApi.proxy({ clusterName: cluster, path });

  // The required list first, alone: a sign-in popup for the cluster's auth provider opens once,
  // and an unreadable cluster fails with one request instead of fifteen.
  const [first, ...others] = LISTS;
  const firstResponse = await get(first.path);
  if (!firstResponse.ok) throw await ResponseError.fromResponse(firstResponse);

  const objects: unknown[] = [];
  const read: SnapshotListKey[] = [];
  const unreadable: string[] = [];
  const readList = async (list: ListSpec, response: Response) => {
    if (!response.ok) {
      unreadable.push(list.path);
      return;
    }
    const body = (await response.json()) as { items?: object[] };
    read.push(list.key);
    for (const item of body.items ?? []) {
      // List items carry no apiVersion/kind; the snapshot sorts objects by them.
      objects.push({ apiVersion: list.apiVersion, kind: list.kind, ...item });
    }
  };
  await readList(first, firstResponse);
  await Promise.all(
    others.map(async list => readList(list, await get(list.path))),
  );
  await Promise.all(
    CONFIG_MAPS.map(async ([namespace, name]) => {
      const path = `/api/v1/namespaces/${namespace}/configmaps/${name}`;
      const response = await get(path);
      if (response.ok) {
        objects.push({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          ...((await response.json()) as object),
        });
      } else if (response.status !== 404) {
        unreadable.push(path);
      }
    }),
  );

  const { snapshot } = snapshotFromObjects(cluster, objects, {
    knownEmpty: read,
    collectedAt: new Date().toISOString(),
  });
  return { report: analyzeCluster(snapshot), snapshot, unreadable };
}
