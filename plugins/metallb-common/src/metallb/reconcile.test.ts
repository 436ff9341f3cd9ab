import { pool, rulesOf, service, verdictOf } from '../__testUtils__/cluster';

// Pools shaped like the ones MetalLB's controller tests use (overlaps are deliberate there too:
// the allocator accepts them; only the config parser complains).
const v4 = pool('pool1', { addresses: ['1.2.3.0/31'] });
const manualV4 = pool('pool2', {
  addresses: ['3.4.5.6/32'],
  autoAssign: false,
});
const v6 = pool('pool3', { addresses: ['1000::/127'] });
const dual = pool('pool5', { addresses: ['1.2.3.0/31', '1000::/127'] });
const nsPool = pool('pool6', {
  addresses: ['7.8.9.0/31'],
  serviceAllocation: { namespaces: ['test-ns1'], priority: 10 },
});
const nsPoolLower = pool('pool7', {
  addresses: ['10.11.12.0/31'],
  serviceAllocation: { namespaces: ['test-ns1'], priority: 11 },
});
const labelPool = pool('pool10', {
  addresses: ['19.20.21.0/31'],
  serviceAllocation: {
    serviceSelectors: [{ matchLabels: { team: 'metallb' } }],
    priority: 8,
  },
});
const bothPool = pool('pool12', {
  addresses: ['25.26.27.0/31'],
  serviceAllocation: {
    namespaces: ['test-ns1'],
    serviceSelectors: [{ matchLabels: { team: 'metallb' } }],
    priority: 5,
  },
});
const noPriorityNs = pool('pool9', {
  addresses: ['16.17.18.0/31'],
  serviceAllocation: { namespaces: ['test-ns2'] },
});
const all = [
  v4,
  manualV4,
  v6,
  dual,
  nsPool,
  nsPoolLower,
  labelPool,
  bothPool,
  noPriorityNs,
];

