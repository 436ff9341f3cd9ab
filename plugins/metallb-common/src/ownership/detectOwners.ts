import type { Service } from '../model/kubernetes';
import type { ControllerId, Owner } from '../model/report';
import type { OwnershipContext, OwnershipDetector } from './types';
import {
  awsLbcDetector,
  calicoDetector,
  chiselOperatorDetector,
  ciliumDetector,
  cloudProviderDetector,
  inletsDetector,
  k3sServicelbDetector,
  kubeVipCloudProviderDetector,
  kubeVipDetector,
  loxilbDetector,
  metallbDetector,
  openelbDetector,
  purelbDetector,
  tailscaleDetector,
  unknownDetector,
} from './detectors';
import { managersNamedIn, ownerStrength, uniqueEvidence } from './evidence';
import { isRecord, strings } from './read';

/** The built-in detectors, one per ControllerId; `unknown` last because it names what the others leave. @public */
export const defaultOwnershipDetectors: readonly OwnershipDetector[] = [
  metallbDetector,
  chiselOperatorDetector,
  kubeVipDetector,
  kubeVipCloudProviderDetector,
  k3sServicelbDetector,
  ciliumDetector,
  calicoDetector,
  purelbDetector,
  openelbDetector,
  tailscaleDetector,
  inletsDetector,
  loxilbDetector,
  awsLbcDetector,
  cloudProviderDetector,
  unknownDetector,
];

/** A detector that throws (a third-party one, or bad input we did not foresee) must not sink the report. */
function safeDetect(
  detector: OwnershipDetector,
  service: Service,
  context: OwnershipContext,
): Owner | undefined {
  try {
    const owner = detector.detect(service, context);
    if (!isRecord(owner) || typeof owner.controller !== 'string')
      return undefined;
    return { controller: owner.controller, evidence: strings(owner.evidence) };
  } catch {
    return undefined;
  }
}

function mergeByController(owners: readonly Owner[]): Owner[] {
  // Usually each controller is named by one detector only: nothing to merge.
  let distinct = true;
  for (let i = 0; distinct && i < owners.length; i++)
    for (let j = 0; distinct && j < i; j++)
      if (owners[j].controller === owners[i].controller) distinct = false;
  if (distinct) {
    return owners.map(owner => ({
      controller: owner.controller,
      evidence: uniqueEvidence(owner.evidence),
    }));
  }
  const merged = new Map<ControllerId, string[]>();
  for (const owner of owners) {
    merged.set(owner.controller, [
      ...(merged.get(owner.controller) ?? []),
      ...owner.evidence,
    ]);
  }
  return [...merged].map(([controller, evidence]) => ({
    controller,
    evidence: uniqueEvidence(evidence),
  }));
}

/** Extra detectors may claim a manager the built-in `unknown` detector could not name: drop it there. */
function withoutClaimedManagers(owners: readonly Owner[]): Owner[] {
  // Only the unknown owner's lines can be dropped, and merged owners always have evidence.
  if (!owners.some(o => o.controller === 'unknown')) return owners.slice();
  const claimed = new Set(
    owners
      .filter(o => o.controller !== 'unknown')
      .flatMap(o => managersNamedIn(o.evidence)),
  );
  return owners
    .map(owner =>
      owner.controller !== 'unknown'
        ? owner
        : {
            ...owner,
            evidence: owner.evidence.filter(
              line => !managersNamedIn([line]).some(m => claimed.has(m)),
            ),
          },
    )
    .filter(owner => owner.evidence.length > 0);
}

function compareOwners(a: Owner, b: Owner): number {
  if (a.controller === 'metallb' || b.controller === 'metallb')
    return a.controller === 'metallb' ? -1 : 1;
  return (
    ownerStrength(b) - ownerStrength(a) ||
    a.controller.localeCompare(b.controller)
  );
}

/**
 * The controllers that act, or may act, on a Service, each with the facts that show it: MetalLB
 * first, then the strongest evidence first. Controllers whose known class filter skips the Service
 * are left out; installed controllers that take class-less Services own every class-less
 * LoadBalancer Service (the risk before any fight); marks on the Service count even when the
 * controller's workload was not seen.
 * @public
 */
export function detectOwners(
  service: Service,
  context: OwnershipContext,
  detectors: readonly OwnershipDetector[] = defaultOwnershipDetectors,
): Owner[] {
  if (!isRecord(service)) return [];
  const found = detectors
    .map(detector => safeDetect(detector, service, context))
    .filter(
      (owner): owner is Owner =>
        owner !== undefined && owner.evidence.length > 0,
    );
  return withoutClaimedManagers(mergeByController(found)).sort(compareOwners);
}
