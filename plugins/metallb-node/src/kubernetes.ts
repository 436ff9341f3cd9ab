import {
  AuthService,
  coreServices,
  createServiceFactory,
  createServiceRef,
  DiscoveryService,
} from '@backstage/backend-plugin-api';

/**
 * A cluster as the kubernetes plugin lists it, with whether a backend job can read it.
 * @public
 */
export interface KubernetesClusterInfo {
  name: string;
  title?: string;
  /** The kubernetes plugin's auth provider key (`serviceAccount`, `aws`, `oidc`...). */
  authProvider: string;
  /**
   * Whether a scan without a signed-in user can read this cluster. Providers that sign requests
   * with the user's own token (`google`, `oidc`, `aks`) cannot be scanned from a scheduled task.
   */
  scannable: boolean;
  /** Why the cluster is not scannable; unset when it is. */
  reason?: string;
}

/**
 * What went wrong reading a cluster: `http` carries the Kubernetes API's status code; the others
 * are failures before any answer from the API server.
 * @public
 */
export type KubernetesRequestErrorKind =
  | 'http'
  | 'timeout'
  | 'aborted'
  | 'connection'
  | 'tls'
  | 'invalid-response';

/**
 * A failed read. The message never contains a credential: it is built from the cluster name, the
 * path and the API server's (or the proxy's) error text only.
 * @public
 */
export class KubernetesRequestError extends Error {
  readonly kind: KubernetesRequestErrorKind;
  readonly status?: number;
  readonly cluster: string;
  readonly path: string;

  constructor(options: {
    kind: KubernetesRequestErrorKind;
    cluster: string;
    path: string;
    message: string;
    status?: number;
  }) {
    super(options.message);
    this.name = 'KubernetesRequestError';
    this.kind = options.kind;
    this.status = options.status;
    this.cluster = options.cluster;
    this.path = options.path;
  }
}

/** @public */
export interface KubernetesGetOptions {
  signal?: AbortSignal;
}

/**
 * Read-only access to the clusters the kubernetes plugin knows, with its credentials.
 * @public
 */
export interface KubernetesClusterClient {
  listClusters(): Promise<KubernetesClusterInfo[]>;
  /**
   * GETs a Kubernetes API path (`/api/v1/services?limit=500`) on one cluster and returns the parsed
   * JSON. Throws {@link KubernetesRequestError} on any failure.
   */
  get<T = unknown>(
    cluster: string,
    path: string,
    options?: KubernetesGetOptions,
  ): Promise<T>;
}

/** Auth providers that need a signed-in user's token; see the kubernetes plugin's strategies. */
const CLIENT_SIDE_PROVIDERS: Record<string, string> = {
  google:
    'auth provider "google" uses the signed-in user\'s Google token; a background scan has none (use googleServiceAccount)',
  oidc: 'auth provider "oidc" uses the signed-in user\'s OIDC token; a background scan has none',
  aks: 'auth provider "aks" uses the signed-in user\'s Azure token; a background scan has none (use azure)',
};

/**
 * Whether a cluster with this auth provider can be scanned without a user.
 * @public
 */
export function scannability(authProvider: string): {
  scannable: boolean;
  reason?: string;
} {
  const reason = CLIENT_SIDE_PROVIDERS[authProvider];
  return reason ? { scannable: false, reason } : { scannable: true };
}

/** Header the kubernetes plugin's proxy uses to pick the cluster. */
const CLUSTER_HEADER = 'Backstage-Kubernetes-Cluster';

const TLS_CODES =
  /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|DEPTH_ZERO|HOSTNAME/i;
const CONNECTION_CODES =
  /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up/i;