describe('allocation of a new Service', () => {
  it('gives the first address of an auto-assign pool, network address included', () => {
    const r = verdictOf(service('s', { clusterIPs: ['1.2.3.4'] }), all);
    expect(r.metallb).toMatchObject({
      handled: true,
      outcome: 'assign',
      ips: ['1.2.3.0'],
      pool: 'pool1',
      event: {
        type: 'Normal',
        reason: 'IPAllocated',
        message: 'Assigned IP ["1.2.3.0"]',
      },
    });
  });

  it('honours spec.loadBalancerIP and the annotation', () => {
    expect(
      verdictOf(service('a', { loadBalancerIP: '1.2.3.1' }), all).metallb.ips,
    ).toEqual(['1.2.3.1']);
    const r = verdictOf(
      service('b', {
        annotations: { 'metallb.io/loadBalancerIPs': '1.2.3.1' },
      }),
      all,
    );
    expect(r.metallb.ips).toEqual(['1.2.3.1']);
    expect(r.status).toBe('ok');
  });

  it('refuses a Service with both the field and the annotation, even for the same IP', () => {
    const r = verdictOf(
      service('s', {
        loadBalancerIP: '1.2.3.1',
        annotations: { 'metallb.io/loadBalancerIPs': '1.2.3.1' },
      }),
      all,
    );
    expect(r.metallb.outcome).toBe('fail');
    expect(r.metallb.event).toEqual({
      type: 'Warning',
      reason: 'AllocationFailed',
      message:
        'Failed to allocate IP for "default/s": service can not have both metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP',
    });
    expect(rulesOf(r)).toContain('conflicting-ip-requests');
  });

  it.each([
    [
      'spec.loadBalancerIP',
      { loadBalancerIP: 'please sir' },
      'invalid spec.loadBalancerIP "please sir"',
    ],
    [
      'annotation',
      { annotations: { 'metallb.io/loadBalancerIPs': 'please sir' } },
      'invalid metallb.io/loadBalancerIPs: "please sir"',
    ],
    [
      'two IPv4 in the annotation',
      { annotations: { 'metallb.io/loadBalancerIPs': '1.2.3.1,1.2.3.2' } },
      'IPFamilyForAddresses: same address family ["1.2.3.1" "1.2.3.2"]',
    ],
    [
      'three IPs in the annotation',
      {
        annotations: {
          'metallb.io/loadBalancerIPs': '1.2.3.1, 1.2.3.2,1000::1',
        },
      },
      'IPFamilyForAddresses: invalid ips length 3 ["1.2.3.1" "1.2.3.2" "1000::1"]',
    ],
  ])(
    "fails an invalid request (%s) with MetalLB's text",
    (_label, input, error) => {
      const r = verdictOf(service('s', input), all);
      expect(r.metallb.outcome).toBe('fail');
      expect(r.metallb.ips).toEqual([]);
      expect(r.metallb.event?.message).toBe(
        `Failed to allocate IP for "default/s": ${error}`,
      );
    },
  );

  it('refuses an IP that is not in the requested pool', () => {
    const r = verdictOf(
      service('s', {
        annotations: {
          'metallb.io/loadBalancerIPs': '1.2.3.1',
          'metallb.io/address-pool': 'pool2',
        },
      }),
      [v4, manualV4],
    );
    expect(r.metallb.event?.message).toBe(
      'Failed to allocate IP for "default/s": requested loadBalancer IP(s) ["1.2.3.1"] is not compatible with requested address pool pool2',
    );
    expect(rulesOf(r)).toContain('ip-not-in-requested-pool');
  });

  it('lets an explicit request use an autoAssign: false pool', () => {
    expect(
      verdictOf(service('s', { loadBalancerIP: '3.4.5.6' }), all).metallb.ips,
    ).toEqual(['3.4.5.6']);
  });

  it('allocates from a named pool, autoAssign ignored', () => {
    const r = verdictOf(
      service('s', { annotations: { 'metallb.io/address-pool': 'pool2' } }),
      all,
    );
    expect(r.metallb).toMatchObject({ ips: ['3.4.5.6'], pool: 'pool2' });
  });

  it('fails an unknown pool without falling back', () => {
    const r = verdictOf(
      service('s', { annotations: { 'metallb.io/address-pool': 'nope' } }),
      all,
    );
    expect(r.metallb.event?.message).toBe(
      'Failed to allocate IP for "default/s": unknown pool "nope"',
    );
    expect(rulesOf(r)).toContain('unknown-address-pool');
  });

  it("returns MetalLB's nil-IP error for a named pool without the family", () => {
    const r = verdictOf(
      service('s', {
        clusterIPs: ['1.2.3.4'],
        annotations: { 'metallb.io/address-pool': 'pool3' },
      }),
      all,
    );
    expect(r.metallb.event?.message).toBe(
      'Failed to allocate IP for "default/s": ["<nil>"] is not allowed in config',
    );
  });

  it.each([
    [
      'IPv4 request for an IPv6 Service',
      { clusterIPs: ['3000::1'], loadBalancerIP: '1.2.3.1' },
      '["1.2.3.1"]',
    ],
    [
      'IPv6 request for an IPv4 Service',
      { clusterIPs: ['1.2.3.4'], loadBalancerIP: '1000::' },
      '["1000::"]',
    ],
    [
      'IPv4 only for a dual-stack Service',
      { clusterIPs: ['1.2.3.4', '3000::1'], loadBalancerIP: '1.2.3.1' },
      '["1.2.3.1"]',
    ],
  ])('refuses a request of the wrong family: %s', (_label, input, ips) => {
    const r = verdictOf(service('s', input), all);
    expect(r.metallb.event?.message).toBe(
      `Failed to allocate IP for "default/s": requested loadBalancer IP(s) ${ips} does not match the ipFamily of the service`,
    );
    expect(rulesOf(r)).toContain('ip-family-mismatch');
  });

  it('fails an IP outside every pool', () => {
    const r = verdictOf(service('s', { loadBalancerIP: '9.9.9.9' }), all);
    expect(r.metallb.event?.message).toBe(
      'Failed to allocate IP for "default/s": ["9.9.9.9"] is not allowed in config',
    );
    expect(rulesOf(r)).toEqual(
      expect.arrayContaining([
        'ip-not-in-any-pool',
        'deprecated-load-balancer-ip',
      ]),
    );
    const fix = r.findings.find(
      f => f.rule === 'ip-not-in-any-pool',
    )!.remediations;
    expect(fix.map(x => x.id)).toContain('use-free-ip');
  });
});

