import type {
  Condition,
  KubeEvent,
  KubeObject,
  ManagedFieldsEntry,
  Service,
  Workload,
} from '../../model/kubernetes';
import type { ClusterSnapshot } from '../../model/snapshot';
import type { ControllerId, Owner } from '../../model/report';
import type { OwnershipContext } from '../types';
import { createOwnershipContext } from '../context';
import { detectOwners } from '../detectOwners';

/** Test builders: small, explicit objects shaped like API server output. */

export const UID = '1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809';

export function service(
  opts: {
    name?: string;
    namespace?: string;
    type?: string;
    lbClass?: string;
    loadBalancerIP?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    finalizers?: string[];
    managedFields?: ManagedFieldsEntry[];
    ingress?: Array<Record<string, unknown>>;
    conditions?: Array<Record<string, unknown>>;
  } = {},
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: opts.name ?? 'web',
      namespace: opts.namespace ?? 'default',
      uid: UID,
      annotations: opts.annotations,
      labels: opts.labels,
      finalizers: opts.finalizers,
      managedFields: opts.managedFields,
    },
    spec: {
      type: opts.type ?? 'LoadBalancer',
      loadBalancerClass: opts.lbClass,
      loadBalancerIP: opts.loadBalancerIP,
      ports: [{ port: 80, protocol: 'TCP' }],
    },
    status: {
      loadBalancer: opts.ingress ? { ingress: opts.ingress } : {},
      conditions: opts.conditions as Condition[] | undefined,
    },
  };
}

export const INGRESS_FIELDS = {
  'f:status': { 'f:loadBalancer': { 'f:ingress': {} } },
};
export const LB_IP_FIELDS = { 'f:spec': { 'f:loadBalancerIP': {} } };

export function annotationFields(...keys: string[]): Record<string, unknown> {
  return {
    'f:metadata': {
      'f:annotations': Object.fromEntries(keys.map(k => [`f:${k}`, {}])),
    },
  };
}

export function finalizerFields(...values: string[]): Record<string, unknown> {
  return {
    'f:metadata': {
      'f:finalizers': Object.fromEntries(
        values.map(v => [`v:${JSON.stringify(v)}`, {}]),
      ),
    },
  };
}

export function writer(
  manager: string,
  fieldsV1: Record<string, unknown>,
  opts: { operation?: string; subresource?: string; time?: string } = {},
): ManagedFieldsEntry {
  return {
    manager,
    operation: opts.operation ?? 'Update',
    apiVersion: 'v1',
    time: opts.time ?? '2025-01-09T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1,
    subresource: opts.subresource,
  };
}

export function merge(
  ...parts: Array<Record<string, unknown>>
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      const existing = out[key];
      out[key] =
        typeof existing === 'object' &&
        existing !== null &&
        typeof value === 'object' &&
        value !== null
          ? merge(
              existing as Record<string, unknown>,
              value as Record<string, unknown>,
            )
          : value;
    }
  }
  return out;
}

export function workload(
  kind: 'Deployment' | 'DaemonSet',
  ref: string,
  image: string,
  opts: {
    args?: string[];
    command?: string[];
    env?: Record<string, string>;
    labels?: Record<string, string>;
    podLabels?: Record<string, string>;
  } = {},
): Workload {
  const [namespace, name] = ref.split('/');
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace, labels: opts.labels },
    spec: {
      template: {
        metadata: { labels: opts.podLabels },
        spec: {
          containers: [
            {
              name: 'main',
              image,
              args: opts.args,
              command: opts.command,
              env: opts.env
                ? Object.entries(opts.env).map(([k, v]) => ({
                    name: k,
                    value: v,
                  }))
                : undefined,
            },
          ],
        },
      },
    },
  };
}

export function deployment(
  ref: string,
  image: string,
  opts: Parameters<typeof workload>[3] = {},
): Workload {
  return workload('Deployment', ref, image, opts);
}

export function daemonSet(
  ref: string,
  image: string,
  opts: Parameters<typeof workload>[3] = {},
): Workload {
  return workload('DaemonSet', ref, image, opts);
}

export function object(
  apiVersion: string,
  kind: string,
  ref: string,
  rest: Record<string, unknown> = {},
): KubeObject {
  const parts = ref.split('/');
  const metadata =
    parts.length === 2
      ? { namespace: parts[0], name: parts[1] }
      : { name: parts[0] };
  return { apiVersion, kind, metadata, ...rest };
}

export function event(
  component: string,
  reason: string,
  svc: Service = service(),
): KubeEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${reason}.1`, namespace: svc.metadata?.namespace },
    involvedObject: {
      kind: 'Service',
      name: svc.metadata?.name,
      namespace: svc.metadata?.namespace,
      uid: svc.metadata?.uid,
    },
    reason,
    message: 'test',
    type: 'Normal',
    source: { component },
  };
}

export const METALLB = deployment(
  'metallb-system/controller',
  'quay.io/metallb/controller:v0.14.9',
);
export function metallbWithClass(lbClass: string): Workload {
  return deployment(
    'metallb-system/controller',
    'quay.io/metallb/controller:v0.14.9',
    {
      args: ['--port=7472', `--lb-class=${lbClass}`],
    },
  );
}
export const CHISEL = deployment(
  'chisel-operator-system/chisel-operator',
  'ghcr.io/fyralabs/chisel-operator:v0.7.1',
);

export function snapshot(
  parts: Partial<ClusterSnapshot> = {},
): ClusterSnapshot {
  return { name: 'test', deployments: [], daemonSets: [], ...parts };
}

export function contextFor(
  svc: Service,
  snap: ClusterSnapshot = snapshot(),
): OwnershipContext {
  return createOwnershipContext(svc, snap);
}

export function ownersOf(
  svc: Service,
  snap: ClusterSnapshot = snapshot(),
): Owner[] {
  return detectOwners(svc, contextFor(svc, snap));
}

export function ids(owners: readonly Owner[]): ControllerId[] {
  return owners.map(o => o.controller);
}

export function evidenceOf(
  owners: readonly Owner[],
  id: ControllerId,
): string[] {
  return owners.find(o => o.controller === id)?.evidence ?? [];
}
