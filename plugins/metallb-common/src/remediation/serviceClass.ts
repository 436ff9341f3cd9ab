import type { Service } from '../model/kubernetes';
import type { Remediation } from '../model/report';
import {
  effectiveMetallbAnnotation,
  METALLB_ANNOTATION,
  normalizeMetallbAnnotationPrefix,
  otherPrefix,
} from './annotations';
import {
  backupCommand,
  finalizerHint,
  manifestFileName,
  paragraphs,
  serviceNotes,
  verifyCommand,
} from './common';
import {
  keyInDomains,
  LoadBalancerControllerProfile,
  resolveController,
} from './controllers';
import {
  cleanServiceManifest,
  serviceIdentity,
  ServiceManifest,
  setManifestClass,
} from './manifest';
import {
  asRecord,
  commaList,
  fileSlug,
  ipFamily,
  ManifestObject,
  ManifestValue,
  kubectl,
  listPhrase,
  mergePatchCommand,
  nonEmptyString,
  toYaml,
} from './util';

const METALLB_DOMAINS = ['metallb.io', 'metallb.universe.tf'];
/**
 * external-dns publishes one record per hostname annotation; on two Services the two would
 * fight over the record, so these stay on the original only.
 */
const EXTERNAL_DNS_DOMAIN = ['external-dns.alpha.kubernetes.io'];

const QUALIFIED_NAME =
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Whether the API server accepts the text as `spec.loadBalancerClass` (a qualified name). @public */
export function isValidLoadBalancerClass(value: string): boolean {
  if (!QUALIFIED_NAME.test(value)) return false;
  const slash = value.lastIndexOf('/');
  const prefix = slash < 0 ? '' : value.slice(0, slash);
  return value.slice(slash + 1).length <= 63 && prefix.length <= 253;
}

function classNote(loadBalancerClass: string): string {
  return isValidLoadBalancerClass(loadBalancerClass)
    ? ''
    : `Warning: "${loadBalancerClass}" is not a valid class name (an optional DNS prefix, "/", and a name of at most 63 letters, digits, "-", "_" or "."): the API server will refuse it.`;
}

function currentClass(service: Service): string | undefined {
  return nonEmptyString(asRecord(asRecord(service).spec).loadBalancerClass);
}

function removeAnnotations(
  manifest: ServiceManifest,
  keep: (key: string) => boolean,
): string[] {
  const annotations = manifest.metadata.annotations;
  if (!annotations) return [];
  const removed = Object.keys(annotations).filter(key => !keep(key));
  for (const key of removed) delete annotations[key];
  if (Object.keys(annotations).length === 0)
    delete manifest.metadata.annotations;
  return removed;
}

function setAnnotation(
  manifest: ServiceManifest,
  key: string,
  value: string,
): void {
  manifest.metadata.annotations = {
    ...(manifest.metadata.annotations ?? {}),
    [key]: value,
  };
}

function noClassRemediation(
  id: 'set-load-balancer-class' | 'split-service',
  service: Service,
  profile: LoadBalancerControllerProfile,
): Remediation {
  const { namespace, name } = serviceIdentity(service);
  return {
    id,
    title: `No class to separate ${profile.displayName} from MetalLB on ${namespace}/${name}`,
    description: paragraphs(
      `${profile.displayName} has no spec.loadBalancerClass that LB Doctor knows of (or none was given), so the Service cannot be handed to it by class.`,
      profile.switchRemediationId
        ? `Use ${profile.displayName}'s own switch instead (remediation "${profile.switchRemediationId}"), or pass the class it is configured to serve.`
        : `Pass the class ${profile.displayName} is configured to serve, or stop one of the two controllers from handling this Service.`,
    ),
  };
}

function switchNote(
  profile: LoadBalancerControllerProfile,
  what: string,
): string {
  if (!profile.takesClasslessServices || profile.id === 'metallb') return '';
  return `${profile.displayName} also takes Services without a class${
    profile.switchRemediationId
      ? ` unless told otherwise (remediation "${profile.switchRemediationId}")`
      : ''
  }: ${what}`;
}

