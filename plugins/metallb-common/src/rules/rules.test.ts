import { parseAllDocuments } from 'yaml';
import { analyzeFleet } from '../analyze';
import type { KubeEvent } from '../model/kubernetes';
import {
  analyze,
  cluster,
  metallbController,
  pool,
  rulesOf,
  service,
  serviceReport,
  verdictOf,
} from '../__testUtils__/cluster';
import { RULES } from './catalog';

const p = pool('default', { addresses: ['192.168.10.240-192.168.10.250'] });

const chiselDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chisel-operator', namespace: 'chisel-operator-system' },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'manager', image: 'ghcr.io/fyralabs/chisel-operator:v0.5.1' },
        ],
      },
    },
  },
};

function metallbEvent(
  reason: string,
  count: number,
  message: string,
): KubeEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `frontend.${reason}`, namespace: 'web' },
    involvedObject: {
      kind: 'Service',
      namespace: 'web',
      name: 'frontend',
      uid: 'uid-frontend',
    },
    reason,
    message,
    type: reason === 'AllocationFailed' ? 'Warning' : 'Normal',
    count,
    firstTimestamp: '2025-03-06T10:00:00Z',
    lastTimestamp: '2025-03-06T11:00:00Z',
    source: { component: 'metallb-controller' },
  };
}

