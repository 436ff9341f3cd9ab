import type {
  KubeObject,
  SnapshotListKey,
} from '@lb-doctor/plugin-metallb-common';
import {
  KubernetesClusterClient,
  KubernetesRequestError,
} from '@lb-doctor/plugin-metallb-node';
import type { ScanProblem } from '@lb-doctor/plugin-metallb-node';
import { problemFromError } from './errors';
import {
  CONFIG_MAPS,
  ListResource,
  listPath,
  RESOURCES,
  resourceName,
} from './resources';

/** What a cluster read produced: objects, the lists read in full, and what could not be read. */
export interface ClusterObjects {
  objects: KubeObject[];
  /** Lists read successfully (possibly empty): the engine treats them as known. */
  known: SnapshotListKey[];
  problems: ScanProblem[];
}

/** A failure that makes analysis pointless (Services unreadable, cluster unreachable...). */
export class ClusterReadError extends Error {
  constructor(readonly problem: ScanProblem, readonly partial: ScanProblem[]) {
    super(problem.message);
    this.name = 'ClusterReadError';
  }
}

interface KubeList {
  items?: unknown[];
  metadata?: { continue?: string };
}

export interface FetchOptions {
  signal: AbortSignal;
  pageLimit: number;
  clusterTimeoutMs: number;
}

/** Guards against an API server that keeps handing out continue tokens. */
const MAX_PAGES = 10_000;

async function listAll(
  client: KubernetesClusterClient,
  cluster: string,
  resource: ListResource,
  options: FetchOptions,
): Promise<KubeObject[]> {
  const apiVersion = resource.group
    ? `${resource.group}/${resource.version}`
    : resource.version;
  const items: KubeObject[] = [];
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(options.pageLimit) });
    if (next) query.set('continue', next);
    const body = await client.get<KubeList>(
      cluster,
      `${listPath(resource)}?${query}`,
      { signal: options.signal },
    );
    for (const item of Array.isArray(body?.items) ? body.items : []) {
      if (typeof item !== 'object' || item === null) continue;
      // List items carry no apiVersion/kind; the engine sorts objects by them.
      items.push({ apiVersion, kind: resource.kind, ...(item as KubeObject) });
    }
    next = body?.metadata?.continue || undefined;
    if (!next) return items;
  }
  throw new Error(
    `Listing ${resourceName(
      resource,
    )} on ${cluster} did not end after ${MAX_PAGES} pages`,
  );
}

/**
 * Failures worth one more try: the API server or a proxy hiccuped (5xx, 429, a dropped connection,
 * a body cut off). A 403 or 404 is an answer, and a timeout has used up the cluster's budget.
 */
function isTransient(error: unknown): boolean {
  if (!(error instanceof KubernetesRequestError)) return false;
  if (error.kind === 'connection' || error.kind === 'invalid-response')
    return true;
  return (
    error.kind === 'http' &&
    error.status !== undefined &&
    (error.status >= 500 || error.status === 429)
  );
}

/** Whether the scan of this cluster cannot go on: its time is up or the scan was stopped. */
function isFatal(error: unknown, signal: AbortSignal): boolean {
  return (
    signal.aborted ||
    (error instanceof KubernetesRequestError &&
      (error.kind === 'timeout' || error.kind === 'aborted'))
  );
}

async function withRetry<T>(
  read: () => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isTransient(error) || signal.aborted) throw error;
    return read();
  }
}

/**
 * Reads exactly the kinds the engine needs from one cluster. Lists are read one after another so a
 * scan never puts more than one request at a time on an API server. A kind that cannot be read
 * (after one retry of a transient failure) is left unknown and reported as a problem; only an
 * unreadable Services list, a timeout or a stopped scan fail the cluster.
 */
export async function fetchClusterObjects(
  client: KubernetesClusterClient,
  cluster: string,
  options: FetchOptions,
): Promise<ClusterObjects> {
  const objects: KubeObject[] = [];
  const known: SnapshotListKey[] = [];
  const problems: ScanProblem[] = [];
  let metallbMissing = false;

  for (const resource of RESOURCES) {
    const name = resourceName(resource);
    if (resource.group === 'metallb.io' && metallbMissing) {
      // The metallb.io group is not served: no object of it exists.
      known.push(resource.key);
      continue;
    }
    try {
      objects.push(
        ...(await withRetry(
          () => listAll(client, cluster, resource, options),
          options.signal,
        )),
      );
      known.push(resource.key);
    } catch (error) {
      const problem = problemFromError(error, name, options);
      // Without Services there is nothing to analyse; the first read also shows whether the
      // cluster can be reached at all.
      if (resource.required || isFatal(error, options.signal)) {
        throw new ClusterReadError(problem, problems);
      }
      if (
        resource.group === 'metallb.io' &&
        error instanceof KubernetesRequestError &&
        error.status === 404
      ) {
        // A 404 on a list means the resource type does not exist: read, and empty. That is not
        // a scan problem: MetalLB is absent or older than 0.13, and the engine's verdicts (the
        // legacy ConfigMap, "MetalLB not installed") say which.
        known.push(resource.key);
        if (resource.key === 'ipAddressPools') metallbMissing = true;
        continue;
      }
      problems.push(problem);
    }
  }

  let configMapsKnown = true;
  for (const [namespace, name] of CONFIG_MAPS) {
    try {
      const configMap = await withRetry(
        () =>
          client.get<KubeObject>(
            cluster,
            `/api/v1/namespaces/${namespace}/configmaps/${name}`,
            { signal: options.signal },
          ),
        options.signal,
      );
      objects.push({ apiVersion: 'v1', kind: 'ConfigMap', ...configMap });
    } catch (error) {
      if (
        error instanceof KubernetesRequestError &&
        error.kind === 'http' &&
        error.status === 404
      ) {
        continue; // Absent is an answer: this cluster has no such ConfigMap.
      }
      const problem = problemFromError(
        error,
        `configmaps ${namespace}/${name}`,
        options,
      );
      if (isFatal(error, options.signal))
        throw new ClusterReadError(problem, problems);
      problems.push(problem);
      configMapsKnown = false;
    }
  }
  if (configMapsKnown) known.push('configMaps');
  return { objects, known, problems };
}
