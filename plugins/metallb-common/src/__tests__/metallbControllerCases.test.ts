import type { IPAddressPool } from '../model/kubernetes';
import {
  analyze,
  cluster,
  pool,
  service,
  ServiceSpecInput,
  serviceReport,
} from '../__testUtils__/cluster';

/**
 * Cases from MetalLB's controller tests (controller/controller_test.go), restated as a cluster
 * with IPAddressPools and one Service per case. MetalLB's TestControllerMutation feeds each
 * Service to the controller against one fixed set of pools and checks the status written and
 * whether a Warning Event was recorded; we check our predicted IPs and Warning Events.
 */

const team = { matchLabels: { team: 'metallb' } };

/** The pools of TestControllerMutation, as a user would write them. */
const mutationPools: IPAddressPool[] = [
  pool('pool1', { addresses: ['1.2.3.0/31'] }),
  pool('pool2', { addresses: ['3.4.5.6/32'], autoAssign: false }),
  pool('pool3', { addresses: ['1000::/127'] }),
  pool('pool4', { addresses: ['2000::1/128'], autoAssign: false }),
  // Overlaps pool1 and pool3: MetalLB's test builds its pools without the parser, which would
  // refuse them. We report the overlap and still use the pools as written.
  pool('pool5', { addresses: ['1.2.3.0/31', '1000::/127'] }),
  pool('pool6', {
    addresses: ['7.8.9.0/31'],
    serviceAllocation: { namespaces: ['test-ns1'], priority: 10 },
  }),
  pool('pool7', {
    addresses: ['10.11.12.0/31'],
    serviceAllocation: { namespaces: ['test-ns1'], priority: 11 },
  }),
  pool('pool8', {
    addresses: ['13.14.15.0/31'],
    serviceAllocation: { serviceSelectors: [team], priority: 9 },
  }),
  pool('pool9', {
    addresses: ['16.17.18.0/31'],
    serviceAllocation: { namespaces: ['test-ns2'] },
  }),
  pool('pool10', {
    addresses: ['19.20.21.0/31'],
    serviceAllocation: { serviceSelectors: [team], priority: 8 },
  }),
  pool('pool11', {
    addresses: ['22.23.24.0/31'],
    serviceAllocation: {
      namespaces: ['test-ns1'],
      serviceSelectors: [team],
      priority: 8,
    },
  }),
  pool('pool12', {
    addresses: ['25.26.27.0/31'],
    serviceAllocation: {
      namespaces: ['test-ns1'],
      serviceSelectors: [team],
      priority: 5,
    },
  }),
];

interface MutationCase {
  /** MetalLB's test description. */
  desc: string;
  svc: ServiceSpecInput;
  /** The IPs the Service ends up with. */
  ips: string[];
  /** Whether MetalLB records a Warning Event. */
  warning: boolean;
}

const v4 = ['1.2.3.4'];
const dual = ['1.2.3.4', '3000::1'];
const lbIps = (value: string) => ({
  annotations: { 'metallb.io/loadBalancerIPs': value },
});
const fromPool = (name: string) => ({
  annotations: { 'metallb.io/address-pool': name },
});
const ingress = (...ips: string[]) => ips.map(ip => ({ ip }));

