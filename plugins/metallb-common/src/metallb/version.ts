/**
 * MetalLB releases whose behaviour the engine tells apart (METALLB.md §9 and release notes).
 * Verdicts follow the running version; the newest known one when the version is unknown.
 */

/** The newest MetalLB release the engine models. @public */
export const NEWEST_METALLB_VERSION = '0.16.1';

/** A parsed `major.minor.patch`. */
export type Version = readonly [number, number, number];

/** Parses `v0.14.9` or `0.14.9`; `undefined` for anything else. */
export function parseVersion(
  text: string | null | undefined,
): Version | undefined {
  if (!text) return undefined;
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match
    ? [Number(match[1]), Number(match[2]), Number(match[3])]
    : undefined;
}

/** Whether `version` is at least `minimum` (both `x.y.z`). */
export function atLeast(version: Version, minimum: string): boolean {
  const min = parseVersion(minimum)!;
  for (let i = 0; i < 3; i++) {
    if (version[i] !== min[i]) return version[i] > min[i];
  }
  return true;
}

/** The behaviour switches of one MetalLB version. @public */
export interface MetallbFeatures {
  version: string;
  /** The `loadBalancerIPs` annotation (commit 31080d6): 0.12.0. */
  loadBalancerIPsAnnotation: boolean;
  /** CRD configuration (IPAddressPool...) instead of the ConfigMap: 0.13.2. */
  crdConfig: boolean;
  /** `--lb-class`: 0.13.2. */
  lbClass: boolean;
  /** `avoidBuggyIPs` on IPAddressPool: all but 0.13.2-0.13.3. */
  avoidBuggyIPs: boolean;
  /** `serviceAllocation` and the pool annotation on Services: 0.13.9. */
  serviceAllocation: boolean;
  /** Invalid status IPs are wiped (PR 1778): 0.13.9. */
  wipesInvalidStatus: boolean;
  /** ClearAssignment is an Event (before: a log line) and address-pool vs IP is checked: 0.13.10. */
  clearAssignmentEvent: boolean;
  addressPoolCompatibilityCheck: boolean;
  /** Pool changes are always accepted (before: a change stranding an IP rejected the config): 0.14.2. */
  acceptsStrandingConfig: boolean;
  /** `metallb.io/` annotation prefix, working PreferDualStack, deprecatedAnnotation events: 0.14.9. */
  metallbIoPrefix: boolean;
  preferDualStack: boolean;
  /** Priority-only/empty serviceAllocation selects every Service; RequireDualStack clusterIP check: 0.15.0. */
  emptyServiceAllocationMatchesAll: boolean;
  notEnoughClusterIPsEvent: boolean;
  /** A PreferDualStack Service with one clusterIP gets one IP (PR 2726): 0.15.0. */
  singleClusterIPPreferDualStackFixed: boolean;
  /** Reprocess all Services when a sharing key or backend changes (PR 2692): 0.15.0. */
  reprocessOnSharingChange: boolean;
  /**
   * A pool asked by name (address-pool annotation, PreferDualStack extra family) with no free
   * address fails with "no available IPs in pool" (PR 2891): 0.16.0. Before, MetalLB went on with a
   * nil address and failed with "is not allowed in config".
   */
  exhaustedPoolError: boolean;
  /** The annotation MetalLB writes with the pool name, `null` before 0.13.9. */
  poolAnnotation: string | null;
}

/** The features of a version (`x.y.z`). @public */
export function featuresOf(versionText: string): MetallbFeatures {
  const v = parseVersion(versionText) ?? parseVersion(NEWEST_METALLB_VERSION)!;
  const since = (min: string) => atLeast(v, min);
  return {
    version: v.join('.'),
    loadBalancerIPsAnnotation: since('0.12.0'),
    crdConfig: since('0.13.2'),
    lbClass: since('0.13.2'),
    avoidBuggyIPs: !(since('0.13.2') && !since('0.13.4')),
    serviceAllocation: since('0.13.9'),
    wipesInvalidStatus: since('0.13.9'),
    clearAssignmentEvent: since('0.13.10'),
    addressPoolCompatibilityCheck: since('0.13.10'),
    acceptsStrandingConfig: since('0.14.2'),
    metallbIoPrefix: since('0.14.9'),
    preferDualStack: since('0.14.9'),
    emptyServiceAllocationMatchesAll: since('0.15.0'),
    notEnoughClusterIPsEvent: since('0.15.0'),
    singleClusterIPPreferDualStackFixed: since('0.15.0'),
    reprocessOnSharingChange: since('0.15.0'),
    exhaustedPoolError: since('0.16.0'),
    poolAnnotation: poolAnnotationOf(since),
  };
}

function poolAnnotationOf(since: (min: string) => boolean): string | null {
  if (since('0.14.9')) return 'metallb.io/ip-allocated-from-pool';
  return since('0.13.9') ? 'metallb.universe.tf/ip-allocated-from-pool' : null;
}