describe('dual-stack', () => {
  it('gives IPv4 then IPv6 from one pool to a RequireDualStack Service', () => {
    const r = verdictOf(
      service('s', {
        clusterIPs: ['1.2.3.4', '3000::1'],
        ipFamilyPolicy: 'RequireDualStack',
      }),
      all,
    );
    expect(r.metallb).toMatchObject({
      ips: ['1.2.3.0', '1000::'],
      pool: 'pool5',
    });
    expect(r.metallb.event?.message).toBe('Assigned IP ["1.2.3.0" "1000::"]');
  });

  it('gives PreferDualStack one family when the named pool has one', () => {
    const r = verdictOf(
      service('s', {
        clusterIPs: ['1.2.3.4', '1000::'],
        ipFamilyPolicy: 'PreferDualStack',
        annotations: { 'metallb.io/address-pool': 'pool1' },
      }),
      all,
    );
    expect(r.metallb.ips).toEqual(['1.2.3.0']);
  });

  it('gives a single-clusterIP PreferDualStack Service one IP at first allocation', () => {
    const r = verdictOf(
      service('s', {
        clusterIPs: ['1.2.3.4'],
        ipFamilyPolicy: 'PreferDualStack',
        annotations: { 'metallb.io/address-pool': 'pool5' },
      }),
      all,
    );
    expect(r.metallb.ips).toEqual(['1.2.3.0']);
  });

  it('adds, then removes, the second family of a single-clusterIP PreferDualStack Service (oscillation)', () => {
    const one = verdictOf(
      service('s', {
        clusterIPs: ['1.2.3.4'],
        ipFamilyPolicy: 'PreferDualStack',
        ingress: [{ ip: '1.2.3.0' }],
      }),
      [dual],
    );
    expect(one.metallb).toMatchObject({
      outcome: 'assign',
      ips: ['1.2.3.0', '1000::'],
    });
    expect(one.metallb.event?.message).toBe('Assigned additional IP "1000::"');
    expect(rulesOf(one)).toContain('dual-stack-oscillation');
    const two = verdictOf(
      service('s', {
        clusterIPs: ['1.2.3.4'],
        ipFamilyPolicy: 'PreferDualStack',
        ingress: [{ ip: '1.2.3.0' }, { ip: '1000::' }],
      }),
      [dual],
    );
    expect(two.metallb).toMatchObject({ outcome: 'assign', ips: ['1.2.3.0'] });
  });

  // Observed on the real MetalLB v0.16.1 controller (scripts/testbed/differential.mjs): a dual
  // clusterIP PreferDualStack Service that got one IPv4 from an IPv4-only pool is tried for IPv6
  // on the next reconcile. MetalLB's own address counts as free for it, so the pool is not
  // "exhausted" even when its other address is taken; Assign then gets [existing, nil].
  it('names both the held IP and <nil> when the pool has no address of the missing family', () => {
    const small = pool('small', {
      addresses: ['10.0.84.254-10.0.84.255'],
    });
    const other = service('other', {
      clusterIPs: ['10.96.0.1'],
      ingress: [{ ip: '10.0.84.254' }],
    });
    const r = verdictOf(
      service('s', {
        clusterIPs: ['10.96.0.2', 'fd00::2'],
        ipFamilyPolicy: 'PreferDualStack',
        ingress: [{ ip: '10.0.84.255' }],
      }),
      [small],
      { services: [other] },
    );
    expect(r.metallb).toMatchObject({ outcome: 'keep', ips: ['10.0.84.255'] });
    expect(r.metallb.event).toEqual({
      type: 'Normal',
      reason: 'AdditionalAssignFailed',
      message:
        'cannot assign additional IP in PreferDualStack: ["10.0.84.255" "<nil>"] is not allowed in config',
    });
  });

  it('warns when RequireDualStack has a single cluster IP', () => {
    const r = verdictOf(
      service('s', {
        clusterIPs: ['1.2.3.4'],
        ipFamilyPolicy: 'RequireDualStack',
        annotations: { 'metallb.io/address-pool': 'pool5' },
      }),
      all,
    );
    expect(r.metallb.event).toEqual({
      type: 'Warning',
      reason: 'not enough clusterips',
      message:
        'Service requires dual stack but not enough clusterips ["1.2.3.4"]',
    });
    expect(r.metallb.ips).toEqual([]);
  });

  it('re-allocates a dual-stack Service whose status holds one family and a hostname', () => {
    const r = verdictOf(
      service('s', {
        clusterIPs: ['3000::1', '5.6.7.8'],
        ipFamilyPolicy: 'RequireDualStack',
        ingress: [{ hostname: 'foo.bar.local' }, { ip: '1000::' }],
      }),
      all,
    );
    expect(r.metallb.ips).toEqual(['1.2.3.0', '1000::']);
  });

  it('refuses a dual-stack request on a single-stack Service', () => {
    const r = verdictOf(
      service('s', {
        clusterIP: '1.2.3.4',
        annotations: { 'metallb.io/loadBalancerIPs': '1.2.3.0,1000::' },
      }),
      all,
    );
    expect(r.metallb.outcome).toBe('fail');
    expect(r.metallb.event?.reason).toBe('AllocationFailed');
  });
});

