import type { Service } from '../model/kubernetes';
import type { ControllerId } from '../model/report';
import type { OwnershipContext } from './types';
import {
  describeWriter,
  managedFieldsOf,
  ManagedFieldsWriter,
} from './managedFields';
import { recognizeWriter, WriterClaim } from './managers';
import {
  NO_MARKS,
  annotationsOf,
  at,
  finalizersOf,
  labelsOf,
  metadataOf,
  records,
  str,
} from './read';

/*
 * Builders of "mark" evidence: facts on the Service that a controller wrote (or a user wrote for it).
 * Each returns `[]` when the mark is absent, so detectors can concatenate them.
 */

/** @internal */
export function finalizerMarks(
  service: Service,
  finalizers: readonly string[],
): string[] {
  // Most Services have no finalizers: no lists are built for them.
  const raw = metadataOf(service).finalizers;
  if (!Array.isArray(raw) || raw.length === 0) return NO_MARKS;
  const present = finalizersOf(service);
  return finalizers.filter(f => present.includes(f)).map(f => `finalizer ${f}`);
}

/** `annotation key=value` for each present key; `expected` restricts to a given value. @internal */
export function annotationMarks(
  service: Service,
  keys: readonly string[],
  expected?: string,
): string[] {
  const annotations = annotationsOf(service);
  const out: string[] = [];
  for (const k of keys) {
    if (
      k in annotations &&
      (expected === undefined || annotations[k] === expected)
    )
      out.push(`annotation ${k}=${annotations[k]}`);
  }
  return out.length > 0 ? out : NO_MARKS;
}

/** Annotations whose key starts with a prefix (e.g. `purelb.io/announcing-`). @internal */
export function annotationPrefixMarks(
  service: Service,
  prefix: string,
): string[] {
  return Object.entries(annotationsOf(service))
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, v]) => `annotation ${k}=${v}`);
}

/** @internal */
export function labelMarks(
  service: Service,
  keys: readonly string[],
  expected?: string,
): string[] {
  const labels = labelsOf(service);
  const out: string[] = [];
  for (const k of keys) {
    if (k in labels && (expected === undefined || labels[k] === expected))
      out.push(`label ${k}=${labels[k]}`);
  }
  return out.length > 0 ? out : NO_MARKS;
}

/** `status.conditions <type>=<status> (reason <r>)` for each present condition type. @internal */
export function conditionMarks(
  service: Service,
  types: readonly string[],
): string[] {
  const conditions = at(service, 'status', 'conditions');
  if (!Array.isArray(conditions) || conditions.length === 0) return NO_MARKS;
  return records(conditions)
    .filter(c => types.includes(str(c.type) ?? ''))
    .map(c => {
      const reason = str(c.reason);
      return `status.conditions ${str(c.type)}=${str(c.status) ?? '?'}${
        reason ? ` (reason ${reason})` : ''
      }`;
    });
}

/** The managedFields entries recognised as this controller's. @internal */
const claimCache = new WeakMap<
  OwnershipContext,
  WeakMap<
    Service,
    Array<{ writer: ManagedFieldsWriter; claim: WriterClaim | undefined }>
  >
>();

/**
 * Every detector asks who wrote each managedFields entry; the answer depends only on the Service
 * and its context, so it is worked out once per pair.
 */
function claimsOf(service: Service, context: OwnershipContext) {
  const recognize = () =>
    managedFieldsOf(service).map(writer => ({
      writer,
      claim: recognizeWriter(writer, service, context),
    }));
  // Malformed input may hand us a non-object, which cannot key a WeakMap.
  if (!isObject(service) || !isObject(context)) return recognize();
  let byService = claimCache.get(context);
  if (!byService) claimCache.set(context, (byService = new WeakMap()));
  let claims = byService.get(service);
  if (!claims) {
    claims = recognize();
    byService.set(service, claims);
  }
  return claims;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

export function writerMarks(
  service: Service,
  context: OwnershipContext,
  id: ControllerId,
): string[] {
  const claims = claimsOf(service, context);
  if (claims.length === 0) return NO_MARKS;
  const out: string[] = [];
  for (const { writer, claim } of claims) {
    if (claim?.controller !== id) continue;
    const line = describeWriter(writer, claim.owned);
    out.push(claim.note ? `${line} (${claim.note})` : line);
  }
  return out.length > 0 ? out : NO_MARKS;
}
