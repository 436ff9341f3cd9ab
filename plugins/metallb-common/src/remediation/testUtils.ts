/*
 * Test helpers: validators for the objects the remediations emit, and fixtures. Kept out of the
 * package's index; only the tests import this file.
 */
import { parseAllDocuments } from 'yaml';
import type { Service } from '../model/kubernetes';

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isStringMap(value: unknown): boolean {
  return isObj(value) && Object.values(value).every(v => typeof v === 'string');
}

function checkMetadata(object: Obj, errors: string[]): void {
  const metadata = object.metadata;
  if (!isObj(metadata)) {
    errors.push('metadata missing');
    return;
  }
  if (!isNonEmptyString(metadata.name)) errors.push('metadata.name missing');
  if (!isNonEmptyString(metadata.namespace))
    errors.push('metadata.namespace missing');
  if (metadata.labels !== undefined && !isStringMap(metadata.labels))
    errors.push('metadata.labels not a string map');
  if (
    metadata.annotations !== undefined &&
    !isStringMap(metadata.annotations)
  ) {
    errors.push('metadata.annotations not a string map');
  }
  for (const forbidden of [
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'managedFields',
    'generation',
    'finalizers',
  ]) {
    if (forbidden in metadata)
      errors.push(`metadata.${forbidden} must not be copied`);
  }
  if (
    isObj(metadata.annotations) &&
    'kubectl.kubernetes.io/last-applied-configuration' in metadata.annotations
  ) {
    errors.push('last-applied-configuration must not be copied');
  }
}

/** Errors of a Service manifest; empty when valid. */
export function serviceErrors(object: Obj): string[] {
  const errors: string[] = [];
  if (object.apiVersion !== 'v1') errors.push('apiVersion must be v1');
  if (object.kind !== 'Service') errors.push('kind must be Service');
  checkMetadata(object, errors);
  if ('status' in object) errors.push('status must not be copied');
  const spec = object.spec;
  if (!isObj(spec)) {
    errors.push('spec missing');
    return errors;
  }
  if (spec.type !== 'LoadBalancer')
    errors.push('spec.type must be LoadBalancer');
  if (!isStringMap(spec.selector))
    errors.push('spec.selector must be a string map');
  if ('clusterIP' in spec || 'clusterIPs' in spec)
    errors.push('clusterIP(s) must not be copied');
  if (!Array.isArray(spec.ports) || spec.ports.length === 0) {
    errors.push('spec.ports must be non-empty');
  } else {
    const names = new Set<string>();
    for (const port of spec.ports) {
      if (
        !isObj(port) ||
        typeof port.port !== 'number' ||
        !Number.isInteger(port.port) ||
        port.port < 1 ||
        port.port > 65535
      ) {
        errors.push(`invalid port ${JSON.stringify(port)}`);
        continue;
      }
      if (!['TCP', 'UDP', 'SCTP'].includes(String(port.protocol)))
        errors.push(`invalid protocol ${String(port.protocol)}`);
      if (spec.ports.length > 1) {
        if (!isNonEmptyString(port.name))
          errors.push('multi-port Service needs port names');
        else if (names.has(port.name))
          errors.push(`duplicate port name ${port.name}`);
        else names.add(port.name);
      }
    }
  }
  if (
    spec.loadBalancerClass !== undefined &&
    !isNonEmptyString(spec.loadBalancerClass)
  ) {
    errors.push('loadBalancerClass must be a non-empty string');
  }
  return errors;
}

function stringList(value: unknown): boolean {
  return Array.isArray(value) && value.every(v => typeof v === 'string');
}

/** Errors of a metallb.io object (IPAddressPool, L2Advertisement, BGPAdvertisement). */
export function metallbErrors(object: Obj): string[] {
  const errors: string[] = [];
  if (object.apiVersion !== 'metallb.io/v1beta1')
    errors.push('apiVersion must be metallb.io/v1beta1');
  checkMetadata(object, errors);
  const name = isObj(object.metadata) ? object.metadata.name : undefined;
  if (
    typeof name === 'string' &&
    !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)
  )
    errors.push(`invalid object name ${name}`);
  const spec = object.spec;
  if (!isObj(spec)) return [...errors, 'spec missing'];
  switch (object.kind) {
    case 'IPAddressPool':
      if (
        !stringList(spec.addresses) ||
        (spec.addresses as string[]).length === 0
      )
        errors.push('addresses must be a non-empty string list');
      if (spec.autoAssign !== undefined && typeof spec.autoAssign !== 'boolean')
        errors.push('autoAssign must be boolean');
      if (
        spec.avoidBuggyIPs !== undefined &&
        typeof spec.avoidBuggyIPs !== 'boolean'
      )
        errors.push('avoidBuggyIPs must be boolean');
      break;
    case 'L2Advertisement':
      if (spec.ipAddressPools !== undefined && !stringList(spec.ipAddressPools))
        errors.push('ipAddressPools must be strings');
      break;
    case 'BGPAdvertisement':
      if (spec.ipAddressPools !== undefined && !stringList(spec.ipAddressPools))
        errors.push('ipAddressPools must be strings');
      if (
        spec.aggregationLength !== undefined &&
        !(
          Number.isInteger(spec.aggregationLength) &&
          (spec.aggregationLength as number) >= 1 &&
          (spec.aggregationLength as number) <= 32
        )
      ) {
        errors.push('aggregationLength out of range');
      }
      if (spec.communities !== undefined && !stringList(spec.communities))
        errors.push('communities must be strings');
      break;
    default:
      errors.push(`unexpected metallb kind ${String(object.kind)}`);
  }
  return errors;
}