describe('serviceAllocation', () => {
  it('prefers the namespace pool with the lowest priority number', () => {
    expect(
      verdictOf(service('s', { namespace: 'test-ns1' }), all).metallb.ips,
    ).toEqual(['7.8.9.0']);
  });
  it('uses a namespace pool without priority', () => {
    expect(
      verdictOf(service('s', { namespace: 'test-ns2' }), all).metallb.ips,
    ).toEqual(['16.17.18.0']);
  });
  it('uses a service-selector pool', () => {
    expect(
      verdictOf(service('s', { labels: { team: 'metallb' } }), all).metallb.ips,
    ).toEqual(['19.20.21.0']);
  });
  it('picks the pool matching namespace and labels with the best priority', () => {
    expect(
      verdictOf(
        service('s', { namespace: 'test-ns1', labels: { team: 'metallb' } }),
        all,
      ).metallb.ips,
    ).toEqual(['25.26.27.0']);
  });
  it('never uses a restricted pool as fallback', () => {
    const r = verdictOf(service('s', { namespace: 'other' }), [nsPool]);
    expect(r.metallb.event?.message).toBe(
      'Failed to allocate IP for "default/s": no available IPs'.replace(
        'default',
        'other',
      ),
    );
    expect(rulesOf(r)).toContain('no-pool-available');
  });
  it('refuses an explicit IP from a pool that excludes the namespace', () => {
    const r = verdictOf(
      service('s', { namespace: 'other', loadBalancerIP: '7.8.9.1' }),
      [nsPool],
    );
    expect(r.metallb.event?.message).toBe(
      'Failed to allocate IP for "other/s": pool pool6 not compatible for ip assignment',
    );
    expect(rulesOf(r)).toContain('pool-not-allowed');
  });
  it('expands namespaceSelectors against Namespace labels', () => {
    const selected = pool('sel', {
      addresses: ['192.0.2.0/30'],
      serviceAllocation: {
        namespaceSelectors: [{ matchLabels: { env: 'prod' } }],
      },
    });
    const namespaces = [
      { metadata: { name: 'shop', labels: { env: 'prod' } } },
    ];
    expect(
      verdictOf(service('s', { namespace: 'shop' }), [selected], { namespaces })
        .metallb.ips,
    ).toEqual(['192.0.2.0']);
    expect(
      verdictOf(service('s', { namespace: 'dev' }), [selected], { namespaces })
        .metallb.outcome,
    ).toBe('fail');
  });
  it('treats a priority-only serviceAllocation as match-all since 0.15.0, match-none before', () => {
    const priorityOnly = pool('p', {
      addresses: ['192.0.2.0/30'],
      serviceAllocation: { priority: 1 },
    });
    expect(verdictOf(service('s'), [priorityOnly]).metallb.ips).toEqual([
      '192.0.2.0',
    ]);
    const old = verdictOf(service('s'), [priorityOnly], { version: 'v0.14.9' });
    expect(old.metallb.outcome).toBe('fail');
    expect(old.metallb.event?.message).toBe(
      'Failed to allocate IP for "default/s": no available IPs',
    );
  });
});

