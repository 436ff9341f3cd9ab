import type { Service } from '../model/kubernetes';
import { isRecord, metadataOf, str } from './read';

/**
 * One `metadata.managedFields` entry, normalised. fieldsV1 is a trie whose keys are `f:<field>`,
 * `k:<json key of a list item>`, `v:<json value of a set item>`, `i:<index>` and `.` (the node itself).
 * @public
 */
export interface ManagedFieldsWriter {
  manager: string;
  operation?: string;
  subresource?: string;
  time?: string;
  /** The raw fieldsV1 trie, `{}` when missing or malformed. */
  fields: Record<string, unknown>;
}

/** The entries of a Service's managedFields; entries without a manager name are kept as `""`. @public */
export function managedFieldsOf(service: Service): ManagedFieldsWriter[] {
  const list = metadataOf(service).managedFields;
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map(entry => ({
    manager: typeof entry.manager === 'string' ? entry.manager : '',
    operation: str(entry.operation),
    subresource: str(entry.subresource),
    time: str(entry.time),
    fields: isRecord(entry.fieldsV1) ? entry.fieldsV1 : {},
  }));
}

/** Whether the trie has the node reached by following `f:` keys (e.g. `status`, `loadBalancer`, `ingress`). @public */
export function ownsField(
  writer: ManagedFieldsWriter,
  ...path: string[]
): boolean {
  let node: unknown = writer.fields;
  for (const key of path) {
    if (!isRecord(node)) return false;
    node = node[`f:${key}`];
    if (node === undefined) return false;
  }
  return true;
}

/** @public */
export function ownsAnnotation(
  writer: ManagedFieldsWriter,
  key: string,
): boolean {
  return ownsField(writer, 'metadata', 'annotations', key);
}

/** @public */
export function ownsLabel(writer: ManagedFieldsWriter, key: string): boolean {
  return ownsField(writer, 'metadata', 'labels', key);
}

/** Set items are keyed `v:<JSON value>`; compare decoded values so spacing in the JSON does not matter. @public */
export function ownsFinalizer(
  writer: ManagedFieldsWriter,
  finalizer: string,
): boolean {
  const node = writer.fields['f:metadata'];
  const finalizers = isRecord(node) ? node['f:finalizers'] : undefined;
  if (!isRecord(finalizers)) return false;
  return Object.keys(finalizers).some(
    k => k.startsWith('v:') && decodeJson(k.slice(2)) === finalizer,
  );
}

/** Map-list items are keyed `k:{"type":"..."}`. @public */
export function ownsCondition(
  writer: ManagedFieldsWriter,
  type: string,
): boolean {
  const node = writer.fields['f:status'];
  const conditions = isRecord(node) ? node['f:conditions'] : undefined;
  if (!isRecord(conditions)) return false;
  return Object.keys(conditions).some(k => {
    if (!k.startsWith('k:')) return false;
    const item = decodeJson(k.slice(2));
    return isRecord(item) && item.type === type;
  });
}

function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The fields that make a writer a load-balancer actor. @public */
export function ownsIngress(writer: ManagedFieldsWriter): boolean {
  return ownsField(writer, 'status', 'loadBalancer', 'ingress');
}

/** @public */
export function ownsLoadBalancerIP(writer: ManagedFieldsWriter): boolean {
  return ownsField(writer, 'spec', 'loadBalancerIP');
}

/**
 * The human-readable fields a writer owns among those that matter for ownership, e.g.
 * `status.loadBalancer.ingress`, `spec.loadBalancerIP`, `annotation metallb.io/ip-allocated-from-pool`.
 */
function describeOwned(
  writer: ManagedFieldsWriter,
  extra: readonly string[],
): string[] {
  const out: string[] = [];
  if (ownsIngress(writer)) out.push('status.loadBalancer.ingress');
  if (ownsLoadBalancerIP(writer)) out.push('spec.loadBalancerIP');
  if (ownsField(writer, 'spec', 'externalIPs')) out.push('spec.externalIPs');
  for (const item of extra) out.push(item);
  return out;
}

/**
 * Evidence line for a writer, e.g.
 * `managedFields: manager "chisel-operator" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z`.
 * `extraOwned` lists controller-specific fields already checked by the caller.
 * @public
 */
export function describeWriter(
  writer: ManagedFieldsWriter,
  extraOwned: readonly string[] = [],
): string {
  const how = [writer.operation, writer.subresource].filter(Boolean).join(', ');
  const owned = describeOwned(writer, extraOwned);
  const what = owned.length > 0 ? ` owns ${owned.join(', ')}` : ' has an entry';
  const when = writer.time ? ` at ${writer.time}` : '';
  return `managedFields: manager "${writer.manager}"${
    how ? ` (${how})` : ''
  }${what}${when}`;
}