describe('the Chisel/MetalLB fight', () => {
  const frontend = service('frontend', {
    namespace: 'web',
    ingress: [{ ip: '203.0.113.7' }],
    selector: { app: 'frontend' },
  });
  frontend.metadata!.finalizers = ['service.chisel-operator.io/finalizer'];
  frontend.metadata!.managedFields = [
    {
      manager: 'chisel-operator',
      operation: 'Update',
      subresource: 'status',
      time: '2025-03-06T11:00:00Z',
      fieldsV1: { 'f:status': { 'f:loadBalancer': { 'f:ingress': {} } } },
    },
  ];
  const events = [
    metallbEvent(
      'ClearAssignment',
      214,
      'current IP for "web/frontend" not allowed by config, will attempt for new IP assignment: ["203.0.113.7"] is not allowed in config',
    ),
    metallbEvent('IPAllocated', 214, 'Assigned IP ["192.168.10.240"]'),
  ];

  it('names both owners, raises contention and the write loop with a rate, root cause first', () => {
    const r = verdictOf(frontend, [p], {
      deployments: [
        metallbController('v0.14.9') as never,
        chiselDeployment as never,
      ],
      events,
    });
    expect(r.owners.map(o => o.controller)).toEqual(
      expect.arrayContaining(['metallb', 'chisel-operator']),
    );
    expect(rulesOf(r).slice(0, 2)).toEqual([
      'controller-contention',
      'write-loop',
    ]);
    const loop = r.findings.find(f => f.rule === 'write-loop')!;
    expect(loop.message).toMatch(/214 times in 60 min \(3\.6 writes\/min\)/);
    expect(r.metallb).toMatchObject({
      outcome: 'assign',
      ips: ['192.168.10.240'],
    });
    expect(r.status).toBe('error');
  });

  // What the real MetalLB v0.16.1 controller left after 15 s of fighting a chisel-like writer
  // (scripts/testbed/chisel-loop.mjs): ~120 rewrites, but client-go's spam filter let only 25
  // Normal Events through, all within the first seconds.
  it('says the Event-based rate is a lower bound once the recorder throttles, in seconds under a minute', () => {
    const burst = [
      metallbEvent('ClearAssignment', 12, 'current IP ...'),
      metallbEvent('IPAllocated', 13, 'Assigned IP ["192.168.10.240"]'),
    ].map(e => ({
      ...e,
      firstTimestamp: '2026-11-25T14:21:01Z',
      lastTimestamp: '2026-11-25T14:21:03Z',
    }));
    const r = verdictOf(frontend, [p], {
      deployments: [
        metallbController('v0.16.1') as never,
        chiselDeployment as never,
      ],
      events: burst,
    });
    const loop = r.findings.find(f => f.rule === 'write-loop')!;
    expect(loop.message).toMatch(
      /at least 12 times in 2 s \(360 writes\/min\)/,
    );
    expect(loop.evidence.join('\n')).toMatch(/Events undercount the writes/);
  });

  it('offers the class, the split and MetalLB --lb-class, each as parseable YAML or commands', () => {
    const r = verdictOf(frontend, [p], {
      deployments: [
        metallbController('v0.14.9') as never,
        chiselDeployment as never,
      ],
      events,
    });
    const fixes = r.findings.find(
      f => f.rule === 'controller-contention',
    )!.remediations;
    const ids = fixes.map(f => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'split-service',
        'set-load-balancer-class',
        'chisel-load-balancer-class',
        'metallb-lb-class',
      ]),
    );
    const cls = fixes.find(f => f.id === 'set-load-balancer-class')!;
    const docs = parseAllDocuments(cls.yaml!).map(d => d.toJS());
    expect(docs[0].spec.loadBalancerClass).toBe(
      'chisel-operator.io/chisel-operator-class',
    );
    expect(docs[0].metadata).toMatchObject({
      name: 'frontend',
      namespace: 'web',
    });
    const split = parseAllDocuments(
      fixes.find(f => f.id === 'split-service')!.yaml!,
    ).map(d => d.toJS());
    expect(split).toHaveLength(2);
    expect(split[0].spec.selector).toEqual(split[1].spec.selector);
  });

  // On the real MetalLB v0.16.1 controller (scripts/testbed/chisel-loop.mjs) the split used to
  // turn chisel-operator's exit-node IP in spec.loadBalancerIP into MetalLB's loadBalancerIPs
  // annotation, so MetalLB's half kept failing with "is not allowed in config".
  it("does not hand MetalLB's half of the split an IP outside every pool", () => {
    const pinned = service('frontend', {
      namespace: 'web',
      loadBalancerIP: '203.0.113.7',
      selector: { app: 'frontend' },
    });
    pinned.metadata!.finalizers = ['service.chisel-operator.io/finalizer'];
    pinned.metadata!.managedFields = [
      {
        manager: 'chisel-operator',
        operation: 'Update',
        time: '2025-03-06T11:00:00Z',
        fieldsV1: { 'f:spec': { 'f:loadBalancerIP': {} } },
      },
    ];
    const r = verdictOf(pinned, [p], {
      deployments: [
        metallbController('v0.16.1') as never,
        chiselDeployment as never,
      ],
    });
    const split = parseAllDocuments(
      r.findings
        .find(f => f.rule === 'controller-contention')!
        .remediations.find(f => f.id === 'split-service')!.yaml!,
    ).map(d => d.toJS());
    const metallbHalf = split.find(d => d.metadata.name === 'frontend');
    expect(metallbHalf.spec.loadBalancerIP).toBeUndefined();
    expect(
      metallbHalf.metadata.annotations?.['metallb.io/loadBalancerIPs'],
    ).toBeUndefined();
  });

  it('flags the spec.loadBalancerIP variant as not-in-pool and deprecated', () => {
    const spec = service('frontend', {
      namespace: 'web',
      loadBalancerIP: '203.0.113.7',
    });
    const r = verdictOf(spec, [p], {
      deployments: [
        metallbController('v0.14.9') as never,
        chiselDeployment as never,
      ],
    });
    expect(r.metallb.event?.message).toBe(
      'Failed to allocate IP for "web/frontend": ["203.0.113.7"] is not allowed in config',
    );
    expect(rulesOf(r)).toEqual(
      expect.arrayContaining([
        'controller-contention',
        'write-loop',
        'ip-not-in-any-pool',
        'deprecated-load-balancer-ip',
      ]),
    );
  });

  it("is quiet once the Service has chisel's class", () => {
    const fixed = service('frontend', {
      namespace: 'web',
      loadBalancerClass: 'chisel-operator.io/chisel-operator-class',
      ingress: [{ ip: '203.0.113.7' }],
    });
    const r = verdictOf(fixed, [p], {
      deployments: [
        metallbController('v0.14.9') as never,
        chiselDeployment as never,
      ],
    });
    expect(r.metallb.handled).toBe(false);
    expect(r.owners.map(o => o.controller)).toEqual(['chisel-operator']);
    expect(r.status).toBe('ok');
  });
});

