import { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatedCluster } from './cluster';
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  rootPaths,
} from './discovery';
import { toEventsV1 } from './events';
import {
  continueExpired,
  decodeContinue,
  encodeContinue,
  paginate,
} from './pagination';
import { forbidden, isAllowed } from './rbac';
import { groupVersion, ResourceType } from './resources';
import {
  matchFields,
  matchLabels,
  parseFieldSelector,
  parseLabelSelector,
  validateFieldSelector,
} from './selectors';
import {
  ApiError,
  PageNotFound,
  methodNotAllowed,
  objectNotFound,
  routeNotFound,
  statusBody,
  unauthorized,
} from './status';
import { objectKey } from './store';
import { toTable, wantsTable } from './table';
import { KubeObject } from './types';
import { startWatch } from './watchStream';

/** What the router needs from the server around it (open watches must end when it closes). */
export interface RouterHost {
  serverAddress: string;
  trackWatch(end: () => void): () => void;
  sleep(ms: number): Promise<void>;
}

interface Target {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPath: boolean;
}

const json = (
  res: ServerResponse,
  code: number,
  body: unknown,
  truncate = false,
) => {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  if (truncate) {
    // Promise the whole body, send part of it, then cut the connection.
    res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    res.socket?.destroy();
    return;
  }
  res.end(text);
};

