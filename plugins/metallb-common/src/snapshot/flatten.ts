import type { KubeObject } from '../model/kubernetes';
import type { InputProblem, ManifestLocation } from './types';

/** A plain JSON object: what every Kubernetes object decodes to. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * kubectl prints several objects as `kind: List`; the API server returns typed lists
 * (`ServiceList`). Typed-list items come without kind/apiVersion, which are implied by the list.
 */
function listItemKind(list: Record<string, unknown>): string | undefined {
  const kind = list.kind;
  if (typeof kind !== 'string' || !Array.isArray(list.items)) return undefined;
  if (kind === 'List') return '';
  return kind.endsWith('List') && kind.length > 4
    ? kind.slice(0, -4)
    : undefined;
}

/** Receives each flattened object with where it came from. */
export interface FlattenSink {
  objects: KubeObject[];
  locations: Map<KubeObject, ManifestLocation>;
  problems: InputProblem[];
}

/**
 * Adds a decoded document to the sink, expanding Lists (and top-level arrays, which some tools
 * emit) into their items. `itemLine` gives the line of the i-th item of the top-level list when the
 * parser knows it.
 */
export function flattenDocument(
  value: unknown,
  where: ManifestLocation,
  sink: FlattenSink,
  itemLine?: (index: number) => number | undefined,
): void {
  const items = Array.isArray(value) ? value : undefined;
  if (items === undefined) {
    if (!isRecord(value)) {
      sink.problems.push({
        severity: 'warning',
        ...where,
        message: `document is ${describe(
          value,
        )}, not a Kubernetes object; ignored`,
      });
      return;
    }
    const itemKind = listItemKind(value);
    if (itemKind === undefined) {
      sink.objects.push(value as KubeObject);
      sink.locations.set(value as KubeObject, where);
      return;
    }
    addItems(value.items as unknown[], value, itemKind, where, sink, itemLine);
    return;
  }
  addItems(items, undefined, '', where, sink, itemLine);
}

function addItems(
  items: unknown[],
  list: Record<string, unknown> | undefined,
  itemKind: string,
  where: ManifestLocation,
  sink: FlattenSink,
  itemLine?: (index: number) => number | undefined,
): void {
  items.forEach((item, index) => {
    const location: ManifestLocation = {
      ...where,
      line: itemLine?.(index) ?? where.line,
    };
    if (!isRecord(item)) {
      sink.problems.push({
        severity: 'warning',
        ...location,
        message: `list item ${index + 1} is ${describe(
          item,
        )}, not a Kubernetes object; ignored`,
      });
      return;
    }
    if (itemKind && item.kind === undefined) item.kind = itemKind;
    if (
      itemKind &&
      item.apiVersion === undefined &&
      list?.apiVersion !== undefined
    ) {
      item.apiVersion = list.apiVersion;
    }
    if (listItemKind(item) !== undefined) {
      // kubectl never nests Lists; flattening one level further keeps odd hand-made input usable
      // without recursing without bound.
      for (const nested of item.items as unknown[]) {
        if (isRecord(nested)) {
          sink.objects.push(nested as KubeObject);
          sink.locations.set(nested as KubeObject, location);
        } else {
          sink.problems.push({
            severity: 'warning',
            ...location,
            message: `nested list item is ${describe(
              nested,
            )}, not a Kubernetes object; ignored`,
          });
        }
      }
      return;
    }
    sink.objects.push(item as KubeObject);
    sink.locations.set(item as KubeObject, location);
  });
}

/** Names a JSON value's type for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}
