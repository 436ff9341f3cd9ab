import type { Entity } from '@backstage/catalog-model';
import type { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ServiceReport } from '@lb-doctor/plugin-metallb-common';
import type {
  ClusterServiceReport,
  EntityReport,
  FleetReportResponse,
  MetallbApi,
} from '../api';

/*
 * Test data and doubles shared by the component tests. Kept out of the published entry points.
 */

export const annotatedEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'web',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'web' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

export const unannotatedEntity: Entity = {
  ...annotatedEntity,
  metadata: { name: 'web', namespace: 'default' },
};

export const FIX_YAML = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  loadBalancerClass: chisel-operator.io/chisel-operator-class
`;

export const RBAC_YAML = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: lb-doctor-reader
rules:
  - apiGroups: ['']
    resources: ['services', 'events']
    verbs: ['get', 'list']
`;

export function makeService(
  overrides: Partial<ServiceReport> = {},
): ServiceReport {
  return {
    namespace: 'shop',
    name: 'web',
    loadBalancerClass: null,
    requested: [{ source: 'spec.loadBalancerIP', value: '10.0.0.10' }],
    ingress: ['10.0.0.10'],
    metallb: {
      handled: true,
      outcome: 'clear',
      ips: [],
      pool: 'default-pool',
      event: null,
      events: [],
      writes: true,
      notes: [],
    },
    owners: [
      { controller: 'metallb', evidence: ['no loadBalancerClass set'] },
      {
        controller: 'chisel-operator',
        evidence: ['managedFields: manager chisel-operator wrote status'],
      },
    ],
    findings: [
      {
        rule: 'deprecated-load-balancer-ip',
        severity: 'warning',
        message: 'spec.loadBalancerIP is deprecated',
        evidence: ['spec.loadBalancerIP: 10.0.0.10'],
        remediations: [],
      },
      {
        rule: 'controller-contention',
        severity: 'error',
        message: 'MetalLB and chisel-operator both write the status',
        evidence: ['managedFields: metallb-controller and chisel-operator'],
        remediations: [
          {
            id: 'set-load-balancer-class',
            title: 'Give the Service to chisel-operator',
            description: 'Setting loadBalancerClass makes MetalLB ignore it.',
            yaml: FIX_YAML,
            commands: ['kubectl apply -f fix.yaml'],
          },
        ],
      },
    ],
    status: 'error',
    ...overrides,
  };
}

export function makeEntityReport(
  overrides: Partial<EntityReport> = {},
): EntityReport {
  const service: ClusterServiceReport = { ...makeService(), cluster: 'prod' };
  return {
    entityRef: 'component:default/web',
    services: [service],
    clusters: [
      { name: 'prod', stale: false, scannedAt: '2026-01-01T10:00:00Z' },
    ],
    scannedAt: '2026-01-01T10:00:00Z',
    ...overrides,
  };
}

export function makeFleetReport(): FleetReportResponse {
  return {
    summary: {
      clusters: 2,
      services: 7,
      ok: 3,
      info: 1,
      warning: 2,
      error: 4,
      writeLoops: 1,
    },
    items: [
      {
        cluster: 'prod',
        entityRefs: ['component:default/web'],
        service: makeService(),
      },
    ],
    totalItems: 1,
  };
}

/** A MetallbApi whose every method is a jest mock, answering with the fixtures by default. */
export function createMockMetallbApi(
  overrides: Partial<Record<keyof MetallbApi, jest.Mock>> = {},
): jest.Mocked<MetallbApi> {
  const defaults: jest.Mocked<MetallbApi> = {
    getEntityReport: jest.fn().mockResolvedValue(makeEntityReport()),
    getReport: jest.fn().mockResolvedValue(makeFleetReport()),
    getExportUrl: jest.fn(
      async (format, filters = {}) =>
        `http://example.com/api/metallb/report/export?${new URLSearchParams({
          format,
          ...(filters as Record<string, string>),
        })}`,
    ),
    exportReport: jest.fn().mockResolvedValue(new Blob(['x'])),
    getClusters: jest.fn().mockResolvedValue({
      items: [
        {
          name: 'prod',
          scannable: true,
          stale: false,
          services: 5,
          errors: 4,
          warnings: 2,
          lastScan: {
            startedAt: '2026-01-01T10:00:00Z',
            finishedAt: '2026-01-01T10:00:05Z',
            ok: true,
          },
        },
        {
          name: 'edge',
          scannable: false,
          reason: 'no credentials',
          stale: true,
          services: 2,
          errors: 0,
          warnings: 0,
        },
      ],
    }),
    getHistory: jest.fn().mockResolvedValue({
      points: [
        {
          at: '2026-01-01T00:00:00Z',
          cluster: 'prod',
          error: 2,
          warning: 1,
          info: 0,
        },
        {
          at: '2026-01-02T00:00:00Z',
          cluster: 'prod',
          error: 4,
          warning: 2,
          info: 1,
        },
      ],
    }),
    scan: jest
      .fn()
      .mockResolvedValue({ runs: [{ cluster: 'prod', ok: true }] }),
    getFreeIps: jest.fn(async ({ cluster, pool, namespace }) => ({
      cluster,
      pool,
      namespace: namespace ?? 'default',
      ips: ['10.0.0.10', '10.0.0.11'],
    })),
  };
  return { ...defaults, ...overrides } as jest.Mocked<MetallbApi>;
}

/*
 * Permission decisions for `mockApis.permission`. The enum lives in plugin-permission-common,
 * which this package does not depend on at runtime; its values are these strings.
 */
export const ALLOW = 'ALLOW' as string as AuthorizeResult.ALLOW;
export const DENY = 'DENY' as string as AuthorizeResult.DENY;

/** Allows everything except the named permissions. */
export function denyOnly(...names: string[]) {
  return (request: { permission: { name: string } }) =>
    names.includes(request.permission.name) ? DENY : ALLOW;
}