describe('service rules', () => {
  it('class-unserved: a class nobody serves', () => {
    const r = verdictOf(
      service('s', { loadBalancerClass: 'example.com/none' }),
      [p],
    );
    expect(rulesOf(r)).toContain('class-unserved');
  });

  it('class-unserved: class-less Service while MetalLB only serves its --lb-class', () => {
    const r = verdictOf(service('s'), [p], {
      lbClassArgs: ['--lb-class=metallb'],
    });
    expect(rulesOf(r)).toContain('class-unserved');
    expect(
      r.findings.find(f => f.rule === 'class-unserved')!.remediations[0].id,
    ).toBe('set-load-balancer-class');
  });

  it('pool-not-advertised: no advertisement selects the pool', () => {
    const l2 = {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: 'l2', namespace: 'metallb-system' },
      spec: { ipAddressPools: ['other'] },
    };
    const r = verdictOf(service('s'), [p], {
      l2Advertisements: [l2],
      bgpAdvertisements: [],
    });
    expect(rulesOf(r)).toContain('pool-not-advertised');
    const ok = verdictOf(service('s'), [p], {
      l2Advertisements: [{ ...l2, spec: {} }],
      bgpAdvertisements: [],
    });
    expect(rulesOf(ok)).not.toContain('pool-not-advertised');
  });

  it('ingress-mismatch: the status is not the requested IP', () => {
    const r = verdictOf(
      service('s', {
        annotations: { 'metallb.io/loadBalancerIPs': '192.168.10.245' },
        ingress: [{ ip: '192.168.10.240' }],
      }),
      [p],
    );
    expect(rulesOf(r)).toContain('ingress-mismatch');
    expect(r.metallb.ips).toEqual(['192.168.10.245']);
  });

  it('pending-service: nothing serves a class-less Service', () => {
    const r = analyze({ name: 'c', deployments: [], services: [service('s')] });
    expect(rulesOf(serviceReport(r, 's'))).toEqual(['pending-service']);
  });

  it('says the verdict is unknown when pools were not read', () => {
    const r = analyze({ name: 'c', services: [service('s')] });
    expect(serviceReport(r, 's').metallb.outcome).toBe('unknown');
    expect(r.unknownKinds).toContain('IPAddressPool');
  });

  it('metallb-known-bug: PreferDualStack acting as RequireDualStack before 0.14.9', () => {
    const svc = service('s', {
      clusterIPs: ['10.96.0.1', 'fd00::1'],
      ipFamilyPolicy: 'PreferDualStack',
    });
    expect(rulesOf(verdictOf(svc, [p], { version: 'v0.14.8' }))).toContain(
      'metallb-known-bug',
    );
  });

  it("gives every finding a severity from the catalog's set and a known rule id", () => {
    const ids = new Set(RULES.map(r => r.id));
    const r = verdictOf(
      service('s', {
        loadBalancerIP: '9.9.9.9',
        annotations: { 'metallb.universe.tf/address-pool': 'x' },
      }),
      [p],
    );
    for (const f of r.findings) {
      expect(ids.has(f.rule)).toBe(true);
      expect(['error', 'warning', 'info']).toContain(f.severity);
    }
    expect(r.status).toBe('error');
  });
});

describe('cluster rules', () => {
  it('overlapping-pools and invalid-metallb-config', () => {
    const r = analyze(
      cluster({
        ipAddressPools: [
          pool('a', { addresses: ['10.0.0.0/24'] }),
          pool('b', { addresses: ['10.0.0.128/25'] }),
          pool('c', { addresses: ['192.168.1.0/33'] }),
        ],
        services: [],
      }),
    );
    const rules = r.findings.map(f => f.rule);
    expect(rules).toEqual(
      expect.arrayContaining(['overlapping-pools', 'invalid-metallb-config']),
    );
    expect(r.metallb.configErrors).toEqual(
      expect.arrayContaining([
        'CIDR "10.0.0.128/25" in pool "b" overlaps with already defined CIDR "10.0.0.0/24"',
        'parsing address pool c: invalid CIDR "192.168.1.0/33" in pool "c": invalid CIDR "192.168.1.0/33"',
      ]),
    );
  });

  it('kube-proxy-strict-arp in IPVS mode', () => {
    const kubeProxy = (strict: boolean) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-proxy', namespace: 'kube-system' },
      data: {
        'config.conf': `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: "ipvs"\nipvs:\n  strictARP: ${strict}\n`,
      },
    });
    const bad = analyze(
      cluster({
        ipAddressPools: [p],
        configMaps: [kubeProxy(false)],
        services: [],
      }),
    );
    expect(bad.findings.map(f => f.rule)).toContain('kube-proxy-strict-arp');
    const good = analyze(
      cluster({
        ipAddressPools: [p],
        configMaps: [kubeProxy(true)],
        services: [],
      }),
    );
    expect(good.findings.map(f => f.rule)).not.toContain(
      'kube-proxy-strict-arp',
    );
  });

  it('pool-contains-node-ip', () => {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      status: {
        addresses: [{ type: 'InternalIP', address: '192.168.10.241' }],
      },
    };
    const r = analyze(
      cluster({ ipAddressPools: [p], nodes: [node], services: [] }),
    );
    expect(r.findings.map(f => f.rule)).toContain('pool-contains-node-ip');
  });

  it('duplicate-metallb', () => {
    const second = metallbController('v0.14.9');
    second.metadata = { name: 'controller', namespace: 'metallb-two' };
    const r = analyze(
      cluster({
        ipAddressPools: [p],
        services: [],
        deployments: [metallbController() as never, second as never],
      }),
    );
    expect(r.findings.map(f => f.rule)).toContain('duplicate-metallb');
  });

  it('legacy-configmap, used by an old MetalLB, with a migration', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'config', namespace: 'metallb-system' },
      data: {
        config:
          'address-pools:\n- name: default\n  protocol: layer2\n  addresses:\n  - 192.168.1.240-192.168.1.250\n',
      },
    };
    const r = analyze({
      name: 'c',
      deployments: [metallbController('v0.12.1') as never],
      configMaps: [cm],
      services: [service('s')],
    });
    expect(r.metallb.configSource).toBe('configmap');
    expect(serviceReport(r, 's').metallb.ips).toEqual(['192.168.1.240']);
    const f = r.findings.find(x => x.rule === 'legacy-configmap')!;
    const docs = parseAllDocuments(f.remediations[0].yaml!).map(d => d.toJS());
    expect(docs.map(d => d.kind)).toEqual(
      expect.arrayContaining(['IPAddressPool', 'L2Advertisement']),
    );
  });

  it('pool-exhausted and pool-nearly-full', () => {
    const small = pool('small', { addresses: ['10.0.0.1/32'] });
    const r = analyze(
      cluster({
        ipAddressPools: [small],
        services: [service('a', { ingress: [{ ip: '10.0.0.1' }] })],
      }),
    );
    expect(r.findings.map(f => f.rule)).toContain('pool-exhausted');
    const big = pool('big', { addresses: ['10.1.0.0/28'] });
    const holders = Array.from({ length: 15 }, (_, i) =>
      service(`s${i}`, { ingress: [{ ip: `10.1.0.${i}` }] }),
    );
    expect(
      analyze(
        cluster({ ipAddressPools: [big], services: holders }),
      ).findings.map(f => f.rule),
    ).toContain('pool-nearly-full');
  });
});