describe('current IPs are re-validated', () => {
  it('replaces an IP outside the pools (ClearAssignment then IPAllocated)', () => {
    const r = verdictOf(
      service('s', { clusterIPs: ['1.2.3.4'], ingress: [{ ip: '2.3.4.5' }] }),
      all,
    );
    expect(r.metallb.outcome).toBe('assign');
    expect(r.metallb.ips).toEqual(['1.2.3.0']);
    expect(r.metallb.events.map(e => e.reason)).toEqual([
      'ClearAssignment',
      'IPAllocated',
    ]);
    expect(r.metallb.events[0].message).toBe(
      'current IP for "default/s" not allowed by config, will attempt for new IP assignment: ["2.3.4.5"] is not allowed in config',
    );
  });

  it('keeps a valid IP without any event', () => {
    const r = verdictOf(
      service('s', {
        ingress: [{ ip: '1.2.3.1' }],
        annotations: { 'metallb.io/ip-allocated-from-pool': 'pool1' },
      }),
      [v4],
    );
    expect(r.metallb).toMatchObject({
      outcome: 'keep',
      ips: ['1.2.3.1'],
      event: null,
      writes: false,
    });
  });

  it('clears a requested IP that became infeasible and leaves the status empty', () => {
    const r = verdictOf(
      service('s', {
        clusterIPs: ['1.2.3.4'],
        loadBalancerIP: '1.2.3.4',
        ingress: [{ ip: '1.2.3.1' }],
      }),
      all,
    );
    expect(r.metallb.outcome).toBe('clear');
    expect(r.metallb.ips).toEqual([]);
    expect(r.metallb.event?.reason).toBe('AllocationFailed');
  });

  it('moves to the newly requested pool', () => {
    const r = verdictOf(
      service('s', {
        clusterIPs: ['1.2.3.4'],
        ingress: [{ ip: '1.2.3.0' }],
        annotations: { 'metallb.io/address-pool': 'pool2' },
      }),
      all,
    );
    expect(r.metallb).toMatchObject({
      outcome: 'assign',
      ips: ['3.4.5.6'],
      pool: 'pool2',
    });
  });

  it('clears a status of the wrong family silently and allocates again', () => {
    const r = verdictOf(
      service('s', { clusterIPs: ['1.2.3.4'], ingress: [{ ip: '1000::' }] }),
      all,
    );
    expect(r.metallb.ips).toEqual(['1.2.3.0']);
    expect(r.metallb.events.map(e => e.reason)).toEqual(['IPAllocated']);
  });

  it('reports a status it cannot read (three IPs) and reallocates', () => {
    const r = verdictOf(
      service('s', {
        clusterIPs: ['1.2.3.4'],
        ingress: [{ ip: '1.2.3.0' }, { ip: '1.2.3.1' }, { ip: '1.2.3.2' }],
      }),
      all,
    );
    expect(r.metallb.events[0]).toEqual({
      type: 'Warning',
      reason: 'nolbIPsIPFamily',
      message:
        'Failed to retrieve LBIPs IPFamily for ["1.2.3.0" "1.2.3.1" "1.2.3.2"]: IPFamilyForAddresses: invalid ips length 3 ["1.2.3.0" "1.2.3.1" "1.2.3.2"]',
    });
    expect(r.metallb.ips).toEqual(['1.2.3.0']);
  });

  it('keeps current IPs but warns when the request became invalid', () => {
    const r = verdictOf(
      service('s', {
        ingress: [{ ip: '1.2.3.1' }],
        annotations: { 'metallb.io/loadBalancerIPs': 'bogus' },
      }),
      [v4],
    );
    expect(r.metallb.outcome).toBe('keep');
    expect(r.metallb.event).toEqual({
      type: 'Warning',
      reason: 'LoadBalancerFailed',
      message:
        'invalid requested loadbalancer IPs: invalid metallb.io/loadBalancerIPs: "bogus"',
    });
  });

  it('clears everything when no pool exists, without an event', () => {
    const r = verdictOf(service('s', { ingress: [{ ip: '1.2.3.1' }] }), []);
    expect(r.metallb).toMatchObject({ outcome: 'clear', ips: [], event: null });
  });

  it('clears a live Service without cluster IPs, without an event', () => {
    const svc = service('s', { ports: [] });
    delete svc.spec!.clusterIPs;
    const r = verdictOf(svc, all);
    expect(r.metallb).toMatchObject({ ips: [], event: null });
  });

  it('assumes cluster IPs for a manifest that was not applied yet', () => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'm', namespace: 'default' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    };
    const r = verdictOf(manifest, all);
    expect(r.metallb.ips).toEqual(['1.2.3.0']);
    expect(r.metallb.notes.join(' ')).toMatch(/not applied yet/);
  });
});