/** Parameters of {@link setLoadBalancerClassRemediation}. @public */
export interface SetLoadBalancerClassParams {
  /** The class to set; defaults to the controller's known class (chisel-operator: `chisel-operator.io/chisel-operator-class`). */
  loadBalancerClass?: string;
  /** The controller that should serve the Service: a `ControllerId` (`chisel-operator`) or a display name. */
  controller?: string;
  /**
   * Keep MetalLB's annotations (loadBalancerIPs, address-pool, allow-shared-ip). Default: only when
   * the controller is MetalLB itself (running with `--lb-class`); another controller never reads them.
   */
  keepMetallbAnnotations?: boolean;
}

/**
 * `set-load-balancer-class`: recreate the Service with the other controller's `spec.loadBalancerClass`
 * so MetalLB (without `--lb-class`) leaves it alone. The field cannot be added to an existing
 * LoadBalancer Service, hence export, delete, apply.
 * @public
 */
export function setLoadBalancerClassRemediation(
  service: Service,
  params: SetLoadBalancerClassParams = {},
): Remediation {
  const profile = resolveController(params.controller);
  const loadBalancerClass =
    nonEmptyString(params.loadBalancerClass) ?? profile.loadBalancerClass;
  if (!loadBalancerClass)
    return noClassRemediation('set-load-balancer-class', service, profile);
  const { namespace, name } = serviceIdentity(service);
  const existing = currentClass(service);

  const manifest = cleanServiceManifest(service);
  setManifestClass(manifest, loadBalancerClass);
  const keepMetallb = params.keepMetallbAnnotations ?? profile.id === 'metallb';
  const removed = keepMetallb
    ? []
    : removeAnnotations(manifest, key => !keyInDomains(key, METALLB_DOMAINS));
  const loadBalancerIP = nonEmptyString(manifest.spec.loadBalancerIP);
  // A controller that never reads the field would only carry a stale MetalLB request along.
  const dropLoadBalancerIP =
    loadBalancerIP !== undefined &&
    profile.readsLoadBalancerIP === false &&
    !keepMetallb;
  if (dropLoadBalancerIP) delete manifest.spec.loadBalancerIP;
  const file = manifestFileName(namespace, name, 'lb-class');
  const yaml = toYaml([
    {
      object: manifest as unknown as ManifestObject,
      comment: `${namespace}/${name} recreated with spec.loadBalancerClass ${loadBalancerClass}`,
    },
  ]);

  if (existing === loadBalancerClass) {
    return {
      id: 'set-load-balancer-class',
      title: `${namespace}/${name} already has class ${loadBalancerClass}`,
      description: paragraphs(
        `The Service already sets spec.loadBalancerClass: ${loadBalancerClass}, so MetalLB without --lb-class ignores it and only ${profile.displayName} should serve it. Nothing needs to be recreated.`,
        ...serviceNotes(service),
      ),
      yaml,
      commands: [verifyCommand(namespace, name)],
    };
  }

  const description = paragraphs(
    `Why: MetalLB and ${profile.displayName} both act on LoadBalancer Services that have no spec.loadBalancerClass, and each keeps overwriting the external IP the other wrote. A LoadBalancer class is a label on the Service that says which controller owns it. MetalLB started without --lb-class ignores every Service that has any class, so with class ${loadBalancerClass} this Service is served by ${profile.displayName} alone.`,
    existing
      ? `The Service has class ${existing} today; Kubernetes never lets a class change, so it has to be recreated.`
      : 'Kubernetes only accepts spec.loadBalancerClass when a LoadBalancer Service is created (it cannot be added or changed later), so the Service is saved, deleted and created again with the same name and namespace.',
    `Expect a short outage: from the delete until ${profile.displayName} publishes its address the Service has no external IP, and the Service gets a new cluster-internal IP (clients that use its DNS name ${name}.${namespace}.svc are not affected by that). Node ports are kept. If no downtime is acceptable, use the split-service remediation instead: a second Service for ${profile.displayName} next to the untouched original.`,
    removed.length > 0 &&
      `MetalLB's annotations ${listPhrase(
        removed,
      )} are left out: MetalLB no longer handles this Service, and ${
        profile.displayName
      } does not read them.`,
    dropLoadBalancerIP &&
      `spec.loadBalancerIP (${loadBalancerIP}) is left out: ${profile.displayName} does not read it, and the field is deprecated.`,
    loadBalancerIP !== undefined &&
      !dropLoadBalancerIP &&
      `spec.loadBalancerIP (${loadBalancerIP}) is kept because ${profile.displayName} may read it as the address to use; remove it if it was meant for MetalLB.`,
    classNote(loadBalancerClass),
    switchNote(
      profile,
      'other class-less Services stay contested until that is changed too.',
    ),
    `Steps: save the YAML below as ${file}, then run the commands in order (the first one keeps a backup of the live Service).`,
    finalizerHint(service),
    ...serviceNotes(service),
  );

  return {
    id: 'set-load-balancer-class',
    title: `Recreate ${namespace}/${name} with loadBalancerClass ${loadBalancerClass} (${profile.displayName})`,
    description,
    yaml,
    commands: [
      backupCommand(namespace, name),
      kubectl('delete', 'service', namespace, name, '--wait=true'),
      `kubectl apply -f ${file}`,
      verifyCommand(namespace, name),
    ],
  };
}

