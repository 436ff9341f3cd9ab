import { createHash } from 'node:crypto';
import { updateManagedFields, WriteIdentity } from './fieldManager';
import { groupVersion, ResourceType } from './resources';
import { KubeObject } from './types';
import { WatchHub } from './watchHub';

/** Simulated time: real time plus whatever `tick()` advanced, so timestamps move in tests too. */
export class Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
  /** RFC 3339 with second precision, as metav1.Time serialises. */
  iso(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }
}

export const objectKey = (namespace: string | undefined, name: string) =>
  namespace ? `${namespace}/${name}` : name;

/** A deterministic UUID-shaped uid so scenario objects keep their uid across restarts. */
export function stableUid(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

// Objects are plain JSON; a JSON round trip is several times faster than structuredClone here.
/** resourceVersions start above 1000, so "0" and small numbers are never valid versions. */
const INITIAL_RV = 1000;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Byte order of keys, as etcd sorts them (not locale order). */
function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * The objects of one cluster. Every effective write bumps the cluster-wide resourceVersion, runs the
 * field manager and publishes a watch event; writes that change nothing are no-ops, as on the server.
 */
export class ClusterStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly sortedCache = new Map<string, KubeObject[]>();
  private rv = INITIAL_RV;
  /** Until the scenario is loaded, writes are not published to (the not yet open) watches. */
  private loaded = false;
  readonly hub = new WatchHub();

  constructor(readonly name: string, readonly clock: Clock) {}

  get resourceVersion(): number {
    return this.rv;
  }

  private bucket(storageKey: string): Map<string, KubeObject> {
    let b = this.objects.get(storageKey);
    if (!b) {
      b = new Map();
      this.objects.set(storageKey, b);
    }
    return b;
  }

  get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const o = this.objects
      .get(type.storageKey)
      ?.get(objectKey(type.namespaced ? namespace : undefined, name));
    return o ? clone(o) : undefined;
  }

  /** Stored objects in key order (namespace, then name), as etcd returns them. Not cloned. */
  listSorted(storageKey: string): KubeObject[] {
    let cached = this.sortedCache.get(storageKey);
    if (!cached) {
      const b = this.objects.get(storageKey);
      cached = b
        ? [...b.entries()]
            .sort((x, y) => compareKeys(x[0], y[0]))
            .map(e => e[1])
        : [];
      this.sortedCache.set(storageKey, cached);
    }
    return cached;
  }

  /** Clones of the objects of a type, optionally in one namespace. */
  list(type: ResourceType, namespace?: string): KubeObject[] {
    return this.listSorted(type.storageKey)
      .filter(o => !namespace || o.metadata.namespace === namespace)
      .map(clone);
  }

  /**
   * Creates or replaces an object. Returns the stored object (read-only), or undefined if nothing
   * changed.
   * `subresource: 'status'` writes only take `status` and metadata from `next` (spec is kept).
   */
  write(
    type: ResourceType,
    next: KubeObject,
    identity: WriteIdentity,
  ): KubeObject | undefined {
    const key = objectKey(
      type.namespaced ? next.metadata.namespace : undefined,
      next.metadata.name,
    );
    const bucket = this.bucket(type.storageKey);
    const before = bucket.get(key);
    let after = clone(next);
    if (before && identity.subresource === 'status') {
      // The status strategy copies everything but status and metadata from the stored object.
      after = {
        ...clone(before),
        metadata: after.metadata,
        status: after.status,
      };
    }
    after.apiVersion = groupVersion(type);
    after.kind = type.kind;
    const now = this.clock.iso();
    const meta = after.metadata;
    meta.uid =
      before?.metadata.uid ??
      meta.uid ??
      stableUid(this.name, type.storageKey, key, now);
    meta.creationTimestamp =
      before?.metadata.creationTimestamp ?? meta.creationTimestamp ?? now;
    if (type.namespaced && !meta.namespace) meta.namespace = 'default';
    if (!type.namespaced) delete meta.namespace;
    if (!type.builtin)
      meta.generation = before?.metadata.generation ?? meta.generation ?? 1;
    if (type.kind === 'Service') defaultService(after);
    if (before) {
      // Server-maintained fields do not make a write effective (undefined values are not serialised).
      const strip = (o: KubeObject) =>
        JSON.stringify({
          ...o,
          metadata: {
            ...o.metadata,
            resourceVersion: undefined,
            managedFields: undefined,
          },
        });
      if (strip(before) === strip(after)) return undefined;
      if (
        !type.builtin &&
        JSON.stringify(before.spec ?? null) !==
          JSON.stringify(after.spec ?? null)
      ) {
        meta.generation = (before.metadata.generation ?? 1) + 1;
      }
    }
    const fromYaml =
      !before &&
      Array.isArray(next.metadata.managedFields) &&
      next.metadata.managedFields.length > 0;
    if (!fromYaml) {
      meta.managedFields = updateManagedFields(
        before,
        after,
        identity,
        identity.time ?? now,
        groupVersion(type),
      );
    }
    this.rv += 1;
    meta.resourceVersion = String(this.rv);
    bucket.set(key, after);
    this.sortedCache.delete(type.storageKey);
    if (this.loaded) {
      this.hub.publish({
        rv: this.rv,
        storageKey: type.storageKey,
        type: before ? 'MODIFIED' : 'ADDED',
        object: clone(after),
        previous: before,
      });
    }
    // The stored object itself: callers must not mutate it (they get copies from get/list).
    return after;
  }

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): boolean {
    const key = objectKey(type.namespaced ? namespace : undefined, name);
    const bucket = this.bucket(type.storageKey);
    const before = bucket.get(key);
    if (!before) return false;
    bucket.delete(key);
    this.sortedCache.delete(type.storageKey);
    this.rv += 1;
    const gone = clone(before);
    gone.metadata.resourceVersion = String(this.rv);
    this.hub.publish({
      rv: this.rv,
      storageKey: type.storageKey,
      type: 'DELETED',
      object: gone,
    });
    return true;
  }

  /**
   * Ends loading. Loaded objects are not replayed to watches, but their resourceVersions stay valid
   * starting points for a watch or a continue token (nothing has been compacted yet).
   */
  markLoaded(): void {
    this.loaded = true;
    this.hub.compactedRv = INITIAL_RV;
  }
}

/** The defaulting the API server applies to Services that matters for LB status comparisons. */
function defaultService(svc: KubeObject): void {
  const spec = (svc.spec ?? {}) as Record<string, unknown>;
  const status = svc.status as
    | { loadBalancer?: { ingress?: Array<Record<string, unknown>> } }
    | undefined;
  if (spec.type === 'LoadBalancer' && status?.loadBalancer?.ingress) {
    for (const ing of status.loadBalancer.ingress) {
      // KEP-1860 (GA in 1.32): ingress entries with an IP get ipMode VIP unless set.
      if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
    }
  }
}
