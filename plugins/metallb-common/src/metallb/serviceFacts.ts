import { scopedMemo } from '../analysisScope';
import { formatIp, IpAddress, parseIp } from '../ip';
import type { Service } from '../model/kubernetes';
import type { RequestSource } from '../model/report';
import type {
  FamilyPolicy,
  Port,
  ServiceFamily,
  SharingKey,
} from './allocator';
import { quoteIps } from './allocator';
import { labelSetString } from './labelSelector';
import type { MetallbFeatures } from './version';

/** The current and deprecated MetalLB annotation prefixes. @public */
export const METALLB_PREFIX = 'metallb.io';
/** @public */
export const DEPRECATED_METALLB_PREFIX = 'metallb.universe.tf';

/** The string entries of a map; read once per map object within an analysis (read-only result). */
const stringEntries = scopedMemo((raw: object): Record<string, string> => {
  const result: Record<string, string> = {};
  if (Array.isArray(raw)) return result;
  // for-in over own keys visits them in Object.entries order, without building the pairs.
  const map = raw as Record<string, unknown>;
  for (const k in map) {
    if (!Object.prototype.hasOwnProperty.call(map, k)) continue;
    const v = map[k];
    if (typeof v === 'string') result[k] = v;
  }
  return result;
});

/** Safe read of a string map that may be malformed. The result must not be modified. */
export function annotationsOf(service: Service): Record<string, string> {
  const raw = service.metadata?.annotations;
  if (typeof raw !== 'object' || raw === null) return {};
  return stringEntries(raw);
}

/** The Service's string labels. The result must not be modified. */
export function labelsOf(service: Service): Record<string, string> {
  const raw = service.metadata?.labels;
  if (typeof raw !== 'object' || raw === null) return {};
  return stringEntries(raw);
}

/** The `metallb.io/` and `metallb.universe.tf/` keys of an annotation name (a handful of names). */
const annotationKeyCache = new Map<string, [string, string]>();

function annotationKeys(name: string): [string, string] {
  let keys = annotationKeyCache.get(name);
  if (!keys) {
    keys = [
      `${METALLB_PREFIX}/${name}`,
      `${DEPRECATED_METALLB_PREFIX}/${name}`,
    ];
    if (annotationKeyCache.size < 64) annotationKeyCache.set(name, keys);
  }
  return keys;
}

/** Reads a MetalLB annotation the way the running version does (`valueForAnnotation`). */
export function metallbAnnotation(
  annotations: Record<string, string>,
  name: string,
  features: MetallbFeatures,
): { value: string; key: string } | undefined {
  const [stable, deprecated] = annotationKeys(name);
  // The metallb.io/ key wins even when empty; releases before 0.14.9 know only the old prefix.
  if (features.metallbIoPrefix && stable in annotations)
    return { value: annotations[stable], key: stable };
  if (deprecated in annotations)
    return { value: annotations[deprecated], key: deprecated };
  return undefined;
}

/** The annotation name MetalLB quotes in its messages. */
export function loadBalancerIPsAnnotationName(
  features: MetallbFeatures,
): string {
  return `${
    features.metallbIoPrefix ? METALLB_PREFIX : DEPRECATED_METALLB_PREFIX
  }/loadBalancerIPs`;
}

/** Go's `ipfamily.ForAddresses` on strings. */
export function familyForAddresses(
  texts: string[],
): { family: ServiceFamily } | { error: string } {
  // Only error messages quote the addresses; most Services have valid ones.
  const quoted = () => `[${texts.map(t => JSON.stringify(t)).join(' ')}]`;
  if (texts.length === 1) {
    const ip = parseIp(texts[0]);
    if (!ip)
      return { error: `IPFamilyForAddresses: Invalid address ${quoted()}` };
    return { family: ip.family };
  }
  if (texts.length === 2) {
    const a = parseIp(texts[0]);
    const b = parseIp(texts[1]);
    if (!a || !b)
      return { error: `IPFamilyForAddresses: Invalid address ${quoted()}` };
    if (a.family === b.family)
      return { error: `IPFamilyForAddresses: same address family ${quoted()}` };
    return { family: 'dual' };
  }
  return {
    error: `IPFamilyForAddresses: invalid ips length ${
      texts.length
    } ${quoted()}`,
  };
}

/** `ipfamily.ForAddressesIPs`: parsed IPs printed back (a nil IP prints `<nil>`). */
export function familyForIps(
  ips: ReadonlyArray<IpAddress | undefined>,
): { family: ServiceFamily } | { error: string } {
  // The common valid cases need no printing and re-parsing (an IPv4-mapped IPv6 value would
  // re-parse as IPv4, so those take the long way).
  const plain = (ip: IpAddress | undefined) =>
    ip !== undefined && (ip.family === 'ipv4' || ip.value >> 32n !== 0xffffn);
  if (ips.length === 1 && plain(ips[0])) return { family: ips[0]!.family };
  if (
    ips.length === 2 &&
    plain(ips[0]) &&
    plain(ips[1]) &&
    ips[0]!.family !== ips[1]!.family
  )
    return { family: 'dual' };
  return familyForAddresses(ips.map(ip => (ip ? formatIp(ip) : '<nil>')));
}

