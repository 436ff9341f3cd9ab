import type { IPAddressPool, Service } from '../model/kubernetes';
import type { ServiceReport } from '../model/report';
import {
  analyze,
  cluster,
  pool,
  service,
  ServiceSpecInput,
  serviceReport,
} from '../__testUtils__/cluster';

/**
 * Cases from MetalLB's allocator tests (internal/allocator/allocator_test.go). MetalLB drives
 * its allocator step by step; we restate each step as the cluster it stands for: the Services
 * that already hold addresses carry them in their status, and the Service under test asks for
 * an address (annotation metallb.io/loadBalancerIPs) or for any address. Services holding IPs
 * are created first, so they are reconciled first, as in MetalLB's reprocess-all pass.
 */

/** Services named in creation order: index i is created i minutes after the first. */
function services(specs: Array<[string, ServiceSpecInput]>): Service[] {
  return specs.map(([name, spec], i) =>
    service(name, {
      created: `2025-01-01T00:${String(i).padStart(2, '0')}:00Z`,
      ...spec,
    }),
  );
}

function run(pools: IPAddressPool[], svcs: Service[]) {
  const report = analyze(cluster({ ipAddressPools: pools, services: svcs }));
  return (name: string): ServiceReport['metallb'] =>
    serviceReport(report, name).metallb;
}

const holding = (
  ip: string,
  extra: ServiceSpecInput = {},
): ServiceSpecInput => ({
  ingress: [{ ip }],
  ...extra,
});
const asking = (
  ip: string,
  extra: ServiceSpecInput = {},
): ServiceSpecInput => ({
  ...extra,
  annotations: { 'metallb.io/loadBalancerIPs': ip, ...extra.annotations },
});
/** A Service sharing its address under `key`, with Local traffic to the Pods of `app`. */
const sharing = (
  key: string,
  app: string,
  port: number,
  protocol = 'TCP',
): ServiceSpecInput => ({
  annotations: { 'metallb.io/allow-shared-ip': key },
  externalTrafficPolicy: 'Local',
  selector: { app },
  ports: [{ port, protocol }],
});