describe('sharing', () => {
  const p = pool('p', { addresses: ['10.0.0.0/30'] });
  const holder = service('holder', {
    annotations: { 'metallb.io/allow-shared-ip': 'k' },
    ports: [{ port: 80 }],
    ingress: [{ ip: '10.0.0.0' }],
    created: '2024-01-01T00:00:00Z',
  });

  it('co-locates a compatible Service on the address already in use', () => {
    const r = verdictOf(
      service('s', {
        annotations: { 'metallb.io/allow-shared-ip': 'k' },
        ports: [{ port: 443 }],
      }),
      [p],
      { services: [holder] },
    );
    expect(r.metallb.ips).toEqual(['10.0.0.0']);
  });

  it('lets TCP and UDP share a port number', () => {
    const r = verdictOf(
      service('s', {
        annotations: { 'metallb.io/allow-shared-ip': 'k' },
        ports: [{ port: 80, protocol: 'UDP' }],
        loadBalancerIP: '10.0.0.0',
      }),
      [p],
      { services: [holder] },
    );
    expect(r.metallb.ips).toEqual(['10.0.0.0']);
  });

  it('refuses the same port twice', () => {
    const r = verdictOf(
      service('s', {
        annotations: { 'metallb.io/allow-shared-ip': 'k' },
        ports: [{ port: 80 }],
        loadBalancerIP: '10.0.0.0',
      }),
      [p],
      { services: [holder] },
    );
    expect(r.metallb.event?.message).toBe(
      'Failed to allocate IP for "default/s": port TCP/80 is already in use on "10.0.0.0"',
    );
    expect(rulesOf(r)).toContain('sharing-conflict');
  });

  it('refuses an IP held by a Service without a key', () => {
    const r = verdictOf(
      service('s', { loadBalancerIP: '10.0.0.0', ports: [{ port: 443 }] }),
      [p],
      { services: [holder] },
    );
    expect(r.metallb.event?.message).toBe(
      'Failed to allocate IP for "default/s": can\'t change sharing key for "default/s", address also in use by default/holder',
    );
  });

  it('refuses Local traffic policy Services with different selectors', () => {
    const local = (name: string, app: string, ip?: string) =>
      service(name, {
        annotations: { 'metallb.io/allow-shared-ip': 'k' },
        externalTrafficPolicy: 'Local',
        selector: { app },
        ports: [{ port: name === 'a' ? 80 : 81 }],
        ...(ip ? { ingress: [{ ip }] } : { loadBalancerIP: '10.0.0.0' }),
      });
    const r = verdictOf(local('b', 'two'), [p], {
      services: [local('a', 'one', '10.0.0.0')],
    });
    expect(r.metallb.outcome).toBe('fail');
    expect(rulesOf(r)).toContain('sharing-conflict');
  });

  it('keeps the older of two Services holding the same IP and moves the other', () => {
    const older = service('older', {
      ingress: [{ ip: '10.0.0.0' }],
      created: '2024-01-01T00:00:00Z',
    });
    const newer = service('newer', {
      ingress: [{ ip: '10.0.0.0' }],
      created: '2025-01-01T00:00:00Z',
    });
    const r = verdictOf(newer, [p], { services: [older] });
    expect(r.metallb.events[0].reason).toBe('ClearAssignment');
    expect(r.metallb.ips).toEqual(['10.0.0.1']);
  });
});

