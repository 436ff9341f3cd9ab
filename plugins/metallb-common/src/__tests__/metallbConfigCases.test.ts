import type { IPAddressPool, KubeObject } from '../model/kubernetes';
import {
  analyze,
  cluster,
  pool,
  service,
  serviceReport,
} from '../__testUtils__/cluster';

/**
 * Cases from MetalLB's configuration parser tests (internal/config/config_test.go, TestParse),
 * restated as the IPAddressPools a user would have and what our report says about them: whether
 * MetalLB accepts the configuration, the error it gives, and what the accepted pools hold.
 */

function namespace(name: string, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(labels ? { labels } : {}) },
  };
}

function configOf(pools: IPAddressPool[], namespaces: KubeObject[] = []) {
  const report = analyze(
    cluster({ ipAddressPools: pools, namespaces: namespaces as never }),
  );
  return report.metallb;
}

function clusterRules(pools: IPAddressPool[]) {
  return analyze(cluster({ ipAddressPools: pools })).findings.map(f => f.rule);
}

describe("MetalLB's configuration tests", () => {
  // TestParse "config using all features": ranges (with blanks around the dash) are summarised,
  // an IPv6 pool sits beside IPv4 ones, autoAssign and avoidBuggyIPs are kept.
  it('accepts ranges, CIDRs and IPv6 pools together', () => {
    const config = configOf([
      pool('pool1', {
        addresses: ['10.20.0.0/16', '10.50.0.0/24'],
        avoidBuggyIPs: true,
        autoAssign: false,
      }),
      pool('pool2', { addresses: ['30.0.0.0/8'] }),
      pool('pool3', {
        addresses: [
          '40.0.0.0/25',
          '40.0.0.150-40.0.0.200',
          '40.0.0.210 - 40.0.0.240',
          '40.0.0.250 - 40.0.0.250',
        ],
      }),
      pool('pool4', { addresses: ['2001:db8::/64'] }),
    ]);
    expect(config.configErrors).toEqual([]);
    const byName = new Map(config.pools.map(p => [p.name, p]));
    // 128 + 51 (.150-.200) + 31 (.210-.240) + 1 (.250)
    expect(byName.get('pool3')!.capacity.ipv4).toBe(128 + 51 + 31 + 1);
    expect(byName.get('pool1')!.autoAssign).toBe(false);
    expect(byName.get('pool1')!.avoidBuggyIPs).toBe(true);
    expect(byName.get('pool4')!.capacity.ipv4).toBe(0);
    // 2^64 addresses: reported as a decimal string, beyond a JSON number's precision.
    expect(byName.get('pool4')!.capacity.ipv6).toBe('18446744073709551616');
  });

  // TestParse "ip address pool with namespace selection": a plain namespace list and a
  // namespace selector evaluated against the Namespaces' labels; a selector matching no
  // Namespace leaves its pool unused by automatic assignment.
  it('resolves namespace lists and selectors against the Namespaces', () => {
    const pools = [
      pool('pool1', {
        addresses: ['10.20.0.0/16', '10.50.0.0/24'],
        avoidBuggyIPs: true,
        autoAssign: false,
        serviceAllocation: { priority: 1, namespaces: ['test-ns1'] },
      }),
      pool('pool2', {
        addresses: ['30.0.0.0/8'],
        serviceAllocation: {
          priority: 2,
          namespaceSelectors: [{ matchLabels: { team: 'metallb' } }],
        },
      }),
      pool('pool3', {
        addresses: ['40.0.0.0/8'],
        serviceAllocation: {
          priority: 3,
          namespaceSelectors: [{ matchLabels: { team: 'red' } }],
        },
      }),
    ];
    const report = analyze(
      cluster({
        ipAddressPools: pools,
        namespaces: [
          namespace('test-ns1'),
          namespace('test-ns2', { team: 'metallb' }),
        ] as never,
        services: [
          service('a', { namespace: 'test-ns1' }),
          service('b', { namespace: 'test-ns2' }),
          service('c', { namespace: 'other' }),
        ],
      }),
    );
    expect(report.metallb.configErrors).toEqual([]);
    // pool1 selects test-ns1 but has autoAssign: false, which the allocator checks for pinned
    // pools too (pinnedPoolsForService): only an explicit request can use it.
    const a = serviceReport(report, 'a', 'test-ns1').metallb;
    expect(a.ips).toEqual([]);
    const b = serviceReport(report, 'b', 'test-ns2').metallb;
    expect([b.pool, b.ips]).toEqual(['pool2', ['30.0.0.0']]);
    // pool3 selects no Namespace, and pools with serviceAllocation are never a fallback.
    const c = serviceReport(report, 'c', 'other').metallb;
    expect(c.ips).toEqual([]);
    expect(c.event?.message).toBe(
      'Failed to allocate IP for "other/c": no available IPs',
    );
  });

  // TestParse "ip address pool with duplicate namespace selection" and "... duplicate
  // namespace selectors" and "... duplicate service selection": all rejected.
  it.each([
    ['namespaces', { namespaces: ['test-ns1', 'test-ns1'] }],
    [
      'namespaceSelectors',
      {
        namespaceSelectors: [
          { matchLabels: { foo: 'bar' } },
          { matchLabels: { foo: 'bar' } },
        ],
      },
    ],
    [
      'serviceSelectors',
      {
        serviceSelectors: [
          { matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] },
          { matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] },
        ],
      },
    ],
  ])('rejects duplicate %s in serviceAllocation', (_field, allocation) => {
    const config = configOf(
      [
        pool('pool1', {
          addresses: ['10.20.0.0/16'],
          serviceAllocation: { priority: 1, ...allocation },
        }),
      ],
      [namespace('test-ns1', { foo: 'bar' })],
    );
    expect(config.configErrors).toHaveLength(1);
    expect(config.configErrors[0]).toContain('duplicate');
    expect(config.configErrors[0]).toContain('pool1');
  });

  // TestParse "ip address pool with only priority": since 0.15.0 (PR 2714) such a pool gets a
  // match-everything service selector; autoAssign: false (as in that test) still keeps it out
  // of automatic assignment.
  it.each([
    [true, ['10.20.0.1']],
    [false, []],
  ])(
    'makes a priority-only serviceAllocation match every Service (autoAssign %s)',
    (autoAssign, ips) => {
      const report = analyze(
        cluster({
          ipAddressPools: [
            pool('pool1', {
              addresses: ['10.20.0.0/16', '10.50.0.0/24'],
              avoidBuggyIPs: true,
              autoAssign,
              serviceAllocation: { priority: 1 },
            }),
          ],
          services: [service('any', { namespace: 'whatever' })],
        }),
      );
      expect(report.metallb.configErrors).toEqual([]);
      expect(serviceReport(report, 'any', 'whatever').metallb.ips).toEqual(ips);
    },
  );

  // Before 0.15.0 the same pool selected no Service at all.
  it('leaves a priority-only pool unused before 0.15.0', () => {
    const report = analyze(
      cluster({
        version: 'v0.14.9',
        ipAddressPools: [
          pool('pool1', {
            addresses: ['10.20.0.0/16'],
            serviceAllocation: { priority: 1 },
          }),
        ],
        services: [service('any', { namespace: 'whatever' })],
      }),
    );
    expect(serviceReport(report, 'any', 'whatever').metallb.ips).toEqual([]);
  });

  // TestParse "address pool with no address", "invalid pool CIDR", "invalid pool CIDR prefix
  // length", "invalid pool CIDR, first address of the range is after the second".
  it.each([
    [[], 'pool has no prefixes defined'],
    [['100.200.300.400/24'], 'invalid CIDR "100.200.300.400/24"'],
    [['1.2.3.0/33'], 'invalid CIDR "1.2.3.0/33"'],
    [['1.2.3.10-1.2.3.1'], 'is after the end IP'],
  ])('rejects addresses %j', (addresses, error) => {
    const pools = [pool('pool1', { addresses })];
    const config = configOf(pools);
    expect(config.configErrors).toHaveLength(1);
    expect(config.configErrors[0]).toContain(error);
    expect(clusterRules(pools)).toContain('invalid-metallb-config');
  });

  // TestParse "duplicate pool definition".
  it('rejects two pools with one name', () => {
    const config = configOf([
      pool('pool1', { addresses: ['10.0.0.0/24'] }),
      pool('pool2', { addresses: ['10.0.1.0/24'] }),
      pool('pool1', { addresses: ['10.0.2.0/24'] }),
    ]);
    expect(config.configErrors).toEqual([
      'duplicate definition of pool "pool1"',
    ]);
  });

  // TestParse "duplicate CIDRs" and "overlapping CIDRs".
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.0.0.0/8', '10.0.0.0/16'],
  ])('rejects pool2 %s beside pool1 %s', (first, second) => {
    const pools = [
      pool('pool1', { addresses: [first] }),
      pool('pool2', { addresses: [second] }),
    ];
    expect(configOf(pools).configErrors).toEqual([
      `CIDR "${second}" in pool "pool2" overlaps with already defined CIDR "${first}"`,
    ]);
    expect(clusterRules(pools)).toContain('overlapping-pools');
  });

  // poolsFor compares each CIDR with every CIDR defined before it, its own pool's included: a
  // range that summarises into a block already listed in the same pool is refused too.
  it('rejects CIDRs that overlap inside one pool', () => {
    expect(
      configOf([
        pool('pool1', { addresses: ['10.0.0.0/24', '10.0.0.16-10.0.0.31'] }),
      ]).configErrors,
    ).toEqual([
      'CIDR "10.0.0.16/28" in pool "pool1" overlaps with already defined CIDR "10.0.0.0/24"',
    ]);
  });
});