describe("MetalLB's TestAssignment", () => {
  const pools = [
    pool('test', { addresses: ['1.2.3.4/31', '1000::4/127'] }),
    pool('test2', {
      addresses: ['1.2.4.0/24', '1000::4:0/120'],
      avoidBuggyIPs: true,
    }),
    pool('test3', {
      addresses: ['1.2.5.0/24', '1000::5:0/120'],
      avoidBuggyIPs: true,
      serviceAllocation: { namespaces: ['test-ns1'] },
    }),
    pool('test4', {
      addresses: ['1.2.6.0/24', '1000::6:0/120'],
      avoidBuggyIPs: true,
      serviceAllocation: {
        serviceSelectors: [{ matchLabels: { team: 'metallb' } }],
      },
    }),
  ];

  it("s2 can't grab s1's IP, but can get the other one", () => {
    const taken = run(
      pools,
      services([
        ['s1', holding('1.2.3.4')],
        ['s2', asking('1.2.3.4')],
      ]),
    );
    expect(taken('s1').ips).toEqual(['1.2.3.4']);
    expect(taken('s2').ips).toEqual([]);
    expect(taken('s2').event).toEqual({
      type: 'Warning',
      reason: 'AllocationFailed',
      message:
        'Failed to allocate IP for "default/s2": can\'t change sharing key for "default/s2", address also in use by default/s1',
    });
    const other = run(
      pools,
      services([
        ['s1', holding('1.2.3.4')],
        ['s2', asking('1.2.3.5')],
      ]),
    );
    expect(other('s2').ips).toEqual(['1.2.3.5']);
  });

  it("s2 can grab s1's former IP once s1 frees it", () => {
    const get = run(
      pools,
      services([
        ['s1', {}],
        ['s2', holding('1.2.3.5', asking('1.2.3.4'))],
      ]),
    );
    expect(get('s2').ips).toEqual(['1.2.3.4']);
  });

  it.each(['1.2.4.0', '1.2.4.255'])(
    's3 cannot grab the buggy IP %s of an avoidBuggyIPs pool',
    ip => {
      const get = run(pools, services([['s3', asking(ip)]]));
      expect(get('s3').ips).toEqual([]);
      expect(get('s3').event?.message).toBe(
        `Failed to allocate IP for "default/s3": ["${ip}"] is not allowed in config`,
      );
    },
  );

  it('s3 can grab another IP in that pool', () => {
    const get = run(pools, services([['s3', asking('1.2.4.254')]]));
    expect([get('s3').ips, get('s3').pool]).toEqual([['1.2.4.254'], 'test2']);
  });

  it('s4 changes its sharing key in place while alone on its IP', () => {
    const get = run(
      pools,
      services([['s4', holding('1.2.4.3', sharing('share', 'backend', 80))]]),
    );
    expect(get('s4').ips).toEqual(['1.2.4.3']);
    // Kept as it is: no new allocation, no Event.
    expect(get('s4').events).toEqual([]);
  });

  const s4 = holding('1.2.4.3', sharing('share', 'backend', 80));
  it.each<[string, ServiceSpecInput, string | null]>([
    [
      'port conflict',
      sharing('share', 'backend', 80),
      'port TCP/80 is already in use on "1.2.4.3"',
    ],
    [
      'wrong sharing key',
      sharing('othershare', 'backend', 443),
      'can\'t change sharing key for "default/s3", address also in use by default/s4',
    ],
    [
      'wrong backend key',
      sharing('share', 'otherbackend', 443),
      'can\'t change sharing key for "default/s3", address also in use by default/s4',
    ],
    [
      'none: s3 takes the same IP as s4',
      sharing('share', 'backend', 443),
      null,
    ],
    [
      'none: TCP/80 beside UDP/53',
      sharing('share', 'backend', 53, 'UDP'),
      null,
    ],
  ])("s3 sharing s4's IP, conflict: %s", (_what, s3, error) => {
    const get = run(
      pools,
      services([
        ['s4', s4],
        ['s3', asking('1.2.4.3', s3)],
      ]),
    );
    expect(get('s4').ips).toEqual(['1.2.4.3']);
    const shared = { ips: ['1.2.4.3'], message: 'Assigned IP ["1.2.4.3"]' };
    const refused = {
      ips: [],
      message: `Failed to allocate IP for "default/s3": ${error}`,
    };
    expect({ ips: get('s3').ips, message: get('s3').event?.message }).toEqual(
      error === null ? shared : refused,
    );
  });

  it.each<[string, ServiceSpecInput]>([
    ['its sharing key', sharing('othershare', 'backend', 443)],
    ['its backend key', sharing('share', 'otherbackend', 443)],
  ])("s3 can't change %s while keeping s4's IP", (_what, changed) => {
    // s3 asks for the shared address explicitly, so it cannot move elsewhere.
    const get = run(
      pools,
      services([
        ['s4', s4],
        ['s3', holding('1.2.4.3', asking('1.2.4.3', changed))],
      ]),
    );
    expect(get('s4').ips).toEqual(['1.2.4.3']);
    expect(get('s3').ips).toEqual([]);
    expect(get('s3').event?.type).toBe('Warning');
  });

  it('s3 can change its ports while keeping the same IP', () => {
    const get = run(
      pools,
      services([
        ['s4', s4],
        [
          's3',
          holding(
            '1.2.4.3',
            asking('1.2.4.3', sharing('share', 'backend', 53, 'UDP')),
          ),
        ],
      ]),
    );
    expect(get('s3').ips).toEqual(['1.2.4.3']);
    expect(get('s3').events).toEqual([]);
  });

  it('gives a dual-stack Service both families of one pool, never of two', () => {
    const dual = {
      clusterIPs: ['10.96.0.1', 'fd00::1'],
      ipFamilyPolicy: 'RequireDualStack',
    };
    const same = run(
      pools,
      services([['s1', asking('1.2.3.4,1000::4', dual)]]),
    );
    expect(same('s1').ips).toEqual(['1.2.3.4', '1000::4']);
    const split = run(
      pools,
      services([['s1', asking('1.2.4.5,1000::4', dual)]]),
    );
    expect(split('s1').ips).toEqual([]);
    expect(split('s1').event?.type).toBe('Warning');
  });

  it.each<[string, ServiceSpecInput, string, boolean]>([
    ['pinned on same namespace', { namespace: 'test-ns1' }, '1.2.5.10', true],
    [
      'pinned on different namespace',
      { namespace: 'elsewhere' },
      '1.2.5.10',
      false,
    ],
    [
      'pinned with same service label',
      { namespace: 'elsewhere', labels: { team: 'metallb' } },
      '1.2.6.10',
      true,
    ],
    [
      'pinned with different service label',
      { namespace: 'elsewhere', labels: { team: 'red' } },
      '1.2.6.10',
      false,
    ],
  ])('assigns an IP from a pool %s: %s', (_what, spec, ip, allowed) => {
    const svc = service('s1', asking(ip, spec));
    const report = analyze(cluster({ ipAddressPools: pools, services: [svc] }));
    const verdict = serviceReport(report, 's1', spec.namespace).metallb;
    expect(verdict.ips).toEqual(allowed ? [ip] : []);
    expect(verdict.event?.message).toMatch(
      allowed
        ? /^Assigned IP/
        : /pool test[34] not compatible for ip assignment$/,
    );
  });
});

