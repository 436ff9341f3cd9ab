import {
  AuthService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import type {
  ClusterStateWithReport,
  EntityLbStatus,
  ValidateRequest,
  ValidateResult,
} from './api';

/** @public */
export interface MetallbServiceRequestOptions {
  /**
   * Whose behalf to call on. Pass the user's credentials so that catalog permissions apply to
   * entity lookups; defaults to this plugin's own service credentials.
   */
  credentials?: BackstageCredentials;
}

/**
 * What other backend plugins ask LB Doctor.
 * @public
 */
export interface MetallbService {
  /** LoadBalancer status of a catalog entity, e.g. `component:default/storefront`. */
  getEntityStatus(
    entityRef: string,
    options?: MetallbServiceRequestOptions,
  ): Promise<EntityLbStatus>;
  /** Scan state and stored report of one cluster. */
  getClusterState(
    cluster: string,
    options?: MetallbServiceRequestOptions,
  ): Promise<ClusterStateWithReport>;
  /** Checks manifests against a cluster's latest stored snapshot before they are applied. */
  validate(
    request: ValidateRequest,
    options?: MetallbServiceRequestOptions,
  ): Promise<ValidateResult>;
}

/** Error thrown by {@link DefaultMetallbService} when the backend answers with an error. @public */
export class MetallbServiceError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'MetallbServiceError';
  }
}

/** Splits `kind:namespace/name` (namespace optional, `default` then). */
export function parseEntityRef(ref: string): {
  kind: string;
  namespace: string;
  name: string;
} {
  const match = /^([^:/]+):(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim());
  if (!match) {
    throw new TypeError(
      `Invalid entity ref "${ref}", expected kind:namespace/name`,
    );
  }
  return {
    kind: match[1].toLocaleLowerCase('en-US'),
    namespace: match[2] ?? 'default',
    name: match[3],
  };
}

/**
 * HTTP client to the metallb backend, built on discovery and service-to-service auth the way
 * notifications-node does it.
 * @public
 */
export class DefaultMetallbService implements MetallbService {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    options: MetallbServiceRequestOptions | undefined,
  ): Promise<T> {
    const base = await this.deps.discovery.getBaseUrl('metallb');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf:
        options?.credentials ??
        (await this.deps.auth.getOwnServiceCredentials()),
      targetPluginId: 'metallb',
    });
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      let message = `metallb backend answered ${method} ${path} with HTTP ${response.status}`;
      try {
        const parsed = (await response.json()) as {
          error?: { message?: unknown };
        };
        if (typeof parsed.error?.message === 'string')
          message = `${message}: ${parsed.error.message}`;
      } catch {
        // The body is not JSON: the status line says enough.
      }
      throw new MetallbServiceError(message, response.status);
    }
    return (await response.json()) as T;
  }

  getEntityStatus(
    entityRef: string,
    options?: MetallbServiceRequestOptions,
  ): Promise<EntityLbStatus> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const path = `/entity/${[namespace, kind, name]
      .map(encodeURIComponent)
      .join('/')}`;
    return this.request('GET', path, undefined, options);
  }

  getClusterState(
    cluster: string,
    options?: MetallbServiceRequestOptions,
  ): Promise<ClusterStateWithReport> {
    return this.request(
      'GET',
      `/clusters/${encodeURIComponent(cluster)}`,
      undefined,
      options,
    );
  }

  validate(
    request: ValidateRequest,
    options?: MetallbServiceRequestOptions,
  ): Promise<ValidateResult> {
    return this.request('POST', '/validate', request, options);
  }
}

/**
 * LB Doctor's client for other backend plugins: add it to `deps` and call it.
 * @public
 */
export const metallbServiceRef = createServiceRef<MetallbService>({
  id: 'metallb.service',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      factory: deps => new DefaultMetallbService(deps),
    }),
});