describe('fleet', () => {
  it('cross-cluster-ip: the same IP in two clusters', () => {
    const east = cluster({
      name: 'east',
      ipAddressPools: [p],
      services: [service('a', { ingress: [{ ip: '192.168.10.240' }] })],
    });
    const west = cluster({
      name: 'west',
      ipAddressPools: [p],
      services: [service('b', { ingress: [{ ip: '192.168.10.240' }] })],
    });
    const fleet = analyzeFleet([east, west]);
    expect(fleet.findings.map(f => f.rule)).toEqual(['cross-cluster-ip']);
    expect(fleet.clusters[0].services[0].findings.map(f => f.rule)).toContain(
      'cross-cluster-ip',
    );
    expect(fleet.clusters[0].services[0].status).toBe('warning');
    expect(analyzeFleet([east]).findings).toEqual([]);
  });
});

describe('kube-vip ports in the status', () => {
  it('predicts the rewrite loop when MetalLB strips the ports kube-vip adds', () => {
    const kubeVip = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'kube-vip-ds', namespace: 'kube-system' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'kube-vip',
                image: 'ghcr.io/kube-vip/kube-vip:v0.8.9',
                env: [{ name: 'svc_enable', value: 'true' }],
              },
            ],
          },
        },
      },
    };
    const svc = service('dns', {
      ingress: [
        { ip: '192.168.10.241', ports: [{ port: 53, protocol: 'UDP' }] },
      ],
      annotations: {
        'metallb.io/ip-allocated-from-pool': 'default',
        'kube-vip.io/vipHost': 'node-1',
      },
    });
    const r = verdictOf(svc, [p], { daemonSets: [kubeVip as never] });
    expect(r.metallb).toMatchObject({ outcome: 'keep', writes: true });
    expect(r.owners.map(o => o.controller)).toContain('kube-vip');
    expect(rulesOf(r)).toEqual(
      expect.arrayContaining(['controller-contention', 'write-loop']),
    );
  });
});

describe('IPs across controllers', () => {
  it('flags an IP MetalLB hands out while a Service it ignores already holds it', () => {
    const foreign = service('vip', {
      loadBalancerClass: 'kube-vip.io/kube-vip-class',
      ingress: [{ ip: '192.168.10.240' }],
    });
    const r = analyze(
      cluster({ ipAddressPools: [p], services: [foreign, service('new')] }),
    );
    expect(serviceReport(r, 'new').metallb.ips).toEqual(['192.168.10.240']);
    expect(rulesOf(serviceReport(r, 'new'))).toContain('ip-in-use');
    expect(rulesOf(serviceReport(r, 'vip'))).toContain('ip-in-use');
    expect(r.summary.error).toBe(2);
  });
});