describe("MetalLB's TestBuggyIPs", () => {
  it('hands out .0 and .255 only from pools without avoidBuggyIPs', () => {
    const pools = [
      pool('test', { addresses: ['1.2.3.0/31'] }),
      pool('test2', { addresses: ['1.2.3.254/31'] }),
      pool('test3', { addresses: ['1.2.4.0/31'], avoidBuggyIPs: true }),
      pool('test4', { addresses: ['1.2.4.254/31'], avoidBuggyIPs: true }),
    ];
    const names = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'];
    const get = run(pools, services(names.map(n => [n, {}])));
    const given = names.slice(0, 6).flatMap(n => get(n).ips);
    expect(new Set(given)).toEqual(
      new Set([
        '1.2.3.0',
        '1.2.3.1',
        '1.2.3.254',
        '1.2.3.255',
        '1.2.4.1',
        '1.2.4.254',
      ]),
    );
    expect(get('s7').ips).toEqual([]);
    expect(get('s7').event?.message).toBe(
      'Failed to allocate IP for "default/s7": no available IPs',
    );
  });
});

describe("MetalLB's TestConfigReload", () => {
  // s1 holds 1.2.3.0 and the IPv6-only s2 holds 1000:: from pool test; then the pools change.
  const v6 = { clusterIPs: ['fd00::1'] };
  it.each<[string, IPAddressPool[], string | null, string | null]>([
    [
      'set same config is no-op',
      [pool('test', { addresses: ['1.2.3.0/30', '1000::/126'] })],
      'test',
      'test',
    ],
    [
      'expand pool',
      [pool('test', { addresses: ['1.2.3.0/24', '1000::/120'] })],
      'test',
      'test',
    ],
    [
      "can't shrink further, removing the service allocation",
      [pool('test', { addresses: ['1.2.3.2/31', '1000::0/126'] })],
      null,
      'test',
    ],
    [
      "can't shrink further ipv6, removing the service allocation",
      [pool('test', { addresses: ['1.2.3.0/30', '1000::2/127'] })],
      'test',
      null,
    ],
    [
      'rename the pool',
      [pool('test2', { addresses: ['1.2.3.0/30', '1000::0/126'] })],
      'test2',
      'test2',
    ],
    [
      'split pool',
      [
        pool('test', { addresses: ['1.2.3.0/31', '1000::2/127'] }),
        pool('test2', { addresses: ['1.2.3.2/31', '1000::/127'] }),
      ],
      'test',
      'test2',
    ],
    [
      'enable buggy IPs not allowed',
      [
        pool('test2', {
          addresses: ['1.2.3.0/31', '1000::/127'],
          avoidBuggyIPs: true,
        }),
      ],
      null,
      'test2',
    ],
  ])('%s', (_desc, pools, poolS1, poolS2) => {
    const get = run(
      pools,
      services([
        ['s1', holding('1.2.3.0')],
        ['s2', holding('1000::', v6)],
      ]),
    );
    for (const [name, ip, kept] of [
      ['s1', '1.2.3.0', poolS1],
      ['s2', '1000::', poolS2],
    ] as const) {
      const verdict = get(name);
      // Released by the new configuration: MetalLB clears it and assigns a fresh address.
      const released = {
        keeps: false,
        pool: expect.any(String),
        first: 'ClearAssignment',
      };
      expect({
        keeps: verdict.ips.includes(ip),
        pool: verdict.pool,
        first: verdict.events[0]?.reason ?? null,
      }).toEqual(kept ? { keeps: true, pool: kept, first: null } : released);
    }
  });
});

