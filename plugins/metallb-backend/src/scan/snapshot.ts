import {
  ClusterSnapshot,
  KubeObject,
  snapshotFromObjects,
  SnapshotListKey,
} from '@lb-doctor/plugin-metallb-common';
import type { ClusterObjects } from './fetcher';

/** Builds the engine's snapshot: only kinds actually read are marked known. */
export function assembleSnapshot(
  cluster: string,
  read: ClusterObjects,
  collectedAt: string,
): ClusterSnapshot {
  return snapshotFromObjects(cluster, read.objects, {
    knownEmpty: read.known,
    collectedAt,
  }).snapshot;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function slim(object: KubeObject): KubeObject {
  const annotations = object.metadata?.annotations;
  if (!annotations || !(LAST_APPLIED in annotations)) return object;
  const { [LAST_APPLIED]: _dropped, ...rest } = annotations;
  return { ...object, metadata: { ...object.metadata, annotations: rest } };
}

/**
 * The part of a snapshot kept for `POST /validate`: everything but Events (history, not state)
 * and the last-applied copies kubectl leaves on objects (large, and never read by the engine).
 */
export function storableSnapshot(snapshot: ClusterSnapshot): ClusterSnapshot {
  const out: ClusterSnapshot = {
    name: snapshot.name,
    collectedAt: snapshot.collectedAt,
  };
  const source = snapshot as unknown as Record<string, unknown>;
  const target = out as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(source)) {
    if (key === 'name' || key === 'collectedAt' || key === 'events') continue;
    if (Array.isArray(value)) target[key] = (value as KubeObject[]).map(slim);
  }
  return out;
}

const objectKey = (o: KubeObject) =>
  `${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * Overlays posted objects on a stored snapshot: a posted object replaces the stored one of the
 * same kind, namespace and name; others are added.
 */
export function overlaySnapshot(
  base: ClusterSnapshot,
  posted: ClusterSnapshot,
): ClusterSnapshot {
  const merged: ClusterSnapshot = { ...base };
  const target = merged as unknown as Record<string, KubeObject[] | undefined>;
  const source = posted as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(source)) {
    if (!Array.isArray(value) || key === 'name') continue;
    const list = value as KubeObject[];
    if (list.length === 0) continue;
    const replaced = new Set(list.map(objectKey));
    const existing = target[key as SnapshotListKey] ?? [];
    target[key] = [
      ...existing.filter(o => !replaced.has(objectKey(o))),
      ...list,
    ];
  }
  return merged;
}
