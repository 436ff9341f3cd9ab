import type {
  ClusterReport,
  Finding,
  FleetReport,
  MetallbVerdict,
  ServiceReport,
  ServiceStatus,
} from '@lb-doctor/plugin-metallb-common';

/** Hand-built reports for formatter tests: the engine is developed separately. */

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    rule: 'ip-in-use',
    severity: 'error',
    message: 'IP 192.168.10.10 is already held by shop/api',
    evidence: [
      'metadata.annotations["metallb.io/loadBalancerIPs"] = 192.168.10.10',
    ],
    remediations: [],
    ...overrides,
  };
}

export function verdict(
  overrides: Partial<MetallbVerdict> = {},
): MetallbVerdict {
  return {
    handled: true,
    outcome: 'keep',
    ips: [],
    pool: null,
    event: null,
    events: [],
    writes: false,
    notes: [],
    ...overrides,
  };
}

export function service(
  namespace: string,
  name: string,
  overrides: Partial<ServiceReport> = {},
): ServiceReport {
  const findings = overrides.findings ?? [];
  const worst = (['error', 'warning', 'info'] as const).find(s =>
    findings.some(f => f.severity === s),
  );
  return {
    namespace,
    name,
    loadBalancerClass: null,
    requested: [],
    ingress: [],
    metallb: verdict(),
    owners: [
      {
        controller: 'metallb',
        evidence: ['IPAddressPool metallb-system/default'],
      },
    ],
    findings,
    status: (worst ?? 'ok') as ServiceStatus,
    ...overrides,
  };
}

export function cluster(
  name: string,
  services: ServiceReport[],
  findings: Finding[] = [],
): ClusterReport {
  const count = (s: ServiceStatus) =>
    services.filter(x => x.status === s).length;
  return {
    name,
    metallb: {
      installed: true,
      version: '0.14.8',
      assumedVersion: '0.14.8',
      lbClass: null,
      configSource: 'crds',
      controllers: ['metallb-system/controller'],
      pools: [
        {
          name: 'default',
          source: 'crd',
          addresses: ['192.168.10.0/28'],
          autoAssign: true,
          avoidBuggyIPs: false,
          capacity: { ipv4: 16, ipv6: 0 },
          used: { ipv4: 2, ipv6: 0 },
          services: ['shop/web', 'shop/api'],
          serviceAllocation: null,
          advertised: { l2: true, bgp: false },
        },
      ],
      configErrors: [],
    },
    controllers: [],
    services,
    findings,
    unknownKinds: [],
    summary: {
      services: services.length,
      ok: count('ok'),
      info: count('info'),
      warning: count('warning'),
      error: count('error'),
      byRule: {},
    },
  };
}

const REMEDIATION_YAML = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    metallb.io/loadBalancerIPs: 192.168.10.11
spec:
  type: LoadBalancer
`;

/** A fleet with every kind of content a formatter must handle. */
export function sampleFleet(): FleetReport {
  const web = service('shop', 'web', {
    metallb: verdict({ outcome: 'fail', ips: [] }),
    findings: [
      finding({
        remediations: [
          {
            id: 'change-requested-ip',
            title: 'Request a free IP',
            description: 'Pick 192.168.10.11, which no Service holds.',
            yaml: REMEDIATION_YAML,
            commands: ['kubectl apply -f fix.yaml'],
          },
        ],
      }),
      finding({
        severity: 'info',
        rule: 'deprecated-annotation',
        message: 'old prefix',
      }),
    ],
  });
  const api = service('shop', 'api', {
    metallb: verdict({
      outcome: 'keep',
      ips: ['192.168.10.10'],
      pool: 'default',
    }),
  });
  const longName = service(
    'a-very-long-namespace-name-for-testing',
    'and-an-even-longer-service-name-that-overflows',
    {
      metallb: verdict({
        outcome: 'assign',
        ips: ['2001:db8:ffff:ffff:ffff:ffff:ffff:fffe', '192.168.10.12'],
      }),
      owners: [
        { controller: 'metallb', evidence: [] },
        { controller: 'kube-vip-cloud-provider', evidence: [] },
      ],
      findings: [
        finding({
          severity: 'warning',
          rule: 'controller-contention',
          message: `Both MetalLB and kube-vip-cloud-provider act on this Service | <b>pipes</b> and ${'x'.repeat(
            120,
          )}`,
        }),
      ],
    },
  );
  return {
    clusters: [
      cluster(
        'east',
        [web, api, longName],
        [
          finding({
            rule: 'overlapping-pools',
            severity: 'warning',
            message: 'pools a and b overlap',
          }),
        ],
      ),
      cluster('west', []),
    ],
    findings: [
      finding({
        rule: 'cross-cluster-ip',
        message: '203.0.113.10 is used in east and west',
      }),
    ],
  };
}

/** A report with no findings at all. */
export function cleanFleet(): FleetReport {
  return {
    clusters: [cluster('default', [service('default', 'web')])],
    findings: [],
  };
}
