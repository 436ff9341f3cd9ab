/**
 * MetalLB's Service annotation prefixes. `metallb.io/` is read since MetalLB 0.14.9; older
 * releases only read `metallb.universe.tf/` (which newer releases still accept).
 * @public
 */
export type MetallbAnnotationPrefix = 'metallb.io/' | 'metallb.universe.tf/';

/** The current prefix. @public */
export const METALLB_ANNOTATION_PREFIX: MetallbAnnotationPrefix = 'metallb.io/';

/** The prefix MetalLB releases before 0.14.9 read. @public */
export const METALLB_LEGACY_ANNOTATION_PREFIX: MetallbAnnotationPrefix =
  'metallb.universe.tf/';

/** The suffixes of MetalLB's Service annotations, to be joined with a prefix. @public */
export const METALLB_ANNOTATION = {
  loadBalancerIPs: 'loadBalancerIPs',
  addressPool: 'address-pool',
  allowSharedIp: 'allow-shared-ip',
  ipAllocatedFromPool: 'ip-allocated-from-pool',
} as const;

/**
 * Normalises a prefix given by a caller (`metallb.io`, `metallb.universe.tf/`, ...); anything else
 * falls back to the current prefix, which every supported MetalLB reads.
 * @public
 */
export function normalizeMetallbAnnotationPrefix(
  prefix: unknown,
): MetallbAnnotationPrefix {
  if (typeof prefix !== 'string') return METALLB_ANNOTATION_PREFIX;
  const bare = prefix.trim().replace(/\/+$/, '');
  return bare === 'metallb.universe.tf'
    ? METALLB_LEGACY_ANNOTATION_PREFIX
    : METALLB_ANNOTATION_PREFIX;
}

/**
 * The prefix a MetalLB of this version reads: `metallb.universe.tf/` before 0.14.9, else
 * `metallb.io/`. An unknown or unparsable version gives `metallb.io/` (the current releases).
 * @public
 */
export function metallbAnnotationPrefixForVersion(
  version: string | null | undefined,
): MetallbAnnotationPrefix {
  if (typeof version !== 'string') return METALLB_ANNOTATION_PREFIX;
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!match) return METALLB_ANNOTATION_PREFIX;
  const [major, minor, patch] = [
    Number(match[1]),
    Number(match[2]),
    Number(match[3] ?? 0),
  ];
  const older = major === 0 && (minor < 14 || (minor === 14 && patch < 9));
  return older ? METALLB_LEGACY_ANNOTATION_PREFIX : METALLB_ANNOTATION_PREFIX;
}

/** The other prefix than `prefix`. */
export function otherPrefix(
  prefix: MetallbAnnotationPrefix,
): MetallbAnnotationPrefix {
  return prefix === METALLB_ANNOTATION_PREFIX
    ? METALLB_LEGACY_ANNOTATION_PREFIX
    : METALLB_ANNOTATION_PREFIX;
}

/**
 * The value MetalLB reads for an annotation: the `metallb.io/` key wins whenever it is present,
 * even when empty; otherwise the `metallb.universe.tf/` key.
 */
export function effectiveMetallbAnnotation(
  annotations: Record<string, string>,
  suffix: string,
): { key: string; value: string } | undefined {
  for (const prefix of [
    METALLB_ANNOTATION_PREFIX,
    METALLB_LEGACY_ANNOTATION_PREFIX,
  ]) {
    const key = `${prefix}${suffix}`;
    if (Object.prototype.hasOwnProperty.call(annotations, key))
      return { key, value: annotations[key] };
  }
  return undefined;
}