describe("MetalLB's TestAutoAssign", () => {
  it('never assigns from an autoAssign: false pool on its own', () => {
    const pools = [
      pool('test1', {
        addresses: ['1.2.3.4/31', '1000::4/127'],
        autoAssign: false,
      }),
      pool('test2', { addresses: ['1.2.3.10/31', '1000::10/127'] }),
    ];
    const get = run(
      pools,
      services([
        ['s1', {}],
        ['s2', {}],
        ['s3', {}],
      ]),
    );
    expect([...get('s1').ips, ...get('s2').ips].sort()).toEqual([
      '1.2.3.10',
      '1.2.3.11',
    ]);
    expect(get('s3').ips).toEqual([]);
    // Asking for it by name still works.
    const named = run(
      pools,
      services([
        ['s1', { annotations: { 'metallb.io/address-pool': 'test1' } }],
      ]),
    );
    expect(named('s1').ips).toEqual(['1.2.3.4']);
  });
});

describe("MetalLB's TestPoolCount", () => {
  it.each<[string[], boolean, number, number | string]>([
    [['1.2.3.0/24'], false, 256, 0],
    [['1.2.3.0/24', '2.3.4.128/25'], false, 384, 0],
    [['1.2.3.0/24', '2.3.4.128/25'], true, 381, 0],
    [['1.2.3.0/31', '1000::/127'], true, 1, 2],
  ])(
    '%j (avoidBuggyIPs %s) holds %d IPv4 and %s IPv6',
    (addresses, avoid, v4, v6) => {
      const report = analyze(
        cluster({
          ipAddressPools: [pool('p', { addresses, avoidBuggyIPs: avoid })],
        }),
      );
      expect(report.metallb.pools[0].capacity).toEqual({ ipv4: v4, ipv6: v6 });
    },
  );
});

// PR 2891 (released in 0.16.0, allocator: return error when pool has no available IPs) changed
// the Event of a Service that asks an exhausted pool by name; allocator_test.go "s5 can't get an
// IPv4" is the allocator side of it.
describe('asking an exhausted pool by name', () => {
  // Before 0.14.9 (allocator rewritten for PreferDualStack) the error named the family, with
  // the pool quoted; those releases read only the metallb.universe.tf/ prefix.
  it.each([
    ['v0.13.10', 'no available IPs in pool "small" for ipv4 IPFamily'],
    ['v0.14.8', 'no available IPs in pool "small" for ipv4 IPFamily'],
    ['v0.14.9', '["<nil>"] is not allowed in config'],
    ['v0.15.3', '["<nil>"] is not allowed in config'],
    ['v0.16.0', 'no available IPs in pool small'],
  ])('on %s fails with %s', (version, error) => {
    const report = analyze(
      cluster({
        version,
        ipAddressPools: [
          pool('small', { addresses: ['10.0.0.10/32'], autoAssign: false }),
        ],
        services: services([
          [
            'a',
            holding('10.0.0.10', {
              annotations: { 'metallb.universe.tf/address-pool': 'small' },
            }),
          ],
          [
            'b',
            { annotations: { 'metallb.universe.tf/address-pool': 'small' } },
          ],
        ]),
      }),
    );
    const b = serviceReport(report, 'b');
    expect(b.metallb.event?.message).toBe(
      `Failed to allocate IP for "default/b": ${error}`,
    );
    // Either way the cause is the same: the pool is full.
    expect(b.findings.map(f => f.rule)).toContain('pool-exhausted');
  });

  // metallb/metallb#2482 (0.14.5): before 0.14.9 PreferDualStack needed both families, so an
  // IPv4-only pool named by the Service could not serve it.
  it.each([
    ['v0.14.5', [], 'no available IPs in pool "pool1" for dual IPFamily'],
    ['v0.14.9', ['10.1.0.0'], null],
  ])(
    'a PreferDualStack Service asking an IPv4 pool on %s',
    (version, ips, error) => {
      const report = analyze(
        cluster({
          version,
          ipAddressPools: [
            pool('pool1', { addresses: ['10.1.0.0/24'], autoAssign: false }),
          ],
          services: [
            service('nginx', {
              clusterIPs: ['10.96.0.79', 'fd00::d899'],
              ipFamilies: ['IPv4', 'IPv6'],
              ipFamilyPolicy: 'PreferDualStack',
              annotations: { 'metallb.universe.tf/address-pool': 'pool1' },
            }),
          ],
        }),
      );
      const verdict = serviceReport(report, 'nginx').metallb;
      expect(verdict.ips).toEqual(ips);
      expect(
        verdict.events.find(e => e.reason === 'AllocationFailed')?.message ??
          null,
      ).toBe(error && `Failed to allocate IP for "default/nginx": ${error}`);
    },
  );
});

