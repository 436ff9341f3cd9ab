/*
 * Runs the engine on the realistic cluster dumps in ../../fixtures.
 *
 * The first block checks the report's structure only, so it holds for any engine that keeps the
 * report shape. The `verdicts` block states what a user expects from each dump according to
 * /work/shared/METALLB.md and LB-CONTROLLERS.md; it was written from those documents, not from the
 * engine's output, so a failure there is a disagreement to investigate, not a snapshot to update.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyzeCluster } from '../analyze';
import type {
  ClusterReport,
  ControllerId,
  Finding,
  RuleId,
  ServiceReport,
} from '../model/report';
import type { Service } from '../model/kubernetes';
import { parseManifests } from '../snapshot/parseManifests';
import { snapshotFromObjects } from '../snapshot/snapshotFromObjects';

const FIXTURES_DIR = path.resolve(__dirname, '../../fixtures');

/**
 * Each fixture with the time its objects were read (the comment at its top). Passing it as
 * `collectedAt` keeps rules that weigh event age independent of the day the tests run.
 */
const FIXTURES: Record<string, string> = {
  'chisel-status-loop.yaml': '2025-03-08T14:05:00Z',
  'chisel-spec-loop.yaml': '2025-03-08T14:05:00Z',
  'healthy.yaml': '2025-04-02T08:30:00Z',
  'sharing-and-exhausted.yaml': '2025-05-06T11:00:00Z',
  'legacy-configmap.yaml': '2022-03-02T09:00:00Z',
  'kube-vip-beside-metallb.yaml': '2025-06-10T08:15:00Z',
  'cilium-beside-metallb.yaml': '2025-07-03T15:30:00Z',
  'k3s-servicelb.yaml': '2025-08-05T11:21:00Z',
  'ipvs-no-strictarp.yaml': '2025-09-02T09:00:00Z',
  'invalid-config.yaml': '2025-10-03T17:00:00Z',
};

interface Loaded {
  services: Service[];
  report: ClusterReport;
}

const cache = new Map<string, Loaded>();

/** Parses, snapshots and analyses a fixture once per test file (analysis is pure). */
function load(file: string): Loaded {
  const cached = cache.get(file);
  if (cached) return cached;
  const text = fs.readFileSync(path.join(FIXTURES_DIR, file), 'utf8');
  const parsed = parseManifests(text, file);
  const { snapshot } = snapshotFromObjects(
    file.replace(/\.yaml$/, ''),
    parsed.objects,
    {
      locations: parsed.locations,
      collectedAt: FIXTURES[file],
    },
  );
  const loaded = {
    services: snapshot.services ?? [],
    report: analyzeCluster(snapshot),
  };
  cache.set(file, loaded);
  return loaded;
}

function service(report: ClusterReport, ref: string): ServiceReport {
  const found = report.services.find(s => `${s.namespace}/${s.name}` === ref);
  if (!found) {
    throw new Error(
      `${ref} is not in the report (has: ${report.services
        .map(s => `${s.namespace}/${s.name}`)
        .join(', ')})`,
    );
  }
  return found;
}

const rulesOf = (findings: readonly Finding[]): RuleId[] =>
  findings.map(f => f.rule);
const ownersOf = (s: ServiceReport): ControllerId[] =>
  s.owners.map(o => o.controller);
/** Cluster findings plus every Service's, for rules the spec does not pin to one place. */
const allRules = (report: ClusterReport): RuleId[] => [
  ...rulesOf(report.findings),
  ...report.services.flatMap(s => rulesOf(s.findings)),
];