const mutationCases: MutationCase[] = [
  {
    desc: 'simple non-LoadBalancer',
    svc: { type: 'ClusterIP', clusterIPs: v4 },
    ips: [],
    warning: false,
  },
  {
    desc: 'simple LoadBalancer',
    svc: { clusterIPs: v4 },
    ips: ['1.2.3.0'],
    warning: false,
  },
  {
    desc: 'request specific IP',
    svc: { clusterIPs: v4, loadBalancerIP: '1.2.3.1' },
    ips: ['1.2.3.1'],
    warning: false,
  },
  {
    desc: 'request specific IP via custom annotation',
    svc: { clusterIPs: v4, ...lbIps('1.2.3.1') },
    ips: ['1.2.3.1'],
    warning: false,
  },
  {
    desc: 'request IP from both svc.spec.LoadBalancerIP and custom annotation',
    svc: { clusterIPs: v4, loadBalancerIP: '1.2.3.2', ...lbIps('1.2.3.1') },
    ips: [],
    warning: true,
  },
  {
    desc: 'request invalid IP',
    svc: { clusterIPs: v4, loadBalancerIP: 'please may I have an address' },
    ips: [],
    warning: true,
  },
  {
    desc: 'incompatible ip and address pool annotations',
    svc: {
      clusterIPs: v4,
      annotations: {
        'metallb.io/loadBalancerIPs': '1.2.3.1',
        'metallb.io/address-pool': 'pool2',
      },
    },
    ips: [],
    warning: true,
  },
  {
    desc: 'request invalid IP via custom annotation',
    svc: { clusterIPs: v4, ...lbIps('not an address') },
    ips: [],
    warning: true,
  },
  {
    desc: 'request two IPs from same ip family via custom annotation',
    svc: { clusterIPs: v4, ...lbIps('1.2.3.1,1.2.3.2') },
    ips: [],
    warning: true,
  },
  {
    desc: 'request infeasible IP',
    svc: {
      clusterIPs: v4,
      loadBalancerIP: '1.2.3.4',
      ingress: ingress('1.2.3.1'),
    },
    ips: [],
    warning: true,
  },
  {
    desc: 'request IP from specific pool',
    svc: { clusterIPs: v4, ...fromPool('pool1') },
    ips: ['1.2.3.0'],
    warning: false,
  },
  {
    desc: 'switch to a different specific pool',
    svc: { clusterIPs: v4, ...fromPool('pool2'), ingress: ingress('1.2.3.0') },
    ips: ['3.4.5.6'],
    warning: false,
  },
  {
    desc: 'unknown pool requested',
    svc: { clusterIPs: v4, ...fromPool('does-not-exist') },
    ips: [],
    warning: true,
  },
  {
    desc: 'invalid IP assigned',
    svc: { clusterIPs: v4, ingress: ingress('2.3.4.5') },
    ips: ['1.2.3.0'],
    warning: false,
  },
  {
    desc: 'invalid ingress state',
    svc: {
      clusterIPs: v4,
      ingress: [{ hostname: 'foo.bar.local' }, { ip: '10.10.10.10' }],
    },
    ips: ['1.2.3.0'],
    warning: false,
  },
  {
    desc: 'former LoadBalancer, now NodePort',
    svc: { type: 'NodePort', clusterIPs: v4, ingress: ingress('1.2.3.0') },
    ips: [],
    warning: false,
  },
  {
    desc: 'request layer2 service',
    svc: { clusterIPs: v4, loadBalancerIP: '3.4.5.6' },
    ips: ['3.4.5.6'],
    warning: false,
  },
  {
    desc: 'Layer2 service with local traffic policy',
    svc: {
      clusterIPs: v4,
      loadBalancerIP: '3.4.5.6',
      externalTrafficPolicy: 'Local',
    },
    ips: ['3.4.5.6'],
    warning: false,
  },
  { desc: 'No ClusterIP', svc: { clusterIPs: [] }, ips: [], warning: false },
  {
    desc: 'request IP from wrong ip-family (ipv4)',
    svc: { clusterIPs: ['3000::1'], loadBalancerIP: '1.2.3.1' },
    ips: [],
    warning: true,
  },
  {
    desc: 'request IP from wrong ip-family (ipv4) via custom annotation',
    svc: { clusterIPs: ['3000::1'], ...lbIps('1.2.3.1') },
    ips: [],
    warning: true,
  },
  {
    desc: 'request IP from wrong ip-family (ipv6)',
    svc: { clusterIPs: v4, loadBalancerIP: '1000::' },
    ips: [],
    warning: true,
  },
  {
    desc: 'request IP from wrong ip-family (ipv6) via custom annotation',
    svc: { clusterIPs: v4, ...lbIps('1000::') },
    ips: [],
    warning: true,
  },
  {
    desc: 'IP from wrong ip-family (ipv6) assigned',
    svc: { clusterIPs: v4, ingress: ingress('1000::') },
    ips: ['1.2.3.0'],
    warning: false,
  },
  {
    desc: 'IP from wrong ip-family (ipv4) assigned',
    svc: { clusterIPs: ['3000::1'], ingress: ingress('1.2.3.0') },
    ips: ['1000::'],
    warning: false,
  },
  {
    desc: 'simple dual-stack LoadBalancer',
    svc: { clusterIPs: dual, ipFamilyPolicy: 'RequireDualStack' },
    ips: ['1.2.3.0', '1000::'],
    warning: false,
  },
  {
    desc: 'request IPs from specific pool',
    svc: {
      clusterIPs: dual,
      ipFamilyPolicy: 'RequireDualStack',
      ...fromPool('pool5'),
    },
    ips: ['1.2.3.0', '1000::'],
    warning: false,
  },
  {
    desc: 'simple dual-stack LoadBalancer with PreferDualStack policy',
    svc: { clusterIPs: dual, ipFamilyPolicy: 'PreferDualStack' },
    ips: ['1.2.3.0', '1000::'],
    warning: false,
  },
  {
    desc: 'single-stack LoadBalancer with PreferDualStack policy',
    svc: {
      namespace: 'test-ns1',
      clusterIPs: v4,
      ipFamilyPolicy: 'PreferDualStack',
    },
    ips: ['7.8.9.0'],
    warning: false,
  },
  {
    desc: 'request IPs from dualstack pool with PreferDualStack policy',
    svc: {
      clusterIPs: dual,
      ipFamilyPolicy: 'PreferDualStack',
      ...fromPool('pool5'),
    },
    ips: ['1.2.3.0', '1000::'],
    warning: false,
  },
  {
    desc: 'request IP from single-stack ipv4 pool with PreferDualStack policy',
    svc: {
      clusterIPs: ['1.2.3.4', '1000::'],
      ipFamilyPolicy: 'PreferDualStack',
      ...fromPool('pool1'),
    },
    ips: ['1.2.3.0'],
    warning: false,
  },
  {
    desc: 'request IP from single-stack ipv6 pool with PreferDualStack policy',
    svc: {
      clusterIPs: ['1000::1'],
      ipFamilyPolicy: 'PreferDualStack',
      ...fromPool('pool3'),
    },
    ips: ['1000::'],
    warning: false,
  },
  {
    desc: 'request IPs from dualstack pool with PreferDualStack policy but single stack clusterip',
    svc: {
      clusterIPs: v4,
      ipFamilyPolicy: 'PreferDualStack',
      ...fromPool('pool5'),
    },
    ips: ['1.2.3.0'],
    warning: false,
  },
  {
    desc: 'request IPs from dualstack pool with RequireDualStack policy but single stack clusterip',
    svc: {
      clusterIPs: v4,
      ipFamilyPolicy: 'RequireDualStack',
      ...fromPool('pool5'),
    },
    ips: [],
    warning: true,
  },
  {
    desc: 'request specific loadbalancer IP with dual-stack',
    svc: { clusterIPs: dual, loadBalancerIP: '1.2.3.1' },
    ips: [],
    warning: true,
  },
  {
    desc: 'request specific loadbalancer IPv4 address via custom annotation for dual-stack config',
    svc: { clusterIPs: dual, ...lbIps('1.2.3.1') },
    ips: [],
    warning: true,
  },
  {
    desc: 'request dual-stack loadbalancer IPs via custom annotation',
    svc: {
      clusterIPs: dual,
      ipFamilyPolicy: 'RequireDualStack',
      ...lbIps('1.2.3.0,1000::'),
    },
    ips: ['1.2.3.0', '1000::'],
    warning: false,
  },
  {
    desc: 'request dual-stack loadbalancer with invalid ingress',
    svc: {
      clusterIPs: ['3000::1', '5.6.7.8'],
      ipFamilyPolicy: 'RequireDualStack',
      ingress: [{ hostname: 'foo.bar.local' }, { ip: '1000::' }],
    },
    ips: ['1.2.3.0', '1000::'],
    warning: false,
  },
  {
    desc: 'request dual-stack loadbalancer IPs via custom annotation in a single stack cluster',
    svc: { clusterIP: '1.2.3.4', ...lbIps('1.2.3.0,1000::') },
    ips: [],
    warning: true,
  },
  {
    desc: 'request IP for service from namespace specific ip pool',
    svc: { namespace: 'test-ns1', clusterIPs: v4 },
    ips: ['7.8.9.0'],
    warning: false,
  },
  {
    desc: 'request IP for service from no priority namespace specific ip pool',
    svc: { namespace: 'test-ns2', clusterIPs: v4 },
    ips: ['16.17.18.0'],
    warning: false,
  },
  {
    desc: 'request IP for service from service label specific ip pool',
    svc: { labels: { team: 'metallb' }, clusterIPs: v4 },
    ips: ['19.20.21.0'],
    warning: false,
  },
  {
    desc: 'request IP for service from ip pool having both namespace and service label',
    svc: { namespace: 'test-ns1', labels: { team: 'metallb' }, clusterIPs: v4 },
    ips: ['25.26.27.0'],
    warning: false,
  },
  {
    desc: "simple LoadBalancer, ips already assigned but can't determine family",
    svc: { clusterIPs: v4, ingress: ingress('1.2.3.0', '1.2.3.1', '1.2.3.2') },
    ips: ['1.2.3.0'],
    warning: true,
  },
];

