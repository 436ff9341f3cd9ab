import type { Service } from '../model/kubernetes';
import {
  asRecord,
  isRecord,
  ManifestObject,
  ManifestValue,
  nonEmptyString,
  stringArray,
  stringRecord,
  toJsonValue,
} from './util';

/** Name and namespace of a Service, with the fallbacks used when the input lacks them. @public */
export interface ServiceIdentity {
  name: string;
  namespace: string;
  /** False when the input had no usable name and `name` is a placeholder. */
  hasName: boolean;
}

/** Placeholder used when a Service has no usable name. @public */
export const UNNAMED_SERVICE = 'unnamed-service';

/**
 * Reads a Service's name and namespace. A missing namespace means `default`, as kubectl treats it;
 * a missing name becomes a placeholder so that snippets stay complete (and say so).
 * @public
 */
export function serviceIdentity(service: unknown): ServiceIdentity {
  const metadata = asRecord(asRecord(service).metadata);
  const name = nonEmptyString(metadata.name);
  return {
    name: name ?? UNNAMED_SERVICE,
    namespace: nonEmptyString(metadata.namespace) ?? 'default',
    hasName: name !== undefined,
  };
}

/** Options of {@link cleanServiceManifest}. @public */
export interface CleanServiceManifestOptions {
  /**
   * Keep `spec.ports[].nodePort`. Default true: right when the manifest replaces the same Service
   * (its node ports are free again once it is deleted, and firewalls may point at them). Set false
   * for a second Service next to the original: node ports are cluster-unique and still in use.
   */
  keepNodePorts?: boolean;
  /** Use this name instead of the Service's own. */
  name?: string;
  /** Drop GitOps/Helm tracking marks; needed for a new object those tools do not own. Default false. */
  dropOwnershipMarks?: boolean;
}

/** Annotations that are never part of the desired state. @public */
export const SERVER_WRITTEN_ANNOTATIONS: readonly string[] = [
  // kubectl's own bookkeeping: copying it would make the next apply compute a wrong diff.
  'kubectl.kubernetes.io/last-applied-configuration',
  // Written by load-balancer controllers when they serve the Service; they write them again.
  'metallb.io/ip-allocated-from-pool',
  'metallb.universe.tf/ip-allocated-from-pool',
  'kube-vip.io/vipHost',
  'kube-vip.io/hwaddr',
  'purelb.io/allocated-by',
  'purelb.io/allocated-from',
  'purelb.io/pool-type',
  'purelb.io/announcing-IPv4',
  'purelb.io/announcing-IPv6',
];

/**
 * Marks by which Helm, Argo CD and Flux recognise their objects. A hand-made copy carrying them
 * would be claimed, and (Argo CD with pruning) deleted, by a tool whose source does not contain it.
 */
const OWNERSHIP_ANNOTATIONS = [
  'meta.helm.sh/release-name',
  'meta.helm.sh/release-namespace',
  'argocd.argoproj.io/tracking-id',
];
const OWNERSHIP_LABELS = [
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/instance',
  'helm.sh/chart',
  'kustomize.toolkit.fluxcd.io/name',
  'kustomize.toolkit.fluxcd.io/namespace',
  'helm.toolkit.fluxcd.io/name',
  'helm.toolkit.fluxcd.io/namespace',
];

const VALID_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

function readPort(value: unknown): number | undefined {
  const n =
    typeof value === 'string' && /^\d+$/.test(value.trim())
      ? Number(value.trim())
      : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535
    ? n
    : undefined;
}

/** Result of reading a Service's ports. */
export interface CleanPorts {
  ports: ManifestObject[];
  /** True when no valid port could be read and a placeholder was used. */
  placeholder: boolean;
}

/**
 * Copies the ports in a shape the API server accepts. With several ports every one needs a unique
 * name; a dump without them gets `<protocol>-<port>` names rather than a manifest kubectl rejects.
 */