/** Parameters of {@link splitServiceRemediation}. @public */
export interface SplitServiceParams {
  /** The other controller: a `ControllerId` (`chisel-operator`) or a display name. */
  controller?: string;
  /** Its class; defaults to the controller's known class. */
  loadBalancerClass?: string;
  /** Suffix of the new Service's name (`<name>-<suffix>`); defaults per controller (`chisel`). */
  suffix?: string;
  /** MetalLB's `--lb-class`, when it runs with one; the original then needs that class. */
  metallbLoadBalancerClass?: string | null;
  /**
   * IPs the MetalLB Service requests (through the loadBalancerIPs annotation). Default: what the
   * Service requests today (annotation, else spec.loadBalancerIP). An empty list requests none.
   */
  metallbIPs?: string[] | string;
  /** `metallb.io/` (default) or `metallb.universe.tf/` for MetalLB older than 0.14.9. */
  annotationPrefix?: string;
  /** Annotation domains that belong to the other controller, in addition to the known ones. */
  foreignAnnotationDomains?: string[];
}

function metallbIpSentence(
  name: string,
  ips: string[],
  ipKey: string,
  hadLoadBalancerIP: boolean,
): string {
  if (ips.length === 0) {
    return hadLoadBalancerIP
      ? `spec.loadBalancerIP is removed from ${name}; MetalLB gives it an address from its pools.`
      : '';
  }
  const removal = hadLoadBalancerIP
    ? '; the deprecated spec.loadBalancerIP field is removed in the same change, because MetalLB refuses a Service that sets both'
    : '';
  const invalid = ips.filter(ip => ipFamily(ip) === null);
  const check =
    invalid.length > 0
      ? ` Check the value: ${invalid.join(', ')} is not an IP address.`
      : '';
  return `${name} requests ${ips.join(
    ',',
  )} from MetalLB through the ${ipKey} annotation${removal}.${check}`;
}

function derivedMetallbIps(
  service: Service,
  annotations: Record<string, string>,
): string[] {
  const fromAnnotation = effectiveMetallbAnnotation(
    annotations,
    METALLB_ANNOTATION.loadBalancerIPs,
  );
  if (fromAnnotation) return commaList(fromAnnotation.value);
  const field = nonEmptyString(asRecord(asRecord(service).spec).loadBalancerIP);
  return field ? [field] : [];
}

