import type { Service } from '../model/kubernetes';
import type { Remediation } from '../model/report';
import {
  effectiveMetallbAnnotation,
  METALLB_ANNOTATION,
  METALLB_ANNOTATION_PREFIX,
  normalizeMetallbAnnotationPrefix,
  otherPrefix,
} from './annotations';
import { paragraphs, verifyCommand } from './common';
import { applyServiceChange } from './ipRequest';
import {
  cleanPorts,
  describeManagement,
  describeManifestFallbacks,
  serviceIdentity,
} from './manifest';
import {
  asRecord,
  commaList,
  ipFamily,
  isRecord,
  ManifestObject,
  mergePatchCommand,
  nonEmptyString,
  stringRecord,
  toYaml,
} from './util';

/** Parameters of {@link fixSharingKeyRemediation}. @public */
export interface FixSharingKeyParams {
  /** The sharing key to put on every Service; a key derived from the Services is used when empty. */
  sharingKey?: string;
  /**
   * The address(es) they share. Default: the one all Services that request an address agree on.
   * Without one, MetalLB may still pick different addresses for them.
   */
  ips?: string[] | string;
  /** `metallb.io/` (default) or `metallb.universe.tf/` when the cluster's MetalLB is older than 0.14.9. */
  annotationPrefix?: string;
  /**
   * Request the address through spec.loadBalancerIP instead of the loadBalancerIPs annotation:
   * MetalLB before 0.12.0 has no such annotation and would ignore it.
   */
  requestWithField?: boolean;
}

function requestOf(service: Service): string | undefined {
  const annotations = stringRecord(
    asRecord(asRecord(service).metadata).annotations,
  );
  const fromAnnotation = effectiveMetallbAnnotation(
    annotations,
    METALLB_ANNOTATION.loadBalancerIPs,
  );
  const raw =
    fromAnnotation?.value ??
    nonEmptyString(asRecord(asRecord(service).spec).loadBalancerIP);
  if (!raw) return undefined;
  const ips = raw
    .split(',')
    .map(v => v.trim())
    .filter(v => v !== '');
  return ips.length > 0 ? ips.join(',') : undefined;
}

function statusIps(service: Service): string[] {
  const ingress = asRecord(
    asRecord(asRecord(service).status).loadBalancer,
  ).ingress;
  return (Array.isArray(ingress) ? ingress : [])
    .map(entry => nonEmptyString(asRecord(entry).ip))
    .filter((ip): ip is string => ip !== undefined);
}

function selectorKey(service: Service): string {
  const selector = stringRecord(asRecord(asRecord(service).spec).selector);
  return Object.keys(selector)
    .sort()
    .map(k => `${k}=${selector[k]}`)
    .join(',');
}

function isLocal(service: Service): boolean {
  return asRecord(asRecord(service).spec).externalTrafficPolicy === 'Local';
}

/**
 * `fix-sharing-key`: make a group of Services share one IP. Puts the same allow-shared-ip key (and,
 * when known, the same requested IP) on each, one patch per Service, and checks MetalLB's two other
 * conditions so the text says what still blocks sharing.
 * @public
 */