export function cleanPorts(value: unknown, keepNodePorts: boolean): CleanPorts {
  const ports: ManifestObject[] = [];
  for (const entry of Array.isArray(value) ? value : []) {
    if (!isRecord(entry)) continue;
    const port = readPort(entry.port);
    if (port === undefined) continue;
    const protocolText =
      typeof entry.protocol === 'string'
        ? entry.protocol.trim().toUpperCase()
        : '';
    const out: ManifestObject = {};
    const name = nonEmptyString(entry.name);
    if (name) out.name = name;
    out.protocol = VALID_PROTOCOLS.includes(protocolText)
      ? protocolText
      : 'TCP';
    out.port = port;
    const targetPort =
      readPort(entry.targetPort) ?? nonEmptyString(entry.targetPort);
    if (targetPort !== undefined) out.targetPort = targetPort;
    const appProtocol = nonEmptyString(entry.appProtocol);
    if (appProtocol) out.appProtocol = appProtocol;
    const nodePort = readPort(entry.nodePort);
    if (keepNodePorts && nodePort !== undefined) out.nodePort = nodePort;
    ports.push(out);
  }
  if (ports.length === 0) {
    return {
      ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
      placeholder: true,
    };
  }
  if (ports.length > 1) {
    const used = new Set<string>();
    for (const port of ports) {
      let name =
        typeof port.name === 'string' && !used.has(port.name)
          ? port.name
          : undefined;
      if (!name) {
        const base = `${String(port.protocol).toLowerCase()}-${String(
          port.port,
        )}`;
        name = base;
        for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
      }
      port.name = name;
      used.add(name);
    }
  }
  return { ports, placeholder: false };
}

/** The spec fields the API server allocates; they cannot be carried to a new object. */
const ALLOCATED_SPEC_FIELDS = [
  'clusterIP',
  'clusterIPs',
  'healthCheckNodePort',
];

/** Spec fields copied with a type check, in this order; every other field is copied as plain data. */
const STRING_SPEC_FIELDS = [
  'loadBalancerIP',
  'externalTrafficPolicy',
  'internalTrafficPolicy',
  'ipFamilyPolicy',
  'sessionAffinity',
];
const STRING_LIST_SPEC_FIELDS = [
  'ipFamilies',
  'loadBalancerSourceRanges',
  'externalIPs',
];
const HANDLED_SPEC_FIELDS = new Set([
  'type',
  'loadBalancerClass',
  'selector',
  'ports',
  'allocateLoadBalancerNodePorts',
  ...STRING_SPEC_FIELDS,
  ...STRING_LIST_SPEC_FIELDS,
  ...ALLOCATED_SPEC_FIELDS,
]);

function cleanOwnerReferences(value: unknown): ManifestObject[] {
  const out: ManifestObject[] = [];
  for (const ref of Array.isArray(value) ? value : []) {
    if (!isRecord(ref)) continue;
    const [apiVersion, kind, name, uid] = [
      ref.apiVersion,
      ref.kind,
      ref.name,
      ref.uid,
    ].map(nonEmptyString);
    // The API server rejects an owner reference missing any of these.
    if (!apiVersion || !kind || !name || !uid) continue;
    const copy: ManifestObject = { apiVersion, kind, name, uid };
    if (typeof ref.controller === 'boolean') copy.controller = ref.controller;
    if (typeof ref.blockOwnerDeletion === 'boolean')
      copy.blockOwnerDeletion = ref.blockOwnerDeletion;
    out.push(copy);
  }
  return out;
}

/**
 * A Service as plain data: the typed view plus the extra spec fields a live object carries
 * (`sessionAffinityConfig`, `publishNotReadyAddresses`, ...), which must survive a recreate.
 * @public
 */
export interface ServiceManifest {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: ManifestObject[];
  };
  spec: { [field: string]: ManifestValue } & {
    type: 'LoadBalancer';
    selector: Record<string, string>;
    ports: ManifestObject[];
  };
}

/**
 * Strips a Service down to a manifest that can be applied: apiVersion, kind, name, namespace,
 * labels, annotations, owner references and spec, without what the API server or controllers
 * fill in (status, uid, resourceVersion, creationTimestamp, generation, managedFields,
 * finalizers, clusterIP(s), healthCheckNodePort, kubectl's last-applied annotation, controllers'
 * allocation annotations). Never throws: a malformed input gives a manifest with fallbacks (name
 * `unnamed-service`, namespace `default`, an empty selector, a placeholder port 80/TCP); use
 * {@link describeManifestFallbacks} to tell the reader.
 * @public
 */