describe("MetalLB's TestControllerMutation", () => {
  const isLoadBalancer = (c: MutationCase) =>
    (c.svc.type ?? 'LoadBalancer') === 'LoadBalancer';

  // MetalLB leaves a non-LoadBalancer Service without IPs; our report lists LoadBalancer
  // Services only, so such a Service simply does not appear.
  it.each(
    mutationCases.filter(c => !isLoadBalancer(c)).map(c => [c.desc] as const),
  )('%s', desc => {
    const c = mutationCases.find(m => m.desc === desc)!;
    expect(c.ips).toEqual([]);
    const report = analyze(
      cluster({
        ipAddressPools: mutationPools,
        services: [service('test', c.svc)],
      }),
    );
    expect(report.services).toEqual([]);
  });

  it.each(mutationCases.filter(isLoadBalancer).map(c => [c.desc, c] as const))(
    '%s',
    (_desc, c) => {
      const namespace = c.svc.namespace ?? 'default';
      const report = analyze(
        cluster({
          ipAddressPools: mutationPools,
          services: [service('test', c.svc)],
        }),
      );
      const verdict = serviceReport(report, 'test', namespace).metallb;
      expect(verdict.ips).toEqual(c.ips);
      expect(verdict.events.some(e => e.type === 'Warning')).toBe(c.warning);
    },
  );
});

