import type { KubeObject } from '../model/kubernetes';
import type { ClusterSnapshot, SnapshotListKey } from '../model/snapshot';
import { apiGroup, classify } from './classify';
import { isRelevantConfigMap } from './configMaps';
import { normaliseEvent } from './events';
import { describe, isRecord } from './flatten';
import type { InputProblem, ManifestLocation } from './types';

/** @public */
export interface SnapshotFromObjectsOptions {
  /**
   * Lists to set to `[]` when no object of their kind was given: the caller read that kind and
   * found none (a full dump), as opposed to not reading it (a handful of manifests).
   */
  knownEmpty?: readonly SnapshotListKey[];
  /** When the objects were read (ISO 8601). */
  collectedAt?: string;
  /** Where objects came from, so that problems can name the file and line. */
  locations?: ReadonlyMap<object, ManifestLocation>;
}

/** @public */
export interface SnapshotFromObjectsResult {
  snapshot: ClusterSnapshot;
  problems: InputProblem[];
}

/**
 * Sorts Kubernetes objects into a ClusterSnapshot by apiVersion and kind.
 *
 * A list is set when at least one object of its kind was given (even if all were filtered out, as
 * irrelevant ConfigMaps are) or when `knownEmpty` names it; otherwise it stays `undefined`, which
 * the engine reads as "not known". Never throws.
 * @public
 */
export function snapshotFromObjects(
  name: string,
  objects: readonly unknown[],
  options: SnapshotFromObjectsOptions = {},
): SnapshotFromObjectsResult {
  const lists = new Map<SnapshotListKey, KubeObject[]>();
  const problems: InputProblem[] = [];
  const add = (key: SnapshotListKey, object?: KubeObject) => {
    let list = lists.get(key);
    if (!list) lists.set(key, (list = []));
    if (object) list.push(object);
  };
  const where = (object: unknown) =>
    isRecord(object) ? options.locations?.get(object) : undefined;

  objects.forEach((object, index) => {
    const label = where(object)?.source ? '' : `object ${index + 1}: `;
    const problem = (message: string) =>
      problems.push({
        severity: 'warning',
        ...where(object),
        message: label + message,
      });
    if (!isRecord(object)) {
      problem(`${describe(object)} is not a Kubernetes object; ignored`);
      return;
    }
    const { kind, apiVersion } = object;
    if (typeof kind !== 'string' || kind === '') {
      problem(`object ${nameOf(object)}has no kind; ignored`);
      return;
    }
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      problem(`${kind} ${nameOf(object)}has no apiVersion; ignored`);
      return;
    }
    const placement = classify(apiVersion, kind);
    if (placement.legacyAddressPool) {
      problem(
        `${apiVersion} AddressPool ${nameOf(
          object,
        )}is not supported since MetalLB 0.14.2 ` +
          '(use IPAddressPool); kept only as evidence',
      );
    }
    if (placement.list === 'configMaps') {
      // The kind was read even when this ConfigMap is dropped.
      add('configMaps', isRelevantConfigMap(object) ? object : undefined);
      return;
    }
    if (
      placement.list === 'events' &&
      apiGroup(apiVersion) === 'events.k8s.io'
    ) {
      add('events', normaliseEvent(object));
      return;
    }
    add(placement.list, object);
  });

  for (const key of options.knownEmpty ?? []) add(key);
  const snapshot: ClusterSnapshot = { name };
  if (options.collectedAt !== undefined)
    snapshot.collectedAt = options.collectedAt;
  // Assigning through a loop over keys needs one widening cast; every list holds KubeObject
  // subtypes that differ only in optional fields.
  const target = snapshot as unknown as Record<SnapshotListKey, KubeObject[]>;
  for (const [key, list] of lists) target[key] = list;
  return { snapshot, problems };
}

function nameOf(object: Record<string, unknown>): string {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  if (!name) return '';
  const namespace =
    typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  return `${namespace ? `${namespace}/` : ''}${name} `;
}