/** Errors of a ConfigMap. */
export function configMapErrors(object: Obj): string[] {
  const errors: string[] = [];
  if (object.apiVersion !== 'v1') errors.push('apiVersion must be v1');
  checkMetadata(object, errors);
  if (!isStringMap(object.data)) errors.push('data must be a string map');
  return errors;
}

/** Errors of any emitted document, by kind. */
export function documentErrors(object: unknown): string[] {
  if (!isObj(object)) return ['document is not a mapping'];
  if (object.kind === 'Service') return serviceErrors(object);
  if (object.kind === 'ConfigMap') return configMapErrors(object);
  if (
    typeof object.apiVersion === 'string' &&
    object.apiVersion.startsWith('metallb.io/')
  )
    return metallbErrors(object);
  return [`unexpected kind ${String(object.kind)}`];
}

/**
 * Parses every document and returns them as objects, failing the test on any YAML error, any
 * invalid object, or any value that kubectl (YAML 1.1) would read differently from YAML 1.2.
 */
export function parseValidDocuments(text: string | undefined): Obj[] {
  if (typeof text !== 'string' || text.trim() === '')
    throw new Error('no YAML emitted');
  const docs = parseAllDocuments(text);
  const docs11 = parseAllDocuments(text, { version: '1.1' });
  if (!Array.isArray(docs) || !Array.isArray(docs11))
    throw new Error('parseAllDocuments returned an empty stream');
  const objects: Obj[] = [];
  docs.forEach((doc, i) => {
    if (doc.errors.length > 0)
      throw new Error(
        `YAML error: ${doc.errors.map(e => e.message).join('; ')}\n${text}`,
      );
    if (doc.warnings.length > 0)
      throw new Error(
        `YAML warning: ${doc.warnings.map(e => e.message).join('; ')}`,
      );
    const value = doc.toJS();
    const value11 = docs11[i].toJS();
    if (JSON.stringify(value) !== JSON.stringify(value11)) {
      throw new Error(
        `YAML 1.1 and 1.2 readings differ:\n${JSON.stringify(
          value,
        )}\n${JSON.stringify(value11)}`,
      );
    }
    const errors = documentErrors(value);
    if (errors.length > 0)
      throw new Error(
        `invalid ${String((value as Obj)?.kind)}: ${errors.join(
          '; ',
        )}\n${text}`,
      );
    objects.push(value as Obj);
  });
  return objects;
}

/** Annotations of a parsed object. */
export function annotationsOf(object: Obj): Record<string, string> {
  const metadata = isObj(object.metadata) ? object.metadata : {};
  return (isObj(metadata.annotations) ? metadata.annotations : {}) as Record<
    string,
    string
  >;
}

/** Spec of a parsed object. */
export function specOf(object: Obj): Obj {
  return isObj(object.spec) ? object.spec : {};
}

/** A live Service as `kubectl get -o yaml` returns it, with every server-populated field. */
export function liveService(
  overrides: {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
    spec?: Obj;
  } = {},
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: overrides.name ?? 'whoami',
      namespace: overrides.namespace ?? 'apps',
      uid: '5b1c6f0e-0000-4000-8000-000000000001',
      resourceVersion: '123456',
      generation: 1,
      creationTimestamp: '2025-03-06T10:00:00Z',
      labels: { app: 'whoami', 'app.kubernetes.io/instance': 'whoami' },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration':
          '{"apiVersion":"v1","kind":"Service"}',
        'metallb.io/ip-allocated-from-pool': 'default',
        'chisel-operator.io/exit-node-name': 'my-exit-node',
        'external-dns.alpha.kubernetes.io/hostname': 'whoami.example.com',
        'example.com/team': 'web',
        ...(overrides.annotations ?? {}),
      },
      finalizers: ['service.chisel-operator.io/finalizer'],
      managedFields: [
        { manager: 'controller', operation: 'Update', subresource: 'status' },
      ],
    },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'whoami' },
      ports: [
        {
          name: 'http',
          protocol: 'TCP',
          port: 80,
          targetPort: 8080,
          nodePort: 31080,
        },
        {
          name: 'https',
          protocol: 'TCP',
          port: 443,
          targetPort: 'https',
          nodePort: 31443,
        },
      ],
      clusterIP: '10.43.12.34',
      clusterIPs: ['10.43.12.34'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      sessionAffinity: 'None',
      ...(overrides.spec ?? {}),
    },
    status: {
      loadBalancer: { ingress: [{ ip: '192.168.1.240', ipMode: 'VIP' }] },
    },
  };
}
