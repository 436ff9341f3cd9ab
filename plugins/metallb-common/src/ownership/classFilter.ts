import { scopedMemo } from '../analysisScope';
import type { Service } from '../model/kubernetes';
import type { ControllerId } from '../model/report';
import type { InstalledController, OwnershipContext } from './types';
import { loadBalancerClassOf, records, str, strings } from './read';

/**
 * What a controller's class filter says about a LoadBalancer Service.
 * - `serves`: it takes the Service (evidence says why);
 * - `excluded`: its known settings make it skip the Service - it is not an owner, whatever else is seen;
 * - `unknown`: nothing is known either way; only marks on the Service can make it an owner.
 * @internal
 */
export type FilterVerdict =
  | { kind: 'serves'; evidence: string[] }
  | { kind: 'excluded' }
  | { kind: 'unknown' };

/** @internal */
export const UNKNOWN: FilterVerdict = { kind: 'unknown' };
/** @internal */
export const EXCLUDED: FilterVerdict = { kind: 'excluded' };

const entriesByInstalledList = scopedMemo(
  (_installed: object) => new Map<string, InstalledController | undefined>(),
);

/** The installed entry of a controller (merged if the caller listed it more than once). @internal */
export function installedEntry(
  context: OwnershipContext,
  id: ControllerId,
): InstalledController | undefined {
  // Every detector asks for every Service; the answer depends only on the installed list.
  const installed = context.installed;
  if (typeof installed !== 'object' || installed === null)
    return readInstalledEntry(context, id);
  const byId = entriesByInstalledList(installed);
  if (!byId.has(id)) byId.set(id, readInstalledEntry(context, id));
  return byId.get(id);
}

function readInstalledEntry(
  context: OwnershipContext,
  id: ControllerId,
): InstalledController | undefined {
  const entries = records(context.installed).filter(
    e => e.controller === id,
  ) as unknown as InstalledController[];
  if (entries.length === 0) return undefined;
  const configured = entries.filter(e => typeof e.takesClassless === 'boolean');
  return {
    controller: id,
    evidence: entries.flatMap(e => strings(e.evidence)),
    classes: entries.flatMap(e => strings(e.classes)),
    takesClassless:
      configured.length > 0
        ? configured.some(e => e.takesClassless === true)
        : null,
  };
}

const installedRefs = new Map<string, string>();

/** A short name for where an installation was seen, e.g. `Deployment metallb-system/controller`. @internal */
export function installedRef(entry: InstalledController): string {
  const first = entry.evidence[0] ?? 'found in the snapshot';
  // The same few installations are named in the evidence of every Service.
  let ref = installedRefs.get(first);
  if (ref === undefined) {
    ref = first.split(/ runs | exists| has spec\.providerID|: /)[0];
    if (installedRefs.size >= 256) installedRefs.clear();
    installedRefs.set(first, ref);
  }
  return ref;
}

/** @internal */
export function takesClasslessEvidence(entry: InstalledController): string {
  return `installed (${installedRef(
    entry,
  )}) and takes Services without a loadBalancerClass`;
}

/** @internal */
export function classEvidence(lbClass: string): string {
  return `spec.loadBalancerClass is "${lbClass}"`;
}

/**
 * The usual rule: a class-less Service goes to installed controllers that take class-less Services;
 * a Service with a class goes to the controllers serving that class. A controller's well-known class
 * names it even when its installation was not seen.
 * @internal
 */
export function standardFilter(
  service: Service,
  context: OwnershipContext,
  id: ControllerId,
  wellKnownClasses: readonly string[],
): FilterVerdict {
  const entry = installedEntry(context, id);
  const lbClass = loadBalancerClassOf(service);
  const settingsKnown = entry !== undefined && entry.takesClassless !== null;
  if (lbClass !== undefined) {
    if (entry && entry.classes.includes(lbClass)) {
      return {
        kind: 'serves',
        evidence: [
          classEvidence(lbClass),
          `installed (${installedRef(entry)}) and serves that class`,
        ],
      };
    }
    if (settingsKnown) return EXCLUDED;
    if (wellKnownClasses.includes(lbClass))
      return { kind: 'serves', evidence: [classEvidence(lbClass)] };
    return UNKNOWN;
  }
  if (!entry || entry.takesClassless === null) return UNKNOWN;
  return entry.takesClassless
    ? { kind: 'serves', evidence: [takesClasslessEvidence(entry)] }
    : EXCLUDED;
}

/** MetalLB's rule (METALLB.md section 4): `--lb-class` unset takes only class-less Services, set takes only that class. @internal */
export function metallbFilter(
  service: Service,
  context: OwnershipContext,
): FilterVerdict {
  const metallb = context.metallb ?? { installed: null, lbClass: null };
  if (metallb.installed !== true) return UNKNOWN;
  const entry = installedEntry(context, 'metallb') ?? {
    controller: 'metallb',
    evidence: [],
    classes: [],
    takesClassless: true,
  };
  const lbClass = loadBalancerClassOf(service);
  const flag = str(metallb.lbClass);
  if (flag !== undefined) {
    return lbClass === flag
      ? {
          kind: 'serves',
          evidence: [
            classEvidence(lbClass),
            `installed (${installedRef(entry)}) with --lb-class=${flag}`,
          ],
        }
      : EXCLUDED;
  }
  // Found only through its pools or ConfigMap: the controller's flags, hence its filter, are unknown.
  if (entry.takesClassless === null) return UNKNOWN;
  if (lbClass !== undefined) return EXCLUDED;
  return { kind: 'serves', evidence: [takesClasslessEvidence(entry)] };
}