describe("MetalLB's TestPoolAllocation", () => {
  // Every Service asks pool "test" by name; "test2" has plenty of room but is not asked.
  const pools = [
    pool('test', {
      addresses: ['1.2.3.4/31', '1.2.3.10/31', '1000::/127', '2000::/127'],
    }),
    pool('test2', { addresses: ['10.20.30.0/24', 'fc00::2:0/120'] }),
  ];
  const fromTest = (extra: ServiceSpecInput = {}): ServiceSpecInput => ({
    ...extra,
    annotations: { 'metallb.io/address-pool': 'test', ...extra.annotations },
  });

  it.each<[string, string[], string[]]>([
    ['IPv4', ['10.96.0.1'], ['1.2.3.4', '1.2.3.5', '1.2.3.10', '1.2.3.11']],
    ['IPv6', ['fd00::1'], ['1000::', '1000::1', '2000::', '2000::1']],
  ])(
    's1-s4 get the four %s addresses of the pool, s5 and s6 get none',
    (_family, clusterIPs, addresses) => {
      const names = ['s1', 's2', 's3', 's4', 's5', 's6'];
      const report = analyze(
        cluster({
          ipAddressPools: pools,
          services: services(names.map(n => [n, fromTest({ clusterIPs })])),
        }),
      );
      const get = (n: string) => serviceReport(report, n).metallb;
      // Whatever the Event's wording, the cause is a full pool, not an address outside the pools.
      expect(serviceReport(report, 's5').findings.map(f => f.rule)).toEqual([
        'pool-exhausted',
      ]);
      expect(names.slice(0, 4).map(n => get(n).ips[0])).toEqual(addresses);
      // The pool still has addresses of the other family, so even 0.16's allocator goes on
      // with a nil address of this one and Assign refuses it.
      for (const n of ['s5', 's6']) {
        expect(get(n).ips).toEqual([]);
        expect(get(n).event?.message).toBe(
          `Failed to allocate IP for "default/${n}": ["<nil>"] is not allowed in config`,
        );
      }
    },
  );

  it('s6 can get an IPv4 once s5 shares its address', () => {
    const held = ['1.2.3.4', '1.2.3.5', '1.2.3.10'];
    const get = run(
      pools,
      services([
        ...held.map((ip, i): [string, ServiceSpecInput] => [
          `s${i + 1}`,
          fromTest(holding(ip)),
        ]),
        [
          's5',
          fromTest({
            ...holding('1.2.3.11'),
            annotations: { 'metallb.io/allow-shared-ip': 'share' },
            ports: [{ port: 80 }],
          }),
        ],
        [
          's6',
          fromTest({
            annotations: { 'metallb.io/allow-shared-ip': 'share' },
            ports: [{ port: 443 }],
          }),
        ],
      ]),
    );
    expect(get('s6').ips).toEqual(['1.2.3.11']);
  });

  it('gives a RequireDualStack Service one address of each family', () => {
    const get = run(
      pools,
      services([
        [
          's1',
          fromTest({
            clusterIPs: ['10.96.0.1', 'fd00::1'],
            ipFamilyPolicy: 'RequireDualStack',
          }),
        ],
      ]),
    );
    expect(get('s1').ips).toEqual(['1.2.3.4', '1000::']);
  });

  it("calls a pool without the Service's family a family mismatch", () => {
    const report = analyze(
      cluster({
        ipAddressPools: [pool('v6only', { addresses: ['1000::/127'] })],
        services: [
          service('s1', {
            annotations: { 'metallb.io/address-pool': 'v6only' },
          }),
        ],
      }),
    );
    const s1 = serviceReport(report, 's1');
    expect(s1.metallb.event?.message).toBe(
      'Failed to allocate IP for "default/s1": ["<nil>"] is not allowed in config',
    );
    expect(s1.findings.map(f => f.rule)).toEqual(['ip-family-mismatch']);
  });
});
