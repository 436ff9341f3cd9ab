import { analyzeCluster, AnalyzeOptions } from '../analyze';
import type { IPAddressPool, KubeObject, Service } from '../model/kubernetes';
import type { ClusterReport, ServiceReport } from '../model/report';
import type { ClusterSnapshot } from '../model/snapshot';

/** Test builders: small, explicit clusters in a few lines. */

export interface PoolSpec {
  addresses: string[];
  autoAssign?: boolean;
  avoidBuggyIPs?: boolean;
  serviceAllocation?: NonNullable<IPAddressPool['spec']>['serviceAllocation'];
  labels?: Record<string, string>;
}

export function pool(name: string, spec: PoolSpec): IPAddressPool {
  const { labels, ...rest } = spec;
  return {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: {
      name,
      namespace: 'metallb-system',
      ...(labels ? { labels } : {}),
    },
    spec: rest,
  };
}

export interface ServiceSpecInput {
  namespace?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  clusterIPs?: string[];
  clusterIP?: string;
  loadBalancerIP?: string;
  loadBalancerClass?: string;
  ipFamilyPolicy?: string;
  ipFamilies?: string[];
  ports?: Array<{ port: number; protocol?: string }>;
  selector?: Record<string, string>;
  externalTrafficPolicy?: string;
  ingress?: Array<{
    ip?: string;
    hostname?: string;
    ports?: unknown[];
    ipMode?: string;
  }>;
  type?: string;
  created?: string;
  uid?: string;
}

export function service(name: string, input: ServiceSpecInput = {}): Service {
  const spec: Record<string, unknown> = {
    type: input.type ?? 'LoadBalancer',
    clusterIPs:
      input.clusterIPs ?? (input.clusterIP ? undefined : ['10.96.0.1']),
    ports: input.ports ?? [{ port: 80, protocol: 'TCP' }],
  };
  for (const key of [
    'clusterIP',
    'loadBalancerIP',
    'loadBalancerClass',
    'ipFamilyPolicy',
    'ipFamilies',
    'selector',
    'externalTrafficPolicy',
  ] as const) {
    if (input[key] !== undefined) spec[key] = input[key];
  }
  if (spec.clusterIPs === undefined) delete spec.clusterIPs;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: input.namespace ?? 'default',
      uid: input.uid ?? `uid-${name}`,
      creationTimestamp: input.created ?? '2025-01-01T00:00:00Z',
      ...(input.annotations ? { annotations: input.annotations } : {}),
      ...(input.labels ? { labels: input.labels } : {}),
    },
    spec,
    status: { loadBalancer: input.ingress ? { ingress: input.ingress } : {} },
  } as Service;
}

export function metallbController(
  version = 'v0.16.1',
  args: string[] = [],
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'controller', namespace: 'metallb-system' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'controller',
              image: `quay.io/metallb/controller:${version}`,
              args,
            },
          ],
        },
      },
    },
  };
}

export function cluster(
  parts: Partial<ClusterSnapshot> & {
    version?: string;
    lbClassArgs?: string[];
  },
): ClusterSnapshot {
  const { version, lbClassArgs, ...rest } = parts;
  return {
    name: 'test',
    deployments: [metallbController(version, lbClassArgs) as never],
    namespaces: [],
    ...rest,
  };
}

export function analyze(
  snapshot: ClusterSnapshot,
  options?: AnalyzeOptions,
): ClusterReport {
  return analyzeCluster(snapshot, options);
}

export function serviceReport(
  report: ClusterReport,
  name: string,
  namespace = 'default',
): ServiceReport {
  const found = report.services.find(
    s => s.name === name && s.namespace === namespace,
  );
  if (!found) throw new Error(`no report for ${namespace}/${name}`);
  return found;
}

/** Analyses one Service against pools and returns its report. */
export function verdictOf(
  svc: Service,
  pools: IPAddressPool[],
  extra: Partial<ClusterSnapshot> & {
    version?: string;
    lbClassArgs?: string[];
  } = {},
  options?: AnalyzeOptions,
): ServiceReport {
  const report = analyze(
    cluster({
      ipAddressPools: pools,
      ...extra,
      services: [svc, ...(extra.services ?? [])],
    }),
    options,
  );
  return serviceReport(report, svc.metadata!.name!, svc.metadata!.namespace!);
}

export const rulesOf = (report: ServiceReport) =>
  report.findings.map(f => f.rule);