describe('fixtures', () => {
  it('lists every fixture file in the table above and in README.md', () => {
    const files = fs.readdirSync(FIXTURES_DIR).filter(f => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(Object.keys(FIXTURES).sort());
    const readme = fs.readFileSync(
      path.join(FIXTURES_DIR, 'README.md'),
      'utf8',
    );
    for (const file of files) expect(readme).toContain(file);
  });

  describe.each(Object.keys(FIXTURES))('%s', file => {
    it('parses and sorts without any problem', () => {
      const text = fs.readFileSync(path.join(FIXTURES_DIR, file), 'utf8');
      const parsed = parseManifests(text, file);
      expect(parsed.problems).toEqual([]);
      expect(parsed.objects.length).toBeGreaterThan(0);
      for (const object of parsed.objects) {
        // Written as `kubectl get -o yaml` prints live objects.
        expect(typeof object.metadata?.uid).toBe('string');
        expect(typeof object.metadata?.resourceVersion).toBe('string');
        expect(typeof object.metadata?.creationTimestamp).toBe('string');
      }
      const { problems } = snapshotFromObjects(file, parsed.objects, {
        locations: parsed.locations,
      });
      expect(problems).toEqual([]);
    });

    it('reports every LoadBalancer Service with a valid status', () => {
      const { services, report } = load(file);
      const expected = services
        .filter(s => s.spec?.type === 'LoadBalancer')
        .map(s => `${s.metadata?.namespace}/${s.metadata?.name}`)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      const reported = report.services.map(s => `${s.namespace}/${s.name}`);
      for (const ref of expected) expect(reported).toContain(ref);
      for (const s of report.services) {
        expect(['ok', 'info', 'warning', 'error']).toContain(s.status);
        expect([
          'keep',
          'assign',
          'clear',
          'fail',
          'ignore',
          'unknown',
        ]).toContain(s.metallb.outcome);
        expect(Array.isArray(s.metallb.ips)).toBe(true);
        expect(Array.isArray(s.findings)).toBe(true);
      }
      expect(report.summary.services).toBe(report.services.length);
    });
  });
});

describe('verdicts', () => {
  describe('chisel-status-loop.yaml', () => {
    const file = 'chisel-status-loop.yaml';

    it('sees MetalLB and chisel-operator fighting over web/frontend', () => {
      const frontend = service(load(file).report, 'web/frontend');
      expect(rulesOf(frontend.findings)).toEqual(
        expect.arrayContaining<RuleId>(['controller-contention', 'write-loop']),
      );
      expect(ownersOf(frontend)).toEqual(
        expect.arrayContaining<ControllerId>(['metallb', 'chisel-operator']),
      );
      expect(frontend.status).toBe('error');
      expect(frontend.loadBalancerClass).toBeNull();
      expect(frontend.ingress).toEqual(['203.0.113.7']);
    });

    it('predicts ClearAssignment then a new pool IP (METALLB.md §5 step 8, §7)', () => {
      const { metallb } = service(load(file).report, 'web/frontend');
      expect(metallb.handled).toBe(true);
      expect(metallb.outcome).toBe('assign');
      expect(metallb.ips).toEqual(['192.168.10.240']);
      expect(metallb.pool).toBe('default');
      expect(metallb.writes).toBe(true);
      expect(metallb.event).toEqual({
        type: 'Normal',
        reason: 'IPAllocated',
        message: 'Assigned IP ["192.168.10.240"]',
      });
      expect(metallb.events).toEqual([
        {
          type: 'Normal',
          reason: 'ClearAssignment',
          message:
            'current IP for "web/frontend" not allowed by config, will attempt for new IP assignment: ["203.0.113.7"] is not allowed in config',
        },
        {
          type: 'Normal',
          reason: 'IPAllocated',
          message: 'Assigned IP ["192.168.10.240"]',
        },
      ]);
    });

    it('leaves the MetalLB-only Service alone', () => {
      const { report } = load(file);
      const api = service(report, 'web/api');
      expect(api.metallb.outcome).toBe('keep');
      expect(api.metallb.ips).toEqual(['192.168.10.241']);
      expect(rulesOf(api.findings)).not.toContain('write-loop');
      expect(report.metallb.version).toBe('0.14.9');
      expect(report.metallb.lbClass).toBeNull();
      expect(report.metallb.configSource).toBe('crds');
    });
  });

  describe('chisel-spec-loop.yaml', () => {
    const file = 'chisel-spec-loop.yaml';

    it('flags the foreign spec.loadBalancerIP', () => {
      const frontend = service(load(file).report, 'web/frontend');
      expect(rulesOf(frontend.findings)).toEqual(
        expect.arrayContaining<RuleId>([
          'ip-not-in-any-pool',
          'deprecated-load-balancer-ip',
        ]),
      );
      expect(frontend.requested).toEqual([
        { source: 'spec.loadBalancerIP', value: '203.0.113.7' },
      ]);
      expect(ownersOf(frontend)).toEqual(
        expect.arrayContaining<ControllerId>(['metallb', 'chisel-operator']),
      );
      expect(frontend.status).toBe('error');
    });

    it('predicts AllocationFailed with MetalLB’s exact text and no IP', () => {
      const { metallb } = service(load(file).report, 'web/frontend');
      expect(metallb.outcome).toBe('fail');
      expect(metallb.ips).toEqual([]);
      expect(metallb.event).toEqual({
        type: 'Warning',
        reason: 'AllocationFailed',
        message:
          'Failed to allocate IP for "web/frontend": ["203.0.113.7"] is not allowed in config',
      });
    });
  });

  describe('healthy.yaml', () => {
    const file = 'healthy.yaml';

    it('finds nothing wrong and keeps every IP', () => {
      const { report } = load(file);
      expect(report.services).not.toHaveLength(0);
      for (const s of report.services) {
        expect({
          ref: `${s.namespace}/${s.name}`,
          status: s.status,
          findings: rulesOf(s.findings),
        }).toEqual({
          ref: `${s.namespace}/${s.name}`,
          status: 'ok',
          findings: [],
        });
        expect(s.metallb.outcome).toBe('keep');
        expect(s.metallb.writes).toBe(false);
        expect(s.metallb.ips).toEqual(s.ingress);
      }
      expect(report.findings.filter(f => f.severity !== 'info')).toEqual([]);
      expect(report.metallb.version).toBe('0.15.2');
      expect(report.metallb.configErrors).toEqual([]);
    });

    it('reads the pools the way MetalLB does', () => {
      const { report } = load(file);
      expect(service(report, 'default/dual-web').metallb.ips).toEqual([
        '192.168.50.13',
        'fd00:50::10',
      ]);
      expect(service(report, 'default/dns-udp').metallb.ips).toEqual([
        '192.168.50.12',
      ]);
      expect(service(report, 'shop/storefront').metallb.pool).toBe('shop');
      expect(service(report, 'default/echo').requested).toEqual([
        { source: 'metallb.io/loadBalancerIPs', value: '192.168.50.40' },
      ]);
      const shop = report.metallb.pools.find(p => p.name === 'shop');
      // 192.168.60.0/27 minus .0 (avoidBuggyIPs).
      expect(shop?.capacity.ipv4).toBe(31);
      expect(shop?.used.ipv4).toBe(2);
      expect(shop?.serviceAllocation?.priority).toBe(10);
    });
  });

  describe('sharing-and-exhausted.yaml', () => {
    const file = 'sharing-and-exhausted.yaml';

    it('explains the pending Service of the full pool', () => {
      const reports = service(load(file).report, 'batch/reports');
      expect(rulesOf(reports.findings)).toContain('pool-exhausted');
      expect(reports.metallb.outcome).toBe('fail');
      expect(reports.metallb.event?.reason).toBe('AllocationFailed');
      expect(reports.status).toBe('error');
    });

    it('finds the IP held by another Service without a sharing key', () => {
      const { report } = load(file);
      const webB = service(report, 'shop/web-b');
      expect(rulesOf(webB.findings)).toContain('ip-in-use');
      expect(webB.metallb.outcome).toBe('fail');
      expect(service(report, 'shop/web-a').metallb.outcome).toBe('keep');
    });

    it('finds the sharing pairs MetalLB refuses (same port; Local with other selectors)', () => {
      const { report } = load(file);
      for (const ref of ['edge/gw-b', 'edge/mqtt-b']) {
        const s = service(report, ref);
        expect({ ref, rules: rulesOf(s.findings) }).toEqual({
          ref,
          rules: expect.arrayContaining<RuleId>(['sharing-conflict']),
        });
        expect(s.metallb.outcome).toBe('fail');
      }
      expect(service(report, 'edge/gw-b').metallb.event?.message).toBe(
        'Failed to allocate IP for "edge/gw-b": port TCP/443 is already in use on "10.0.10.60"',
      );
      expect(service(report, 'edge/gw-a').metallb.outcome).toBe('keep');
      expect(service(report, 'edge/mqtt-a').metallb.outcome).toBe('keep');
      expect(allRules(report)).toEqual(
        expect.arrayContaining<RuleId>([
          'pool-exhausted',
          'ip-in-use',
          'sharing-conflict',
        ]),
      );
    });
  });

  describe('legacy-configmap.yaml', () => {
    const file = 'legacy-configmap.yaml';

    it('recognises MetalLB 0.12 configured through its ConfigMap', () => {
      const { report } = load(file);
      expect(allRules(report)).toContain('legacy-configmap');
      expect(report.metallb.version).toBe('0.12.1');
      expect(report.metallb.configSource).toBe('configmap');
      expect(report.metallb.pools.map(p => p.name).sort()).toEqual([
        'bgp-pool',
        'default',
      ]);
      expect(report.metallb.pools.every(p => p.source === 'configmap')).toBe(
        true,
      );
    });

    it('keeps the IPs the ConfigMap pools allow', () => {
      const { report } = load(file);
      const app = service(report, 'default/legacy-app');
      expect(app.metallb.outcome).toBe('keep');
      expect(rulesOf(app.findings)).toContain('deprecated-load-balancer-ip');
      expect(service(report, 'default/web').metallb.pool).toBe('bgp-pool');
    });
  });

  describe('kube-vip-beside-metallb.yaml', () => {
    it('names kube-vip and MetalLB on media/jellyfin', () => {
      const { report } = load('kube-vip-beside-metallb.yaml');
      const jellyfin = service(report, 'media/jellyfin');
      expect(ownersOf(jellyfin)).toEqual(
        expect.arrayContaining<ControllerId>(['metallb', 'kube-vip']),
      );
      expect(rulesOf(jellyfin.findings)).toEqual(
        expect.arrayContaining<RuleId>(['controller-contention', 'write-loop']),
      );
      expect(jellyfin.metallb.outcome).toBe('assign');
      expect(jellyfin.metallb.ips).toEqual(['192.168.30.100']);
      // kube-vip.io/ignore opts sonarr out of kube-vip; MetalLB alone serves it.
      const sonarr = service(report, 'media/sonarr');
      expect(sonarr.metallb.outcome).toBe('keep');
      expect(ownersOf(sonarr)).not.toContain('kube-vip');
    });
  });

  describe('cilium-beside-metallb.yaml', () => {
    it('names Cilium LB-IPAM and MetalLB on apps/gitea', () => {
      const gitea = service(
        load('cilium-beside-metallb.yaml').report,
        'apps/gitea',
      );
      expect(ownersOf(gitea)).toEqual(
        expect.arrayContaining<ControllerId>(['metallb', 'cilium']),
      );
      expect(rulesOf(gitea.findings)).toContain('controller-contention');
      expect(gitea.metallb.outcome).toBe('assign');
      expect(gitea.metallb.ips).toEqual(['172.20.0.100']);
      expect(gitea.metallb.events.map(e => e.reason)).toEqual([
        'ClearAssignment',
        'IPAllocated',
      ]);
    });
  });

  describe('k3s-servicelb.yaml', () => {
    it('names k3s ServiceLB and MetalLB on kube-system/traefik', () => {
      const { report } = load('k3s-servicelb.yaml');
      const traefik = service(report, 'kube-system/traefik');
      expect(ownersOf(traefik)).toEqual(
        expect.arrayContaining<ControllerId>(['metallb', 'k3s-servicelb']),
      );
      expect(rulesOf(traefik.findings)).toContain('controller-contention');
      // Three IPv4s in status cannot be a family: MetalLB clears them (nolbIPsIPFamily) and
      // allocates from its pool (METALLB.md §5 step 7).
      expect(traefik.metallb.outcome).toBe('assign');
      expect(traefik.metallb.ips).toEqual(['192.168.88.200']);
      expect(traefik.metallb.events.map(e => e.reason)).toEqual([
        'nolbIPsIPFamily',
        'IPAllocated',
      ]);
      expect(report.controllers.map(c => c.controller)).toEqual(
        expect.arrayContaining<ControllerId>(['metallb', 'k3s-servicelb']),
      );
    });
  });

  describe('ipvs-no-strictarp.yaml', () => {
    it('flags kube-proxy IPVS without strictARP next to an L2 pool', () => {
      const { report } = load('ipvs-no-strictarp.yaml');
      expect(rulesOf(report.findings)).toContain('kube-proxy-strict-arp');
      expect(service(report, 'default/web').metallb.outcome).toBe('keep');
    });
  });

  describe('invalid-config.yaml', () => {
    it('reports the overlapping pools and the configuration MetalLB rejects', () => {
      const { report } = load('invalid-config.yaml');
      expect(rulesOf(report.findings)).toEqual(
        expect.arrayContaining<RuleId>([
          'overlapping-pools',
          'invalid-metallb-config',
        ]),
      );
      expect(report.metallb.configErrors.join('\n')).toContain(
        '192.168.1.0/33',
      );
    });
  });
});
