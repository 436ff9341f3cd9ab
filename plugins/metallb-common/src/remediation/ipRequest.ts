import type { Service } from '../model/kubernetes';
import type { Remediation } from '../model/report';
import {
  effectiveMetallbAnnotation,
  METALLB_ANNOTATION,
  METALLB_ANNOTATION_PREFIX,
  MetallbAnnotationPrefix,
  normalizeMetallbAnnotationPrefix,
  otherPrefix,
} from './annotations';
import { paragraphs, serviceNotes, verifyCommand } from './common';
import {
  cleanServiceManifest,
  serviceIdentity,
  ServiceManifest,
} from './manifest';
import {
  asRecord,
  commaList,
  IpFamily,
  ipFamily,
  ManifestObject,
  ManifestValue,
  mergePatchCommand,
  nonEmptyString,
  stringArray,
  stringRecord,
  toYaml,
} from './util';

/** A change to a Service's annotations and spec.loadBalancerIP, as a manifest and a merge patch. */
export interface ServiceChange {
  set: Record<string, string>;
  remove: string[];
  removeLoadBalancerIP: boolean;
  /** Request this IP through spec.loadBalancerIP (MetalLB before 0.12.0 reads nothing else). */
  setLoadBalancerIP?: string;
}

export interface AppliedChange {
  manifest: ServiceManifest;
  /** `undefined` when the live object already matches. */
  patch: ManifestObject | undefined;
}

/**
 * Applies a change to a clean copy and computes the merge patch from the live values, so that the
 * patch holds only real differences and removes fields in the same request that sets the new ones
 * (MetalLB refuses a Service with both the field and the annotation, even for a moment).
 */
export function applyServiceChange(
  service: Service,
  change: ServiceChange,
): AppliedChange {
  const live = stringRecord(asRecord(asRecord(service).metadata).annotations);
  const manifest = cleanServiceManifest(service);
  const annotations = { ...(manifest.metadata.annotations ?? {}) };
  const annotationPatch: Record<string, ManifestValue> = {};
  for (const key of change.remove) {
    delete annotations[key];
    if (key in live) annotationPatch[key] = null;
  }
  for (const [key, value] of Object.entries(change.set)) {
    annotations[key] = value;
    if (live[key] !== value) annotationPatch[key] = value;
  }
  if (Object.keys(annotations).length > 0)
    manifest.metadata.annotations = annotations;
  else delete manifest.metadata.annotations;

  const patch: ManifestObject = {};
  if (Object.keys(annotationPatch).length > 0)
    patch.metadata = { annotations: annotationPatch };
  if (
    change.removeLoadBalancerIP &&
    typeof manifest.spec.loadBalancerIP === 'string'
  ) {
    delete manifest.spec.loadBalancerIP;
    patch.spec = { loadBalancerIP: null };
  } else if (
    change.setLoadBalancerIP !== undefined &&
    manifest.spec.loadBalancerIP !== change.setLoadBalancerIP
  ) {
    manifest.spec.loadBalancerIP = change.setLoadBalancerIP;
    patch.spec = { loadBalancerIP: change.setLoadBalancerIP };
  }
  return { manifest, patch: Object.keys(patch).length > 0 ? patch : undefined };
}

/** The remediation around one Service change: YAML of the result, a patch, a check. */
export function changeRemediation(
  service: Service,
  id: string,
  title: string,
  description: string,
  change: ServiceChange,
): Remediation {
  const { namespace, name } = serviceIdentity(service);
  const { manifest, patch } = applyServiceChange(service, change);
  const commands = patch
    ? [
        mergePatchCommand('service', namespace, name, patch),
        verifyCommand(namespace, name),
      ]
    : [verifyCommand(namespace, name)];
  return {
    id,
    title,
    description: paragraphs(
      description,
      patch
        ? 'The patch command changes only these fields and leaves the rest of the live Service alone. The YAML shows the whole Service afterwards, for the files it is deployed from: applied with kubectl apply it does not remove fields kubectl apply did not set itself, so use the patch on the live cluster (or kubectl replace -f).'
        : 'The live Service already looks like this; nothing needs to be patched.',
      ...serviceNotes(service),
    ),
    yaml: toYaml([
      {
        object: manifest as unknown as ManifestObject,
        comment: `${namespace}/${name} after the change`,
      },
    ]),
    commands,
  };
}

function loadBalancerIPOf(service: Service): string | undefined {
  return nonEmptyString(asRecord(asRecord(service).spec).loadBalancerIP);
}

function annotationsOf(service: Service): Record<string, string> {
  return stringRecord(asRecord(asRecord(service).metadata).annotations);
}

