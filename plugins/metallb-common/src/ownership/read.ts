import { scopedMemo } from '../analysisScope';
import type { LoadBalancerIngress, Service } from '../model/kubernetes';

/*
 * Defensive readers. Snapshots may come from hand-written YAML, so a field typed `string[]` can hold a
 * number, a map or null; every reader here returns a well-typed value or an empty one, never throws.
 */

/**
 * What a mark builder returns when the mark is absent: one shared, frozen empty list, because
 * every detector asks for several marks of every Service and most are absent. Callers only read or
 * spread these lists.
 * @internal
 */
export const NO_MARKS: string[] = Object.freeze([]) as unknown as string[];

/** @internal */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or `undefined`. @internal */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The non-empty strings of a list (anything else yields `[]`). @internal */
export function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The records of a list (anything else yields `[]`). @internal */
export function records(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord);
}

/** Reads a nested field, returning `undefined` as soon as a level is not an object. @internal */
export function at(value: unknown, ...path: string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

const stringMapOf = scopedMemo((value: Record<string, unknown>) => {
  const out: Record<string, string> = {};
  // for-in over own keys visits them in Object.entries order, without building the pairs.
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = value[key];
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean')
      out[key] = String(v);
  }
  return out;
});

/**
 * A string-to-string map; values of other types are dropped, numbers and booleans kept as text
 * (YAML `"true"` vs `true`). Read once per map object within an analysis: the result must not be
 * modified.
 * @internal
 */
export function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return stringMapOf(value);
}

/** @internal */
export function metadataOf(object: unknown): Record<string, unknown> {
  // Direct reads rather than at(): these run for every detector and every Service.
  const meta = isRecord(object) ? object.metadata : undefined;
  return isRecord(meta) ? meta : {};
}

/** @internal */
export function nameOf(object: unknown): string | undefined {
  return str(metadataOf(object).name);
}

/** @internal */
export function namespaceOf(object: unknown): string | undefined {
  return str(metadataOf(object).namespace);
}

/** @internal */
export function uidOf(object: unknown): string | undefined {
  return str(metadataOf(object).uid);
}

/** `namespace/name` (or just the name for cluster-scoped objects), `?` for missing parts. @internal */
export function refOf(object: unknown): string {
  const ns = namespaceOf(object);
  const name = nameOf(object) ?? '?';
  return ns ? `${ns}/${name}` : name;
}

/** @internal */
export function annotationsOf(object: unknown): Record<string, string> {
  return stringMap(metadataOf(object).annotations);
}

/** @internal */
export function labelsOf(object: unknown): Record<string, string> {
  return stringMap(metadataOf(object).labels);
}

/** @internal */
export function finalizersOf(object: unknown): string[] {
  return strings(metadataOf(object).finalizers);
}

/** @internal */
export function kindOf(object: unknown): string | undefined {
  return str(at(object, 'kind'));
}

/** The API group of an object's apiVersion (`''` for the core group). @internal */
export function apiGroupOf(object: unknown): string {
  const apiVersion = str(at(object, 'apiVersion')) ?? '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** spec.loadBalancerClass, `undefined` when unset or not a string. @internal */
export function loadBalancerClassOf(service: Service): string | undefined {
  const spec = isRecord(service) ? service.spec : undefined;
  return isRecord(spec) ? str(spec.loadBalancerClass) : undefined;
}

/** spec.type defaults to ClusterIP when missing, so only an explicit LoadBalancer counts. @internal */
export function isLoadBalancer(service: Service): boolean {
  const spec = isRecord(service) ? service.spec : undefined;
  return isRecord(spec) && spec.type === 'LoadBalancer';
}

/** Read once per Service within an analysis (several detectors look at it): read-only result. */
const ingressOfService = scopedMemo((service: Service) => {
  const list = at(service, 'status', 'loadBalancer', 'ingress');
  if (!Array.isArray(list)) return [];
  const out: Array<{ index: number; entry: LoadBalancerIngress }> = [];
  list.forEach((entry: unknown, index) => {
    if (isRecord(entry))
      out.push({ index, entry: entry as LoadBalancerIngress });
  });
  return out;
});

/** status.loadBalancer.ingress, keeping the index of each entry for evidence. @internal */
export function ingressOf(
  service: Service,
): Array<{ index: number; entry: LoadBalancerIngress }> {
  return isRecord(service) ? ingressOfService(service) : [];
}

/** Truthy spellings Kubernetes env vars and annotations use. @internal */
export function isTruthy(value: string | undefined): boolean {
  return (
    value !== undefined &&
    ['true', '1', 'yes', 'on'].includes(value.trim().toLowerCase())
  );
}

/** Falsy spellings; `undefined` is neither truthy nor falsy. @internal */
export function isFalsy(value: string | undefined): boolean {
  return (
    value !== undefined &&
    ['false', '0', 'no', 'off'].includes(value.trim().toLowerCase())
  );
}