/** What `getDesiredLbIPs` returns. */
export type DesiredIps =
  | { kind: 'none' }
  | { kind: 'ips'; ips: IpAddress[]; family: ServiceFamily }
  | { kind: 'error'; message: string; cause: 'both' | 'invalid' | 'family' };

/** `getDesiredLbIPs`: the IPs the Service asks for. */
export function desiredIps(
  service: Service,
  features: MetallbFeatures,
): DesiredIps {
  const annotation =
    metallbAnnotation(annotationsOf(service), 'loadBalancerIPs', features)
      ?.value ?? '';
  const field =
    typeof service.spec?.loadBalancerIP === 'string'
      ? service.spec.loadBalancerIP
      : '';
  if (annotation === '' && field === '') return { kind: 'none' };
  const name = loadBalancerIPsAnnotationName(features);
  if (annotation !== '' && field !== '') {
    return {
      kind: 'error',
      cause: 'both',
      message: `service can not have both ${name} and svc.Spec.LoadBalancerIP`,
    };
  }
  if (annotation !== '') {
    const ips: IpAddress[] = [];
    for (const part of annotation.split(',')) {
      const ip = parseIp(part.trim());
      if (!ip)
        return {
          kind: 'error',
          cause: 'invalid',
          message: `invalid ${name}: ${JSON.stringify(annotation)}`,
        };
      ips.push(ip);
    }
    const family = familyForIps(ips);
    if ('error' in family)
      return { kind: 'error', cause: 'family', message: family.error };
    return { kind: 'ips', ips, family: family.family };
  }
  const ip = parseIp(field);
  if (!ip)
    return {
      kind: 'error',
      cause: 'invalid',
      message: `invalid spec.loadBalancerIP ${JSON.stringify(field)}`,
    };
  return { kind: 'ips', ips: [ip], family: ip.family };
}

/** Where each requested IP comes from, for display; every source, even those MetalLB ignores. */
export function requestSources(
  service: Service,
): Array<{ source: RequestSource; value: string }> {
  const annotations = annotationsOf(service);
  const result: Array<{ source: RequestSource; value: string }> = [];
  for (const source of [
    'metallb.io/loadBalancerIPs',
    'metallb.universe.tf/loadBalancerIPs',
  ] as const) {
    if (source in annotations)
      result.push({ source, value: annotations[source] });
  }
  const field = service.spec?.loadBalancerIP;
  if (typeof field === 'string' && field !== '')
    result.push({ source: 'spec.loadBalancerIP', value: field });
  return result;
}

/** `k8salloc.Ports`: protocol defaults to TCP, as the API server would default it. */
export function portsOf(service: Service): Port[] {
  const ports = Array.isArray(service.spec?.ports) ? service.spec!.ports : [];
  return ports
    .filter(p => p && typeof p === 'object')
    .map(p => ({
      protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
      port: Number(p.port) || 0,
    }));
}

/** `SharingKey` + `k8salloc.BackendKey`. */
export function sharingKeyOf(
  service: Service,
  features: MetallbFeatures,
): SharingKey {
  const sharing =
    metallbAnnotation(annotationsOf(service), 'allow-shared-ip', features)
      ?.value ?? '';
  const selector = service.spec?.selector;
  const backend =
    service.spec?.externalTrafficPolicy === 'Local'
      ? labelSetString(
          typeof selector === 'object' && selector !== null ? selector : {},
        )
      : '';
  return { sharing, backend };
}

/** The Service's family policy (`nil` means SingleStack); before 0.14.9 PreferDualStack acted as RequireDualStack. */
export function familyPolicyOf(
  service: Service,
  features: MetallbFeatures,
): FamilyPolicy {
  const policy = service.spec?.ipFamilyPolicy;
  if (policy === 'PreferDualStack')
    return features.preferDualStack ? 'PreferDualStack' : 'RequireDualStack';
  if (policy === 'RequireDualStack') return 'RequireDualStack';
  return 'SingleStack';
}

/** The cluster IPs (`spec.clusterIPs`, falling back to `spec.clusterIP`). */
export function clusterIpsOf(service: Service): string[] {
  const ips = service.spec?.clusterIPs;
  if (Array.isArray(ips) && ips.length > 0) return ips.map(String);
  const ip = service.spec?.clusterIP;
  return typeof ip === 'string' && ip !== '' ? [ip] : [];
}

/** `%q` of a string list, Go style. */
export function quoteStrings(values: string[]): string {
  return `[${values.map(v => JSON.stringify(v)).join(' ')}]`;
}

export { quoteIps };