/** Keys to remove so only `prefix`'s copy of an annotation remains. */
function staleKeys(prefix: MetallbAnnotationPrefix, suffix: string): string[] {
  // MetalLB older than 0.14.9 does not read metallb.io/ at all; only the current prefix makes the old key dead weight.
  return prefix === METALLB_ANNOTATION_PREFIX
    ? [`${otherPrefix(prefix)}${suffix}`]
    : [];
}

function isDualStack(service: Service): boolean {
  const spec = asRecord(asRecord(service).spec);
  return (
    stringArray(spec.clusterIPs).length >= 2 ||
    spec.ipFamilyPolicy === 'RequireDualStack'
  );
}

/** Parameters of {@link moveToAnnotationRemediation}. @public */
export interface MoveToAnnotationParams {
  /** `metallb.io/` (default) or `metallb.universe.tf/` when the cluster's MetalLB is older than 0.14.9. */
  annotationPrefix?: string;
}

/**
 * `move-to-annotation`: replace the deprecated `spec.loadBalancerIP` with MetalLB's
 * loadBalancerIPs annotation (same IP) in a single patch.
 * @public
 */
export function moveToAnnotationRemediation(
  service: Service,
  params: MoveToAnnotationParams = {},
): Remediation {
  const { namespace, name } = serviceIdentity(service);
  const prefix = normalizeMetallbAnnotationPrefix(params.annotationPrefix);
  const key = `${prefix}${METALLB_ANNOTATION.loadBalancerIPs}`;
  const ip = loadBalancerIPOf(service);
  if (!ip) {
    return changeRemediation(
      service,
      'move-to-annotation',
      `${namespace}/${name} does not set spec.loadBalancerIP`,
      `Nothing to move: the Service has no spec.loadBalancerIP. To request an IP from MetalLB, use the ${key} annotation.`,
      { set: {}, remove: [], removeLoadBalancerIP: false },
    );
  }
  const current = effectiveMetallbAnnotation(
    annotationsOf(service),
    METALLB_ANNOTATION.loadBalancerIPs,
  );
  return changeRemediation(
    service,
    'move-to-annotation',
    `Request ${ip} for ${namespace}/${name} with ${key} instead of spec.loadBalancerIP`,
    paragraphs(
      `Why: spec.loadBalancerIP is deprecated in Kubernetes (since 1.24) because every load-balancer controller reads it differently, some controllers write it themselves, and it cannot hold the two addresses a dual-stack Service needs. MetalLB's own way to request an address is the ${key} annotation, which only MetalLB reads.`,
      `The patch sets ${key}: "${ip}" and removes spec.loadBalancerIP in the same request. Both must change together: MetalLB refuses a Service that sets both, even to the same IP, and would drop its address until one is removed. The requested IP stays ${ip}, so MetalLB keeps the address it has.`,
      current &&
        current.value.trim() !== ip &&
        `The Service's existing ${current.key} value "${current.value}" is replaced by ${ip}. If that value was the one you meant, use the remove-duplicate-request remediation instead.`,
      prefix !== METALLB_ANNOTATION_PREFIX &&
        'The metallb.universe.tf/ prefix is used because this MetalLB is older than 0.14.9; after upgrading, rename it to metallb.io/ (newer releases still read the old one but warn about it).',
      asRecord(asRecord(asRecord(service).metadata).labels).implementation ===
        'kube-vip' &&
        'The label implementation=kube-vip suggests kube-vip-cloud-provider manages this Service; it writes spec.loadBalancerIP itself and will put the field back while it runs.',
    ),
    {
      set: { [key]: ip },
      remove: staleKeys(prefix, METALLB_ANNOTATION.loadBalancerIPs),
      removeLoadBalancerIP: true,
    },
  );
}

/** Parameters of {@link removeDuplicateRequestRemediation}. @public */
export interface RemoveDuplicateRequestParams {
  /** `metallb.io/` (default) or `metallb.universe.tf/` when the cluster's MetalLB is older than 0.14.9. */
  annotationPrefix?: string;
}

/**
 * `remove-duplicate-request`: the Service sets both `spec.loadBalancerIP` and the loadBalancerIPs
 * annotation, which MetalLB refuses; keep the annotation's value and drop the field.
 * @public
 */