describe("MetalLB's TestControllerConfig", () => {
  const svc = (held?: string) =>
    service('test', {
      clusterIPs: ['1.2.3.4'],
      ...(held ? { ingress: [{ ip: held }] } : {}),
    });

  it('does nothing to a Service while no pool exists', () => {
    const report = analyze(cluster({ ipAddressPools: [], services: [svc()] }));
    const verdict = serviceReport(report, 'test').metallb;
    expect(verdict.ips).toEqual([]);
    expect(verdict.events).toEqual([]);
    expect(verdict.writes).toBe(false);
  });

  it('assigns the first address once a pool exists', () => {
    const report = analyze(
      cluster({
        ipAddressPools: [pool('default', { addresses: ['1.2.3.0/24'] })],
        services: [svc()],
      }),
    );
    expect(serviceReport(report, 'test').metallb.ips).toEqual(['1.2.3.0']);
  });

  it('clears the Service, without a Warning, when its pool is removed', () => {
    const report = analyze(
      cluster({ ipAddressPools: [], services: [svc('1.2.3.0')] }),
    );
    const verdict = serviceReport(report, 'test').metallb;
    expect(verdict.ips).toEqual([]);
    expect(verdict.writes).toBe(true);
    expect(verdict.events.filter(e => e.type === 'Warning')).toEqual([]);
  });
});