describe('avoidBuggyIPs and exhaustion', () => {
  it('skips .0 and .255', () => {
    const p = pool('p', { addresses: ['10.0.0.0/24'], avoidBuggyIPs: true });
    expect(verdictOf(service('s'), [p]).metallb.ips).toEqual(['10.0.0.1']);
    expect(
      verdictOf(service('s', { loadBalancerIP: '10.0.0.255' }), [p]).metallb
        .event?.message,
    ).toBe(
      'Failed to allocate IP for "default/s": ["10.0.0.255"] is not allowed in config',
    );
  });

  it('reports an exhausted named pool', () => {
    const p = pool('tiny', { addresses: ['10.0.0.1/32'] });
    const r = verdictOf(
      service('s', { annotations: { 'metallb.io/address-pool': 'tiny' } }),
      [p],
      {
        services: [service('holder', { ingress: [{ ip: '10.0.0.1' }] })],
      },
    );
    expect(r.metallb.event?.message).toBe(
      'Failed to allocate IP for "default/s": no available IPs in pool tiny',
    );
    expect(rulesOf(r)).toContain('pool-exhausted');
  });
});

describe('class filter', () => {
  it.each([
    [[], undefined, true],
    [[], 'foo', false],
    [['--lb-class=foo'], undefined, false],
    [['--lb-class=foo'], 'foo', true],
    [['--lb-class=foo'], 'bar', false],
  ])('with args %j and class %s handled is %s', (args, cls, handled) => {
    const r = verdictOf(service('s', { loadBalancerClass: cls }), [v4], {
      lbClassArgs: args,
    });
    expect(r.metallb.handled).toBe(handled);
    expect(r.metallb.outcome).toBe(handled ? 'assign' : 'ignore');
    expect(r.metallb.ips).toEqual(handled ? ['1.2.3.0'] : []);
  });

  it('takes --metallb-lb-class from the options over the Deployment', () => {
    const r = verdictOf(
      service('s', { loadBalancerClass: 'x' }),
      [v4],
      {},
      { metallbLbClass: 'x' },
    );
    expect(r.metallb.handled).toBe(true);
  });
});

describe('versions', () => {
  it('reads only metallb.universe.tf/ annotations before 0.14.9', () => {
    const svc = service('s', {
      annotations: { 'metallb.io/loadBalancerIPs': '1.2.3.1' },
    });
    expect(verdictOf(svc, [v4], { version: 'v0.14.8' }).metallb.ips).toEqual([
      '1.2.3.0',
    ]);
    expect(verdictOf(svc, [v4], { version: 'v0.14.9' }).metallb.ips).toEqual([
      '1.2.3.1',
    ]);
  });

  it('prefers the metallb.io/ key over the deprecated one and warns about the old one on writes', () => {
    const svc = service('s', {
      annotations: {
        'metallb.io/loadBalancerIPs': '1.2.3.1',
        'metallb.universe.tf/loadBalancerIPs': '1.2.3.0',
      },
    });
    const r = verdictOf(svc, [v4]);
    expect(r.metallb.ips).toEqual(['1.2.3.1']);
    expect(r.metallb.events.map(e => e.reason)).toEqual([
      'IPAllocated',
      'deprecatedAnnotation',
    ]);
    expect(rulesOf(r)).toContain('deprecated-annotation');
  });

  it('treats PreferDualStack as RequireDualStack before 0.14.9', () => {
    const svc = service('s', {
      clusterIPs: ['1.2.3.4', '3000::1'],
      ipFamilyPolicy: 'PreferDualStack',
    });
    expect(verdictOf(svc, [v4], { version: 'v0.14.8' }).metallb.outcome).toBe(
      'fail',
    );
    expect(verdictOf(svc, [v4], { version: 'v0.14.9' }).metallb.ips).toEqual([
      '1.2.3.0',
    ]);
  });

  it('keeps a stranded IP when a release before 0.14.2 rejects the pool change', () => {
    const svc = service('s', {
      ingress: [{ ip: '9.9.9.9' }],
      annotations: { 'metallb.universe.tf/ip-allocated-from-pool': 'gone' },
    });
    const r = verdictOf(svc, [v4], { version: 'v0.14.1' });
    expect(r.metallb.outcome).toBe('keep');
    expect(rulesOf(r)).toContain('metallb-known-bug');
  });
});
