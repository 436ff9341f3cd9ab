import { ResponseError } from '@backstage/errors';
import type { KubernetesApi } from '@backstage/plugin-kubernetes-react';
import {
  analyzeCluster,
  SNAPSHOT_CONFIG_MAPS,
  SNAPSHOT_LIST_SOURCES,
  snapshotFromObjects,
  snapshotListApiVersion,
  snapshotListPath,
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

/**
 * The lists the backend's scan reads, from the engine package both share, so a browser analysis
 * sees what a scan would. Services come first: without them nothing can be analysed.
 */
const LISTS: ListSpec[] = SNAPSHOT_LIST_SOURCES.map(source => ({
  key: source.key,
  path: snapshotListPath(source),
  apiVersion: snapshotListApiVersion(source),
  kind: source.kind,
}));

const CONFIG_MAPS = SNAPSHOT_CONFIG_MAPS;

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