/** Handles one request below `/clusters/<name>`; `path` is the remainder, e.g. `/api/v1/services`. */
export async function handleClusterRequest(
  cluster: SimulatedCluster,
  host: RouterHost,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const fault = cluster.faults.decide(path);
  if (fault.latencyMs > 0) await host.sleep(fault.latencyMs);
  if (fault.drop) {
    req.socket.destroy();
    return;
  }
  if (fault.status) {
    const unavailable = fault.status === 503;
    json(
      res,
      fault.status,
      statusBody(
        fault.status,
        unavailable ? 'ServiceUnavailable' : 'InternalError',
        unavailable
          ? 'the server is currently unable to handle the request'
          : 'an error on the server ("simulated fault") has prevented the request from succeeding',
        {},
      ),
    );
    return;
  }
  try {
    const body = route(cluster, host, req, res, path, query);
    if (body !== undefined) json(res, 200, body, fault.truncate);
  } catch (e) {
    if (e instanceof ApiError)
      json(res, e.status.code, e.status, fault.truncate);
    else if (e instanceof PageNotFound) {
      res.writeHead(404, {
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(`${e.message}\n`);
    } else throw e;
  }
}

/** Returns a JSON body, or undefined when the response was taken over (watch). */
function route(
  cluster: SimulatedCluster,
  host: RouterHost,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): unknown {
  const seg = path.split('/').filter(s => s !== '');
  // Like the real server's public-info-viewer role: health and version need no token.
  if (seg.length === 1 && ['healthz', 'livez', 'readyz'].includes(seg[0]))
    return 'ok';
  if (seg.length === 1 && seg[0] === 'version') {
    return {
      major: '1',
      minor: '32',
      gitVersion: 'v1.32.4-lb-doctor-sim',
      gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean',
      buildDate: '2025-04-22T00:00:00Z',
      goVersion: 'go1.23.8',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }
  const auth = req.headers.authorization ?? '';
  if (auth !== `Bearer ${cluster.token}`) throw unauthorized();
  if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed();

  const types = cluster.types;
  if (seg.length === 0) return rootPaths(types);
  if (seg[0] === 'api') {
    if (seg.length === 1) return apiVersions(host.serverAddress);
    if (seg[1] !== 'v1') throw routeNotFound();
    if (seg.length === 2) return apiResourceList(types, '', 'v1');
    return resourceRequest(
      cluster,
      host,
      req,
      res,
      '',
      'v1',
      seg.slice(2),
      query,
    );
  }
  if (seg[0] === 'apis') {
    if (seg.length === 1) return apiGroupList(types);
    const group = seg[1];
    // Measured against kube-apiserver 1.37: a group or version nobody serves (MetalLB's CRDs not
    // installed, or deleted) falls through to the plain-text 404, not a Status.
    if (!types.some(t => t.group === group)) throw new PageNotFound();
    if (seg.length === 2) return apiGroupDocument(types, group);
    const version = seg[2];
    if (!types.some(t => t.group === group && t.version === version))
      throw new PageNotFound();
    if (seg.length === 3) return apiResourceList(types, group, version);
    return resourceRequest(
      cluster,
      host,
      req,
      res,
      group,
      version,
      seg.slice(3),
      query,
    );
  }
  // /openapi/v2, /openapi/v3 and anything else: not served (kubectl get tolerates a 404 here).
  throw routeNotFound();
}

function resolveTarget(
  types: ResourceType[],
  group: string,
  version: string,
  rest: string[],
): Target {
  let watchPath = false;
  let r = rest;
  if (r[0] === 'watch') {
    watchPath = true;
    r = r.slice(1);
  }
  const find = (plural: string) =>
    types.find(
      t => t.group === group && t.version === version && t.plural === plural,
    );
  if (r[0] === 'namespaces' && r.length >= 3) {
    const type = find(r[2]);
    if (type?.namespaced && r.length <= 5) {
      return {
        type,
        namespace: r[1],
        name: r[3],
        subresource: r[4],
        watchPath,
      };
    }
  }
  const type = find(r[0] ?? '');
  if (!type || r.length > 3) throw routeNotFound();
  if (type.namespaced && r.length > 1) throw routeNotFound();
  return { type, name: r[1], subresource: r[2], watchPath };
}

function resourceRequest(
  cluster: SimulatedCluster,
  host: RouterHost,
  req: IncomingMessage,
  res: ServerResponse,
  group: string,
  version: string,
  rest: string[],
  query: URLSearchParams,
): unknown {
  const t = resolveTarget(cluster.types, group, version, rest);
  const watch = t.watchPath || ['true', '1'].includes(query.get('watch') ?? '');
  if (t.subresource && !t.type.subresources.includes(t.subresource))
    throw routeNotFound();
  let verb = watch ? 'watch' : 'list';
  if (t.name && !t.watchPath) verb = 'get';
  const attrs = {
    verb,
    group,
    plural: t.type.plural,
    subresource: t.subresource,
    namespace: t.namespace,
    name: t.name,
  };
  if (!isAllowed(cluster.rbac, attrs)) throw forbidden(cluster.user, attrs);
  const view = (o: KubeObject) =>
    t.type.group === 'events.k8s.io' ? toEventsV1(o) : o;

  if (t.name && !watch) {
    const obj = cluster.store.get(t.type, t.namespace, t.name);
    if (!obj) throw objectNotFound(group, t.type.plural, t.name);
    if (wantsTable(req.headers.accept)) {
      return toTable(t.type, [obj], cluster.store.clock.now(), {
        resourceVersion: obj.metadata.resourceVersion,
      });
    }
    return view(obj);
  }

  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  validateFieldSelector(fields, group, t.type.plural);
  if (t.name) fields.push({ field: 'metadata.name', op: 'eq', value: t.name });
  const matches = (o: KubeObject) =>
    (!t.namespace || o.metadata.namespace === t.namespace) &&
    matchLabels(labels, o.metadata.labels) &&
    matchFields(fields, o as Record<string, unknown>);

  if (watch) {
    startWatch(
      cluster,
      host,
      req,
      res,
      t.type,
      query,
      o => matches(view(o)),
      view,
    );
    return undefined;
  }

  const store = cluster.store;
  const currentRv = store.resourceVersion;
  let snapshotRv = currentRv;
  let start: string | undefined;
  const token = query.get('continue');
  if (token) {
    const decoded = decodeContinue(token);
    if (decoded.rv < store.hub.compactedRv) {
      throw continueExpired(
        encodeContinue(currentRv, decoded.start.slice(0, -1)),
      );
    }
    snapshotRv = decoded.rv;
    start = decoded.start;
  }
  const all = store.listSorted(t.type.storageKey).filter(o => matches(view(o)));
  const limitRaw = Number(query.get('limit') ?? '0');
  // Continue keys are etcd keys relative to the list's prefix, as the real server encodes them:
  // `ns/name` across namespaces, `/name` inside one namespace (measured against kube-apiserver 1.37).
  const keyOf = t.namespace
    ? (o: KubeObject) => `/${o.metadata.name}`
    : (o: KubeObject) => objectKey(o.metadata.namespace, o.metadata.name);
  const page = paginate(
    all,
    keyOf,
    Number.isFinite(limitRaw) ? limitRaw : 0,
    start,
    snapshotRv,
  );
  const metadata: Record<string, unknown> = {
    resourceVersion: String(snapshotRv),
  };
  if (page.continueToken) {
    metadata.continue = page.continueToken;
    // The server only counts the rest when no selector forces it to filter.
    if (labels.length === 0 && fields.length === 0)
      metadata.remainingItemCount = page.remaining;
  }
  if (wantsTable(req.headers.accept) && t.type.group !== 'events.k8s.io') {
    return toTable(t.type, page.items, store.clock.now(), metadata);
  }
  return {
    kind: `${t.type.kind}List`,
    apiVersion: groupVersion(t.type),
    metadata,
    items: page.items.map(o => {
      // A shallow copy is enough: the item is only serialised, never mutated below the top level.
      const item: Partial<KubeObject> = { ...view(o) };
      if (t.type.builtin) {
        // Built-in lists encode items without kind/apiVersion; CRD (unstructured) lists keep them.
        delete item.kind;
        delete item.apiVersion;
      }
      return item;
    }),
  };
}