export function removeDuplicateRequestRemediation(
  service: Service,
  params: RemoveDuplicateRequestParams = {},
): Remediation {
  const { namespace, name } = serviceIdentity(service);
  const prefix = normalizeMetallbAnnotationPrefix(params.annotationPrefix);
  const field = loadBalancerIPOf(service);
  const current = effectiveMetallbAnnotation(
    annotationsOf(service),
    METALLB_ANNOTATION.loadBalancerIPs,
  );
  const key = current?.key ?? `${prefix}${METALLB_ANNOTATION.loadBalancerIPs}`;
  const value = current?.value.trim() ?? '';
  // An empty annotation requests nothing, so keeping it would silently drop the only real request.
  const kept = value !== '' ? value : field;
  const set: Record<string, string> = kept ? { [key]: kept } : {};
  const why =
    'Why: MetalLB reads a requested IP from two places, the deprecated spec.loadBalancerIP field and its loadBalancerIPs annotation, and refuses a Service that sets both, even when the values are equal ("service can not have both metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP"): the Service gets no IP, or loses the one it has.';
  return changeRemediation(
    service,
    'remove-duplicate-request',
    `Keep ${key}${
      kept ? ` (${kept})` : ''
    } on ${namespace}/${name} and remove spec.loadBalancerIP`,
    paragraphs(
      why,
      !field &&
        'This Service does not set spec.loadBalancerIP now; nothing conflicts.',
      field &&
        value !== '' &&
        `The annotation ${key} ("${value}") is kept and spec.loadBalancerIP is removed.`,
      field &&
        value !== '' &&
        value !== field &&
        `The two disagreed: spec.loadBalancerIP asked for ${field}, which is dropped, so MetalLB uses ${value}. If ${field} is the address you meant, use the move-to-annotation remediation instead.`,
      field &&
        value === '' &&
        `The annotation ${key} is empty, so the value of spec.loadBalancerIP (${field}) is moved into it and the field is removed.`,
      'The field is removed in the same request that keeps the annotation, so MetalLB never sees both again.',
    ),
    { set, remove: [], removeLoadBalancerIP: true },
  );
}

/** Parameters of {@link useFreeIpRemediation}. @public */
export interface UseFreeIpParams {
  /** The free IP to request, or one IPv4 and one IPv6 for a dual-stack Service (list or comma-separated). */
  ips: string[] | string;
  /** The MetalLB pool the IP belongs to (named in the text, and pinned with the address-pool annotation unless `pinPool` is false). */
  pool?: string;
  /** Also set the address-pool annotation. Default true when `pool` is given: MetalLB then checks the IP is in that pool. */
  pinPool?: boolean;
  /** `metallb.io/` (default) or `metallb.universe.tf/` when the cluster's MetalLB is older than 0.14.9. */
  annotationPrefix?: string;
}

/** Keeps valid IPs, at most one per family, in the given order. */
function selectIps(value: unknown): { kept: string[]; dropped: string[] } {
  const raw = commaList(value);
  const kept: string[] = [];
  const dropped: string[] = [];
  const seen = new Set<IpFamily>();
  for (const ip of raw) {
    const family = ipFamily(ip);
    if (family === null || seen.has(family)) dropped.push(ip);
    else {
      seen.add(family);
      kept.push(ip);
    }
  }
  return { kept, dropped };
}

/**
 * `use-free-ip`: request a given free IP (from a named pool) through MetalLB's annotation.
 * @public
 */