const TIMEOUT_CODES = /ETIMEDOUT|ESOCKETTIMEDOUT|timed? ?out/i;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Classifies a network-level failure text (Node's error codes) into an error kind. */
export function classifyNetworkFailure(
  text: string,
): 'tls' | 'connection' | 'timeout' | undefined {
  if (TLS_CODES.test(text)) return 'tls';
  if (TIMEOUT_CODES.test(text)) return 'timeout';
  if (CONNECTION_CODES.test(text)) return 'connection';
  return undefined;
}

/** Collects `message` and `code` of an error and its causes, for classification and reporting. */
function describeCause(error: unknown, depth = 0): string[] {
  const rec = record(error);
  if (!rec || depth > 4) return [];
  const parts = [str(rec.code), str(rec.message)].filter(
    (p): p is string => p !== undefined,
  );
  return [...parts, ...describeCause(rec.cause, depth + 1)];
}

/** The innermost error of a cause chain: the one that says what actually happened. */
function rootCause(error: unknown, depth = 0): string | undefined {
  const rec = record(error);
  if (!rec || depth > 4) return undefined;
  return rootCause(rec.cause, depth + 1) ?? str(rec.message) ?? str(rec.code);
}

/** A plain sentence for a network-level failure. */
function networkMessage(
  kind: 'tls' | 'connection' | 'timeout',
  cluster: string,
  detail: string,
): string {
  if (kind === 'tls') return `TLS with cluster ${cluster} failed: ${detail}`;
  if (kind === 'timeout') return `Cluster ${cluster} did not answer: ${detail}`;
  return `Cannot connect to cluster ${cluster}: ${detail}`;
}

/**
 * The default client: HTTP through the kubernetes backend plugin with this plugin's own service
 * credentials, so that the kubernetes plugin's server-side auth strategy signs the cluster request.
 * @public
 */
export class DefaultKubernetesClusterClient implements KubernetesClusterClient {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  private async headers(): Promise<Record<string, string>> {
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'kubernetes',
    });
    return { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  }

  async listClusters(): Promise<KubernetesClusterInfo[]> {
    const base = await this.deps.discovery.getBaseUrl('kubernetes');
    const response = await fetch(`${base}/clusters`, {
      headers: await this.headers(),
    });
    if (!response.ok) {
      throw new Error(
        `Listing clusters from the kubernetes plugin failed with HTTP ${response.status}`,
      );
    }
    const body = record(await response.json());
    const items = Array.isArray(body?.items) ? body.items : [];
    const clusters: KubernetesClusterInfo[] = [];
    for (const item of items) {
      const rec = record(item);
      const name = str(rec?.name);
      if (!rec || !name) continue;
      const authProvider = str(rec.authProvider) ?? 'unknown';
      clusters.push({
        name,
        ...(str(rec.title) ? { title: str(rec.title) } : {}),
        authProvider,
        ...scannability(authProvider),
      });
    }
    return clusters;
  }

  async get<T = unknown>(
    cluster: string,
    path: string,
    options: KubernetesGetOptions = {},
  ): Promise<T> {
    const fail = (
      kind: KubernetesRequestErrorKind,
      message: string,
      status?: number,
    ) => new KubernetesRequestError({ kind, cluster, path, message, status });
    const base = await this.deps.discovery.getBaseUrl('kubernetes');
    const relative = path.startsWith('/') ? path : `/${path}`;
    let response: Response;
    try {
      response = await fetch(`${base}/proxy${relative}`, {
        headers: { ...(await this.headers()), [CLUSTER_HEADER]: cluster },
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) {
        const reason = describeCause(options.signal.reason).join(': ');
        return Promise.reject(
          fail(
            TIMEOUT_CODES.test(reason) ? 'timeout' : 'aborted',
            `Reading ${path} from cluster ${cluster} was stopped: ${
              reason || 'aborted'
            }`,
          ),
        );
      }
      const text = describeCause(error).join(': ');
      throw fail(
        classifyNetworkFailure(text) ?? 'connection',
        `Could not reach the kubernetes plugin for cluster ${cluster}: ${
          rootCause(error) ?? text
        }`,
      );
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.ok) {
      if (body === undefined) {
        throw fail(
          'invalid-response',
          `Cluster ${cluster} answered ${path} with a body that is not JSON`,
          response.status,
        );
      }
      return body as T;
    }
    throw this.errorFromResponse(cluster, path, response.status, body);
  }

  /**
   * Distinguishes the API server's own answers (a `Status` object) from the kubernetes proxy's
   * (an `{ error: { message, cause } }` body with HTTP 500 when the cluster could not be reached).
   */
  private errorFromResponse(
    cluster: string,
    path: string,
    status: number,
    body: unknown,
  ): KubernetesRequestError {
    const rec = record(body);
    if (rec?.kind === 'Status') {
      return new KubernetesRequestError({
        kind: 'http',
        cluster,
        path,
        status,
        message: `Cluster ${cluster} answered GET ${path} with HTTP ${status}: ${
          str(rec.message) ?? str(rec.reason) ?? 'no message'
        }`,
      });
    }
    const proxyError = record(rec?.error);
    if (proxyError) {
      const causes = describeCause(proxyError).join(': ');
      const detail = rootCause(proxyError) ?? causes;
      const kind = status >= 500 ? classifyNetworkFailure(causes) : undefined;
      return new KubernetesRequestError({
        kind: kind ?? 'http',
        cluster,
        path,
        status: kind ? undefined : status,
        message: kind
          ? networkMessage(kind, cluster, detail)
          : `The kubernetes plugin answered GET ${path} for cluster ${cluster} with HTTP ${status}: ${detail}`,
      });
    }
    return new KubernetesRequestError({
      kind: 'http',
      cluster,
      path,
      status,
      message: `Cluster ${cluster} answered GET ${path} with HTTP ${status}`,
    });
  }
}

/**
 * The cluster client LB Doctor scans with. Override it with a service factory to read clusters
 * another way (a direct client, a fixture in tests).
 * @public
 */
export const kubernetesClusterClientServiceRef =
  createServiceRef<KubernetesClusterClient>({
    id: 'metallb.kubernetes-cluster-client',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { discovery: coreServices.discovery, auth: coreServices.auth },
        factory: deps => new DefaultKubernetesClusterClient(deps),
      }),
  });