describe("MetalLB's TestDeleteRecyclesIP", () => {
  const only = pool('default', { addresses: ['1.2.3.0/32'] });
  const second = service('test2', {
    clusterIPs: ['1.2.3.4'],
    created: '2025-01-02T00:00:00Z',
  });

  it('leaves the second Service pending with a Warning while the only IP is taken', () => {
    const first = service('test', {
      clusterIPs: ['1.2.3.4'],
      ingress: [{ ip: '1.2.3.0' }],
    });
    const report = analyze(
      cluster({ ipAddressPools: [only], services: [first, second] }),
    );
    expect(serviceReport(report, 'test').metallb.ips).toEqual(['1.2.3.0']);
    const pending = serviceReport(report, 'test2').metallb;
    expect(pending.ips).toEqual([]);
    expect(pending.event).toEqual({
      type: 'Warning',
      reason: 'AllocationFailed',
      message: 'Failed to allocate IP for "default/test2": no available IPs',
    });
  });

  it('gives the freed IP to the second Service once the first is deleted', () => {
    const report = analyze(
      cluster({ ipAddressPools: [only], services: [second] }),
    );
    expect(serviceReport(report, 'test2').metallb.ips).toEqual(['1.2.3.0']);
  });
});

describe("MetalLB's TestControllerReassign", () => {
  const assigned = service('test', {
    clusterIPs: ['1.2.3.4'],
    ingress: [{ ip: '1.2.3.0' }],
    annotations: { 'metallb.io/ip-allocated-from-pool': 'default' },
  });
  const defaultPool = pool('default', {
    addresses: ['1.2.3.0/24', '1000::1/127'],
  });
  const secondPool = pool('second', { addresses: ['4.5.6.0/24'] });

  it('keeps the allocation when a second pool is added', () => {
    const report = analyze(
      cluster({
        ipAddressPools: [defaultPool, secondPool],
        services: [assigned],
      }),
    );
    const verdict = serviceReport(report, 'test').metallb;
    expect(verdict.ips).toEqual(['1.2.3.0']);
    expect(verdict.writes).toBe(false);
  });

  it('moves the Service to the second pool when its pool is deleted', () => {
    const report = analyze(
      cluster({ ipAddressPools: [secondPool], services: [assigned] }),
    );
    const verdict = serviceReport(report, 'test').metallb;
    expect([verdict.ips, verdict.pool]).toEqual([['4.5.6.0'], 'second']);
    expect(verdict.events.map(e => e.reason)).toEqual([
      'ClearAssignment',
      'IPAllocated',
    ]);
  });
});

describe("MetalLB's TestControllerDualStackConfig", () => {
  it('gives a RequireDualStack Service one address of each family', () => {
    const report = analyze(
      cluster({
        ipAddressPools: [
          pool('default', { addresses: ['1.2.3.0/24', '1000::1/127'] }),
        ],
        services: [
          service('test', {
            clusterIPs: ['1.2.3.4', '1000::'],
            ipFamilyPolicy: 'RequireDualStack',
          }),
        ],
      }),
    );
    expect(serviceReport(report, 'test').metallb.ips).toEqual([
      '1.2.3.0',
      '1000::',
    ]);
  });
});

describe("MetalLB's TestLBClass (internal/k8s/controllers)", () => {
  it.each<[string, string | undefined, string | undefined, boolean]>([
    ['Empty serviceclass, metallb default', undefined, undefined, true],
    ['Empty serviceclass, metallb specific', undefined, 'metallb', false],
    ['Set serviceclass, metallb default', 'foo', undefined, false],
    ['Set serviceclass, metallb different', 'foo', 'metallb', false],
    ['Set serviceclass, metallb same', 'metallb', 'metallb', true],
  ])('%s', (_desc, serviceClass, metallbClass, handled) => {
    const report = analyze(
      cluster({
        ipAddressPools: [pool('default', { addresses: ['1.2.3.0/24'] })],
        services: [service('test', { loadBalancerClass: serviceClass })],
        lbClassArgs: metallbClass ? [`--lb-class=${metallbClass}`] : [],
      }),
    );
    const verdict = serviceReport(report, 'test').metallb;
    expect(verdict.handled).toBe(handled);
    expect(verdict.ips).toEqual(handled ? ['1.2.3.0'] : []);
    // A filtered Service is skipped before anything else: no Event, no write.
    expect(verdict.events.length > 0).toBe(handled);
  });
});