export function fixSharingKeyRemediation(
  services: Service[],
  params: FixSharingKeyParams = {},
): Remediation {
  const group = (Array.isArray(services) ? services : []).filter(
    isRecord,
  ) as Service[];
  const prefix = normalizeMetallbAnnotationPrefix(params?.annotationPrefix);
  const sharingAnnotation = `${prefix}${METALLB_ANNOTATION.allowSharedIp}`;
  if (group.length === 0) {
    return {
      id: 'fix-sharing-key',
      title: 'No Services given to share an IP',
      description: `No Services were given, so no change can be proposed. Services share a MetalLB address when each carries the same ${sharingAnnotation} value.`,
    };
  }
  const refs = group.map(s => {
    const { namespace, name } = serviceIdentity(s);
    return `${namespace}/${name}`;
  });

  // Target address: the explicit one, else the single request every requesting Service agrees on.
  const explicitIps = commaList(params?.ips).filter(v => ipFamily(v) !== null);
  const requests = new Set(
    group.map(requestOf).filter((r): r is string => r !== undefined),
  );
  let targetIp: string | undefined;
  if (explicitIps.length > 0) targetIp = explicitIps.join(',');
  else if (requests.size === 1) targetIp = [...requests][0];

  const givenKey = nonEmptyString(params?.sharingKey);
  const sharingKey =
    givenKey ??
    `shared-${(targetIp ?? serviceIdentity(group[0]).name)
      .replace(/[^A-Za-z0-9]+/g, '-')
      .slice(0, 50)}`;

  // MetalLB's conditions besides the key.
  const problems: string[] = [];
  const portUsers = new Map<string, string[]>();
  group.forEach((service, i) => {
    for (const port of cleanPorts(asRecord(asRecord(service).spec).ports, false)
      .ports) {
      const key = `${String(port.protocol)}/${String(port.port)}`;
      portUsers.set(key, [...(portUsers.get(key) ?? []), refs[i]]);
    }
  });
  for (const [port, users] of portUsers) {
    if (users.length > 1)
      problems.push(
        `${port} is used by ${users.join(
          ' and ',
        )}; one address can carry each protocol and port only once, so change the port of all but one.`,
      );
  }
  // Local with an empty selector has the same backend key as Cluster (MetalLB compares selector strings).
  const backendKeys = new Set(
    group.map(s => (isLocal(s) ? selectorKey(s) : '')),
  );
  if (backendKeys.size > 1) {
    const locals = refs.filter((_, i) => isLocal(group[i]));
    const clusters = refs.filter((_, i) => !isLocal(group[i]));
    problems.push(
      locals.length > 0 && clusters.length > 0
        ? `externalTrafficPolicy differs: ${locals.join(
            ', ',
          )} use Local and ${clusters.join(
            ', ',
          )} use Cluster. A Local and a Cluster Service never share an address (with Local, traffic may only reach nodes running that Service's Pods); set the same policy on all.`
        : `All use externalTrafficPolicy Local but with different selectors; with Local, Services share an address only when their selectors are identical (the traffic must go to the same nodes).`,
    );
  }
  if (explicitIps.length === 0 && requests.size > 1) {
    problems.push(
      `They request different addresses (${[...requests].join(
        '; ',
      )}); pass the address they should share, or MetalLB keeps them apart.`,
    );
  }

  // Patch first the Services that already hold the target address, so the others join them.
  const targetFirst = targetIp ? targetIp.split(',') : [];
  const order = group
    .map((service, index) => ({ service, index }))
    .sort((a, b) => {
      const holds = (s: Service) =>
        statusIps(s).some(ip => targetFirst.includes(ip));
      return (
        Number(holds(b.service)) - Number(holds(a.service)) || a.index - b.index
      );
    });

  const viaField = params?.requestWithField === true;
  const ipKey = `${prefix}${METALLB_ANNOTATION.loadBalancerIPs}`;
  const staleKeys =
    prefix === METALLB_ANNOTATION_PREFIX
      ? [
          `${otherPrefix(prefix)}${METALLB_ANNOTATION.allowSharedIp}`,
          ...(targetIp
            ? [`${otherPrefix(prefix)}${METALLB_ANNOTATION.loadBalancerIPs}`]
            : []),
        ]
      : [];
  const documents = [];
  const patches: string[] = [];
  const notes = new Set<string>();
  for (const { service } of order) {
    const { namespace, name } = serviceIdentity(service);
    const set: Record<string, string> = { [sharingAnnotation]: sharingKey };
    if (targetIp && !viaField) set[ipKey] = targetIp;
    const { manifest, patch } = applyServiceChange(service, {
      set,
      remove: staleKeys,
      removeLoadBalancerIP: targetIp !== undefined && !viaField,
      ...(targetIp && viaField ? { setLoadBalancerIP: targetIp } : {}),
    });
    documents.push({
      object: manifest as unknown as ManifestObject,
      comment: `${namespace}/${name} after the change`,
    });
    if (patch)
      patches.push(mergePatchCommand('service', namespace, name, patch));
    for (const note of describeManifestFallbacks(service))
      notes.add(`${namespace}/${name}: ${note}`);
    const management = describeManagement(service);
    if (management) notes.add(`${namespace}/${name}: ${management}`);
  }
  const commands = [
    ...patches,
    ...order.map(({ service }) => {
      const { namespace, name } = serviceIdentity(service);
      return verifyCommand(namespace, name);
    }),
  ];

  return {
    id: 'fix-sharing-key',
    title: `Let ${refs.join(', ')} share ${
      targetIp ? `the IP ${targetIp}` : 'one IP'
    } (sharing key ${sharingKey})`,
    description: paragraphs(
      `Why: MetalLB gives an address to only one Service unless every Service on it carries the same sharing key in the ${sharingAnnotation} annotation. The patches put the key "${sharingKey}" on ${
        group.length === 1 ? 'the Service' : `all ${group.length} Services`
      }${
        targetIp && viaField
          ? ` and request ${targetIp} on each through spec.loadBalancerIP (this MetalLB is older than 0.12.0 and reads no loadBalancerIPs annotation)`
          : ''
      }${
        targetIp && !viaField
          ? ` and request ${targetIp} on each (removing spec.loadBalancerIP where set, since MetalLB refuses both at once)`
          : ''
      }.`,
      !givenKey &&
        `No key was given; "${sharingKey}" is a made-up name, any identical text works.`,
      !targetIp &&
        'No common address is requested: MetalLB may put the Services on the same address, but nothing forces it. Request the same IP on each to be sure.',
      'MetalLB shares an address only when two more conditions hold: (1) no protocol and port pair is used twice on it (TCP/53 and UDP/53 can share); (2) the Services use the same externalTrafficPolicy: all Cluster, or all Local with identical selectors (Cluster and Local never share). Namespaces do not matter, but the address must come from a pool that allows every one of the Services.',
      problems.length > 0
        ? `Still blocking here:\n- ${problems.join('\n- ')}`
        : 'Both conditions hold for these Services.',
      'If an L2Advertisement selects Services with serviceSelectors, Services carrying allow-shared-ip that it matches are not announced (MetalLB 0.16); keep such advertisements without serviceSelectors for these Services.',
      'On MetalLB older than 0.15.0 a Service left pending is not retried when another one changes its key; if one stays without an IP, touch it (for example re-apply its patch) after the others are done.',
      ...notes,
    ),
    yaml: toYaml(documents),
    commands,
  };
}
