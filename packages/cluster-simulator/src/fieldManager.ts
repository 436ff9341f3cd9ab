import { KubeObject, ManagedFieldsEntry } from './types';

/**
 * A small model of the API server's field manager for `Update` operations: every field a write
 * changes or adds is taken over by the writer, other managers lose it, an entry left without fields
 * disappears, and the writer's `time` is refreshed. Lists are treated as atomic (as
 * `status.loadBalancer.ingress` is), so the finest unit of ownership is a whole list.
 */

export interface WriteIdentity {
  manager: string;
  operation?: 'Update' | 'Apply';
  subresource?: string;
  /** When the write happened; default: now (scenario objects use their creationTimestamp). */
  time?: string;
}

/** Fields the server maintains itself and never records in managedFields. */
const IGNORED_META = new Set([
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'name',
  'namespace',
]);

type Path = string[];
const keyOf = (p: Path) => JSON.stringify(p);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Collects the leaf paths of an object (objects recurse, lists and scalars are leaves). */
export function leafPaths(obj: KubeObject): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (value: unknown, path: Path) => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) {
        if (path.length === 1 && path[0] === 'metadata' && IGNORED_META.has(k))
          continue;
        walk(v, [...path, k]);
      }
      return;
    }
    out.set(keyOf(path), value);
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    walk(v, [k]);
  }
  return out;
}

/** Paths whose value differs between the two objects (added, changed or removed). */
export function changedPaths(
  before: KubeObject | undefined,
  after: KubeObject,
): { changed: string[]; removed: string[] } {
  const a = before ? leafPaths(before) : new Map<string, unknown>();
  const b = leafPaths(after);
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [k, v] of b) {
    if (!a.has(k) || JSON.stringify(a.get(k)) !== JSON.stringify(v))
      changed.push(k);
  }
  for (const k of a.keys()) if (!b.has(k)) removed.push(k);
  return { changed, removed };
}

/** fieldsV1 → set of paths; `f:` prefixes are stripped, `k:`/`v:`/`i:` keys are kept verbatim. */
export function parseFieldsV1(fields: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const walk = (node: Record<string, unknown>, path: Path) => {
    const keys = Object.keys(node).filter(k => k !== '.');
    if (keys.length === 0 || Object.prototype.hasOwnProperty.call(node, '.')) {
      if (path.length > 0) out.add(keyOf(path));
    }
    for (const k of keys) {
      const seg = k.startsWith('f:') ? k.slice(2) : k;
      const child = node[k];
      walk(isPlainObject(child) ? child : {}, [...path, seg]);
    }
  };
  walk(fields, []);
  return out;
}

export function toFieldsV1(paths: Iterable<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const key of paths) {
    const path = JSON.parse(key) as Path;
    let node = root;
    path.forEach(seg => {
      const name = /^[kvi]:/.test(seg) ? seg : `f:${seg}`;
      if (!isPlainObject(node[name])) node[name] = {};
      node = node[name] as Record<string, unknown>;
    });
  }
  // A map owned as a whole and also having owned children carries `.` in fieldsV1.
  const markSelf = (node: Record<string, unknown>, path: Path) => {
    for (const [k, child] of Object.entries(node)) {
      if (!isPlainObject(child)) continue;
      const seg = k.startsWith('f:') ? k.slice(2) : k;
      const childPath = [...path, seg];
      if (
        Object.keys(child).length > 0 &&
        paths instanceof Set &&
        paths.has(keyOf(childPath))
      ) {
        child['.'] = {};
      }
      markSelf(child, childPath);
    }
  };
  markSelf(root, []);
  return root;
}

/**
 * Whether an owned path covers (is, is below or above) a changed leaf path. Paths are JSON arrays of
 * strings, so `["a","b"]` is below `["a"]` exactly when it starts with `["a",`.
 */
function overlaps(owned: string, changed: string): boolean {
  if (owned === changed) return true;
  const [shorter, longer] =
    owned.length < changed.length ? [owned, changed] : [changed, owned];
  return longer.startsWith(`${shorter.slice(0, -1)},`);
}

/**
 * Returns the managedFields after `identity` wrote `after` over `before` at `time`.
 */
export function updateManagedFields(
  before: KubeObject | undefined,
  after: KubeObject,
  identity: WriteIdentity,
  time: string,
  apiVersion: string,
): ManagedFieldsEntry[] {
  const { changed, removed } = changedPaths(before, after);
  const entries = (before?.metadata.managedFields ?? []).map(e => ({
    entry: e,
    paths: parseFieldsV1(e.fieldsV1),
  }));
  const touched = [...changed, ...removed];
  const operation = identity.operation ?? 'Update';
  const sameWriter = (e: ManagedFieldsEntry) =>
    e.manager === identity.manager &&
    e.operation === operation &&
    (e.subresource ?? '') === (identity.subresource ?? '');

  // Entries keep their order; the writer's entry stays in place or is appended.
  const result: Array<ManagedFieldsEntry | 'mine'> = [];
  let mine: { entry: ManagedFieldsEntry; paths: Set<string> } | undefined;
  for (const item of entries) {
    if (sameWriter(item.entry)) {
      mine = item;
      result.push('mine');
      continue;
    }
    let lost = false;
    for (const p of [...item.paths]) {
      if (touched.some(c => overlaps(p, c))) {
        item.paths.delete(p);
        lost = true;
      }
    }
    if (item.paths.size === 0) continue;
    // Losing a field to another manager does not refresh the loser's `time`.
    result.push(
      lost ? { ...item.entry, fieldsV1: toFieldsV1(item.paths) } : item.entry,
    );
  }
  if (!mine) result.push('mine');
  const myPaths = mine?.paths ?? new Set<string>();
  for (const r of removed)
    for (const p of [...myPaths]) if (overlaps(p, r)) myPaths.delete(p);
  for (const c of changed) {
    for (const p of [...myPaths]) if (overlaps(p, c)) myPaths.delete(p);
    myPaths.add(c);
  }
  const out: ManagedFieldsEntry[] = [];
  for (const item of result) {
    if (item !== 'mine') {
      out.push(item);
    } else if (myPaths.size > 0) {
      const entry: ManagedFieldsEntry = {
        manager: identity.manager,
        operation,
        apiVersion,
        time: changed.length > 0 || !mine ? time : mine.entry.time,
        fieldsType: 'FieldsV1',
        fieldsV1: toFieldsV1(myPaths),
      };
      if (identity.subresource) entry.subresource = identity.subresource;
      out.push(entry);
    }
  }
  return out;
}