export function cleanServiceManifest(
  service: Service,
  options: CleanServiceManifestOptions = {},
): ServiceManifest {
  const identity = serviceIdentity(service);
  const metadataIn = asRecord(asRecord(service).metadata);
  const specIn = asRecord(asRecord(service).spec);
  const keepNodePorts = options.keepNodePorts ?? true;

  const labels = stringRecord(metadataIn.labels);
  const annotations = stringRecord(metadataIn.annotations);
  for (const key of SERVER_WRITTEN_ANNOTATIONS) delete annotations[key];
  if (options.dropOwnershipMarks) {
    for (const key of OWNERSHIP_ANNOTATIONS) delete annotations[key];
    for (const key of OWNERSHIP_LABELS) delete labels[key];
  }

  const metadata: ServiceManifest['metadata'] = {
    name: nonEmptyString(options.name) ?? identity.name,
    namespace: identity.namespace,
  };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const ownerReferences = cleanOwnerReferences(metadataIn.ownerReferences);
  if (ownerReferences.length > 0) metadata.ownerReferences = ownerReferences;

  const loadBalancerClass = nonEmptyString(specIn.loadBalancerClass);
  const spec: ServiceManifest['spec'] = {
    type: 'LoadBalancer',
    ...(loadBalancerClass ? { loadBalancerClass } : {}),
    selector: stringRecord(specIn.selector),
    ports: cleanPorts(specIn.ports, keepNodePorts).ports,
  };
  for (const field of STRING_SPEC_FIELDS) {
    const value = nonEmptyString(specIn[field]);
    if (value !== undefined) spec[field] = value;
  }
  for (const field of STRING_LIST_SPEC_FIELDS) {
    const values = stringArray(specIn[field]).filter(v => v.trim() !== '');
    if (values.length > 0) spec[field] = values;
  }
  if (typeof specIn.allocateLoadBalancerNodePorts === 'boolean') {
    spec.allocateLoadBalancerNodePorts = specIn.allocateLoadBalancerNodePorts;
  }
  for (const [field, value] of Object.entries(specIn)) {
    if (HANDLED_SPEC_FIELDS.has(field)) continue;
    const converted = toJsonValue(value);
    if (converted !== undefined && converted !== null) spec[field] = converted;
  }

  return { apiVersion: 'v1', kind: 'Service', metadata, spec };
}

/**
 * Plain-language notes for each fallback {@link cleanServiceManifest} had to use, so that a reader
 * fixes the manifest before applying it. Empty for a well-formed Service.
 * @public
 */
export function describeManifestFallbacks(service: Service): string[] {
  const notes: string[] = [];
  const identity = serviceIdentity(service);
  const spec = asRecord(asRecord(service).spec);
  if (!identity.hasName) {
    notes.push(
      `The Service has no name in the input; the manifest uses "${UNNAMED_SERVICE}": put the real name in before applying.`,
    );
  }
  if (cleanPorts(spec.ports, true).placeholder) {
    notes.push(
      'No valid port could be read from the Service; the manifest uses port 80/TCP as a placeholder: correct it before applying.',
    );
  }
  if (Object.keys(stringRecord(spec.selector)).length === 0) {
    notes.push(
      'The Service has no selector, so Kubernetes does not pick its endpoints from Pods: a copy of it only gets traffic if its EndpointSlices are created too.',
    );
  }
  return notes;
}

/**
 * Who manages the Service's manifest (Helm, Argo CD, Flux, ...), as a warning that a change made
 * with kubectl is reverted at the next sync unless it is also made at the source. Empty when unknown.
 * @public
 */
export function describeManagement(service: Service): string {
  const metadata = asRecord(asRecord(service).metadata);
  const annotations = stringRecord(metadata.annotations);
  const labels = stringRecord(metadata.labels);
  const release = annotations['meta.helm.sh/release-name'];
  if (release) {
    const ns = annotations['meta.helm.sh/release-namespace'];
    return `This Service belongs to the Helm release "${release}"${
      ns ? ` in namespace ${ns}` : ''
    }: make the same change in the chart's values or templates, or the next helm upgrade reverts it.`;
  }
  if (annotations['argocd.argoproj.io/tracking-id']) {
    return 'This Service is tracked by Argo CD: make the same change in Git, or Argo CD reverts it at the next sync (or flags the app OutOfSync).';
  }
  if (
    labels['kustomize.toolkit.fluxcd.io/name'] ||
    labels['helm.toolkit.fluxcd.io/name']
  ) {
    return 'This Service is managed by Flux: make the same change in Git, or Flux reverts it at the next reconcile.';
  }
  const managedBy = labels['app.kubernetes.io/managed-by'];
  if (managedBy) {
    return `This Service is labelled app.kubernetes.io/managed-by=${managedBy}: make the same change where ${managedBy} gets the manifest from, or it may be reverted.`;
  }
  return '';
}

/** Sets or clears `spec.loadBalancerClass`, keeping it next to `type` where people look for it. */
export function setManifestClass(
  manifest: ServiceManifest,
  loadBalancerClass: string | undefined,
): void {
  const { type, loadBalancerClass: _previous, ...rest } = manifest.spec;
  manifest.spec = loadBalancerClass
    ? { type, loadBalancerClass, ...rest }
    : { type, ...rest };
}