function newServiceName(
  name: string,
  suffix: string,
): { name: string; truncated: boolean } {
  const room = 63 - suffix.length - 1;
  if (name.length <= room)
    return { name: `${name}-${suffix}`, truncated: false };
  return {
    name: `${name.slice(0, room).replace(/[-.]+$/, '')}-${suffix}`,
    truncated: true,
  };
}

/**
 * `split-service`: keep the Service for MetalLB and add `<name>-<suffix>` with the same selector
 * and ports for the other controller, each with only its own annotations. No downtime for the
 * original: it keeps its name, cluster IP, node ports and (requested) MetalLB IP.
 * @public
 */
export function splitServiceRemediation(
  service: Service,
  params: SplitServiceParams = {},
): Remediation {
  const profile = resolveController(params.controller);
  const loadBalancerClass =
    nonEmptyString(params.loadBalancerClass) ?? profile.loadBalancerClass;
  if (!loadBalancerClass)
    return noClassRemediation('split-service', service, profile);
  const { namespace, name } = serviceIdentity(service);
  const prefix = normalizeMetallbAnnotationPrefix(params.annotationPrefix);
  const metallbClass = nonEmptyString(
    params.metallbLoadBalancerClass ?? undefined,
  );
  const foreignDomains = [
    ...profile.annotationDomains,
    ...(Array.isArray(params.foreignAnnotationDomains)
      ? params.foreignAnnotationDomains
      : []
    ).filter((d): d is string => typeof d === 'string' && d.trim() !== ''),
  ];
  const isForeign = (key: string) => keyInDomains(key, foreignDomains);
  const isMetallb = (key: string) => keyInDomains(key, METALLB_DOMAINS);

  const suffix = fileSlug(
    nonEmptyString(params.suffix) ?? '',
    profile.splitSuffix,
  ).replace(/\./g, '-');
  const split = newServiceName(name, suffix);

  const original = cleanServiceManifest(service);
  const liveAnnotations = { ...(original.metadata.annotations ?? {}) };
  const hadLoadBalancerIP = typeof original.spec.loadBalancerIP === 'string';
  const ips =
    params.metallbIPs === undefined
      ? derivedMetallbIps(service, liveAnnotations)
      : commaList(params.metallbIPs);

  // The new Service for the other controller.
  const foreign = cleanServiceManifest(service, {
    name: split.name,
    keepNodePorts: false,
    dropOwnershipMarks: true,
  });
  setManifestClass(foreign, loadBalancerClass);
  delete foreign.spec.loadBalancerIP;
  const droppedFromForeign = removeAnnotations(
    foreign,
    key => !isMetallb(key) && !keyInDomains(key, EXTERNAL_DNS_DOMAIN),
  );

  // The original, now MetalLB's only.
  const movedAway = removeAnnotations(original, key => !isForeign(key));
  delete original.spec.loadBalancerIP;
  const ipKey = `${prefix}${METALLB_ANNOTATION.loadBalancerIPs}`;
  const staleIpKey = `${otherPrefix(prefix)}${
    METALLB_ANNOTATION.loadBalancerIPs
  }`;
  if (ips.length > 0) setAnnotation(original, ipKey, ips.join(','));
  else if (original.metadata.annotations)
    delete original.metadata.annotations[ipKey];
  if (
    original.metadata.annotations &&
    staleIpKey in original.metadata.annotations
  ) {
    delete original.metadata.annotations[staleIpKey];
    if (Object.keys(original.metadata.annotations).length === 0)
      delete original.metadata.annotations;
  }
  setManifestClass(original, metallbClass);
  const originalNeedsRecreate =
    (currentClass(service) ?? null) !== (metallbClass ?? null);

  const foreignFile = manifestFileName(namespace, split.name, 'split');
  const originalFile = manifestFileName(namespace, name, 'metallb');
  const yaml = toYaml([
    {
      object: foreign as unknown as ManifestObject,
      comment: `New Service for ${profile.displayName}: save as ${foreignFile}`,
    },
    {
      object: original as unknown as ManifestObject,
      comment: `${namespace}/${name} after the change, served by MetalLB${
        originalNeedsRecreate ? `: save as ${originalFile}` : ''
      }`,
    },
  ]);

  const commands = [
    `kubectl apply -f ${foreignFile}`,
    verifyCommand(namespace, split.name),
  ];
  if (originalNeedsRecreate) {
    commands.push(
      backupCommand(namespace, name),
      kubectl('delete', 'service', namespace, name, '--wait=true'),
      `kubectl apply -f ${originalFile}`,
    );
  } else {
    const annotationPatch: Record<string, ManifestValue> = {};
    for (const key of movedAway) annotationPatch[key] = null;
    const currentIp = liveAnnotations[ipKey];
    if (ips.length > 0 && currentIp !== ips.join(','))
      annotationPatch[ipKey] = ips.join(',');
    if (ips.length === 0 && ipKey in liveAnnotations)
      annotationPatch[ipKey] = null;
    if (staleIpKey in liveAnnotations) annotationPatch[staleIpKey] = null;
    const patch: ManifestObject = {};
    if (Object.keys(annotationPatch).length > 0)
      patch.metadata = { annotations: annotationPatch };
    if (hadLoadBalancerIP) patch.spec = { loadBalancerIP: null };
    if (Object.keys(patch).length > 0)
      commands.push(mergePatchCommand('service', namespace, name, patch));
  }
  commands.push(verifyCommand(namespace, name));

  const description = paragraphs(
    `Why: MetalLB and ${profile.displayName} both act on ${namespace}/${name} and keep overwriting the external IP the other wrote. Instead of one Service shared by two controllers, use two Services that send traffic to the same Pods (same selector, same ports): ${name} for MetalLB and ${split.name} for ${profile.displayName}, which carries spec.loadBalancerClass ${loadBalancerClass} so MetalLB ignores it.`,
    `This needs no downtime: ${split.name} is created first; ${name} keeps its name, cluster IP, DNS name and node ports, and only loses what belongs to ${profile.displayName}. ${split.name} gets new node ports (node ports are unique in the cluster).`,
    movedAway.length > 0 &&
      `Annotations moved to ${split.name} only: ${listPhrase(movedAway)}.`,
    droppedFromForeign.length > 0 &&
      `Annotations kept on ${name} only: ${listPhrase(
        droppedFromForeign,
      )} (MetalLB's and external-dns's, which would conflict on two Services).`,
    metallbIpSentence(name, ips, ipKey, hadLoadBalancerIP),
    originalNeedsRecreate &&
      `${name} must carry ${
        metallbClass ? `MetalLB's class ${metallbClass}` : 'no class'
      } for MetalLB to serve it, and a class can only be set when a Service is created: ${name} is recreated after ${
        split.name
      } is up (a short outage of its external IP).`,
    metallbClass &&
      !originalNeedsRecreate &&
      `${name} already has MetalLB's class ${metallbClass}.`,
    classNote(loadBalancerClass),
    switchNote(
      profile,
      `until then it keeps competing with MetalLB for ${name}, so apply that switch as well (the split alone does not stop it).`,
    ),
    'Anything else that selects Services by label (a Prometheus ServiceMonitor, for example) now matches both.',
    `Steps: save the first YAML document as ${foreignFile}${
      originalNeedsRecreate
        ? ` and the second as ${originalFile}`
        : ' (the second shows the original after the patch, for your source files)'
    }, then run the commands in order.`,
    ...serviceNotes(service),
  );

  return {
    id: 'split-service',
    title: `Split ${namespace}/${name}: keep it for MetalLB, add ${split.name} for ${profile.displayName}`,
    description,
    yaml,
    commands,
  };
}