export function useFreeIpRemediation(
  service: Service,
  params: UseFreeIpParams,
): Remediation {
  const { namespace, name } = serviceIdentity(service);
  const prefix = normalizeMetallbAnnotationPrefix(params?.annotationPrefix);
  const { kept, dropped } = selectIps(params?.ips);
  const pool = nonEmptyString(params?.pool);
  const ipKey = `${prefix}${METALLB_ANNOTATION.loadBalancerIPs}`;
  const poolKey = `${prefix}${METALLB_ANNOTATION.addressPool}`;
  if (kept.length === 0) {
    return {
      id: 'use-free-ip',
      title: `No valid IP to request for ${namespace}/${name}`,
      description: `None of the given values (${
        dropped.join(', ') || 'none'
      }) is an IP address, so no change can be proposed. Pick a free address from a MetalLB pool.`,
    };
  }
  const pinPool = pool !== undefined && params.pinPool !== false;
  const set: Record<string, string> = { [ipKey]: kept.join(',') };
  const remove = staleKeys(prefix, METALLB_ANNOTATION.loadBalancerIPs);
  if (pinPool && pool) {
    set[poolKey] = pool;
    remove.push(...staleKeys(prefix, METALLB_ANNOTATION.addressPool));
  }
  const dual = isDualStack(service);
  const current = asRecord(
    asRecord(asRecord(service).status).loadBalancer,
  ).ingress;
  const currentIps = (Array.isArray(current) ? current : [])
    .map(entry => nonEmptyString(asRecord(entry).ip))
    .filter((ip): ip is string => ip !== undefined);
  return changeRemediation(
    service,
    'use-free-ip',
    `Request the free IP ${kept.join(',')}${
      pool ? ` from pool ${pool}` : ''
    } for ${namespace}/${name}`,
    paragraphs(
      `Why: MetalLB only gives a requested address when it is free and inside one of its pools. ${kept.join(
        ' and ',
      )} ${kept.length > 1 ? 'are' : 'is'} free${
        pool ? ` in MetalLB's pool ${pool}` : ''
      }, so the patch requests ${
        kept.length > 1 ? 'them' : 'it'
      } with the ${ipKey} annotation${
        loadBalancerIPOf(service)
          ? ' and removes the deprecated spec.loadBalancerIP in the same request (MetalLB refuses a Service that sets both)'
          : ''
      }.`,
      pinPool &&
        `The ${poolKey} annotation names the pool too; MetalLB then refuses the IP if it is not in ${pool}, which catches typos.`,
      currentIps.length > 0 &&
        `The Service's external IP changes from ${currentIps.join(
          ', ',
        )} to ${kept.join(
          ', ',
        )}: MetalLB releases the old address before assigning the new one, and clients or DNS records using the old address must be updated.`,
      dual &&
        kept.length < 2 &&
        'This Service is dual-stack: MetalLB needs one IPv4 and one IPv6 address in the annotation and will refuse a single one.',
      !dual &&
        kept.length > 1 &&
        'This Service is single-stack: MetalLB refuses two addresses for it; request only the one of its family.',
      dropped.length > 0 &&
        `Left out: ${dropped.join(
          ', ',
        )} (not an IP address, or a second address of the same family, which MetalLB refuses).`,
    ),
    { set, remove, removeLoadBalancerIP: true },
  );
}

/** Parameters of {@link useAddressPoolRemediation}. @public */
export interface UseAddressPoolParams {
  /** The MetalLB IPAddressPool to take an address from. */
  pool: string;
  /** `metallb.io/` (default) or `metallb.universe.tf/` when the cluster's MetalLB is older than 0.14.9. */
  annotationPrefix?: string;
}

/**
 * `use-address-pool`: stop asking for a fixed IP and let MetalLB pick one from a named pool.
 * @public
 */
export function useAddressPoolRemediation(
  service: Service,
  params: UseAddressPoolParams,
): Remediation {
  const { namespace, name } = serviceIdentity(service);
  const prefix = normalizeMetallbAnnotationPrefix(params?.annotationPrefix);
  const pool = nonEmptyString(params?.pool);
  const poolKey = `${prefix}${METALLB_ANNOTATION.addressPool}`;
  if (!pool) {
    return {
      id: 'use-address-pool',
      title: `No pool given for ${namespace}/${name}`,
      description: `No pool name was given, so no change can be proposed. Name one of MetalLB's IPAddressPools to put in the ${poolKey} annotation.`,
    };
  }
  const requestKeys = [
    `${METALLB_ANNOTATION_PREFIX}${METALLB_ANNOTATION.loadBalancerIPs}`,
    `${otherPrefix(METALLB_ANNOTATION_PREFIX)}${
      METALLB_ANNOTATION.loadBalancerIPs
    }`,
  ];
  const annotations = annotationsOf(service);
  const hadFixed =
    loadBalancerIPOf(service) !== undefined ||
    requestKeys.some(k => k in annotations);
  return changeRemediation(
    service,
    'use-address-pool',
    `Let MetalLB pick ${namespace}/${name}'s IP from pool ${pool}`,
    paragraphs(
      `Why: asking for one fixed address fails whenever that address is taken or outside MetalLB's pools. With the ${poolKey}: ${pool} annotation MetalLB picks a free address from that pool itself (also from a pool with autoAssign: false).`,
      hadFixed &&
        'The fixed requests (spec.loadBalancerIP and the loadBalancerIPs annotations) are removed in the same patch; otherwise they would still decide the address.',
      `If the Service's current address already comes from ${pool}, it keeps it; otherwise it gets the first free address of ${pool}, so its external IP may change. If ${pool} does not exist or is full, the Service gets no address (MetalLB does not fall back to other pools).`,
      'The pool must also allow this Service: an IPAddressPool with serviceAllocation only serves the namespaces and Service labels it lists.',
    ),
    {
      set: { [poolKey]: pool },
      remove: [
        ...requestKeys,
        ...staleKeys(prefix, METALLB_ANNOTATION.addressPool),
      ],
      removeLoadBalancerIP: true,
    },
  );
}