describe('the overlap check', () => {
  // The reference: MetalLB's pairwise loop (own pool's earlier CIDRs included), kept going
  // after the first error with one error per pool.
  function reference(pools: string[][]): string[] {
    const parsed = pools.map(addresses =>
      addresses.map(a => {
        const [base, length] = a.split('/');
        const n = base.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
        const size = 2 ** (32 - Number(length));
        return { text: a, first: n, last: n + size - 1 };
      }),
    );
    const defined: Array<{ text: string; first: number; last: number }> = [];
    const errors: string[] = [];
    parsed.forEach((cidrs, p) => {
      let reported = false;
      for (const cidr of cidrs) {
        const hit = defined.find(
          d => d.first <= cidr.last && cidr.first <= d.last,
        );
        if (hit && !reported) {
          errors.push(
            `CIDR "${cidr.text}" in pool "p${p}" overlaps with already defined CIDR "${hit.text}"`,
          );
          reported = true;
        }
        defined.push(cidr);
      }
    });
    return errors;
  }

  it('agrees with the pairwise check on random pools', () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const pools: string[][] = [];
      const count = 1 + next(6);
      for (let p = 0; p < count; p++) {
        const cidrs: string[] = [];
        for (let c = 0, k = 1 + next(3); c < k; c++) {
          const length = 24 + next(9);
          const size = 2 ** (32 - length);
          const offset = next(256 / size) * size;
          cidrs.push(`10.0.0.${offset}/${length}`);
        }
        pools.push(cidrs);
      }
      const config = configOf(
        pools.map((addresses, p) => pool(`p${p}`, { addresses })),
      );
      expect(config.configErrors).toEqual(reference(pools));
    }
  });
});
