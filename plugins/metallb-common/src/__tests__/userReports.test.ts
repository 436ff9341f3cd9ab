/*
 * Trouble reported by MetalLB users (github.com/metallb/metallb issues), as cluster dumps in
 * ../../fixtures/user-reports. Each test states what the user needed to hear: the rule, the
 * controllers involved and MetalLB's own Event text for the version the reporter ran.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyzeCluster } from '../analyze';
import type { ClusterReport, ServiceReport } from '../model/report';
import { parseManifests } from '../snapshot/parseManifests';
import { snapshotFromObjects } from '../snapshot/snapshotFromObjects';

const DIR = path.resolve(__dirname, '../../fixtures/user-reports');

/** Each dump with the time it stands for (the comment at its top). */
const REPORTS: Record<string, string> = {
  '2482-prefer-dual-stack-ipv4-pool.yaml': '2024-08-06T10:30:00Z',
  '2553-shared-key-local-vs-cluster.yaml': '2024-09-30T14:30:00Z',
  '2656-priority-only-pools.yaml': '2025-01-16T22:40:00Z',
  '2724-dual-stack-pool-single-stack-service.yaml': '2025-03-17T10:00:00Z',
  '2971-kube-vip-service-allocation.yaml': '2026-03-03T09:20:00Z',
  '788-pihole-sharing-traffic-policy.yaml': '2020-11-25T12:00:00Z',
};

function load(file: string): ClusterReport {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  const parsed = parseManifests(text, file);
  expect(parsed.problems).toEqual([]);
  const { snapshot, problems } = snapshotFromObjects(
    file.replace(/\.yaml$/, ''),
    parsed.objects,
    { locations: parsed.locations, collectedAt: REPORTS[file] },
  );
  expect(problems).toEqual([]);
  return analyzeCluster(snapshot);
}

function service(report: ClusterReport, ref: string): ServiceReport {
  const found = report.services.find(s => `${s.namespace}/${s.name}` === ref);
  if (!found) throw new Error(`${ref} is not in the report`);
  return found;
}

const rules = (s: ServiceReport) => s.findings.map(f => f.rule);
const owners = (s: ServiceReport) => s.owners.map(o => o.controller).sort();
const remediationIds = (s: ServiceReport, rule: string) =>
  s.findings.find(f => f.rule === rule)?.remediations.map(r => r.id) ?? [];

describe('reports from MetalLB users', () => {
  it('has a test for every dump', () => {
    expect(
      fs
        .readdirSync(DIR)
        .filter(f => f.endsWith('.yaml'))
        .sort(),
    ).toEqual(Object.keys(REPORTS).sort());
  });

  // metallb/metallb#2482: "fails to allocate IP address to dual stack services
  // (PreferDualStack) if only IPv4 is available", MetalLB 0.14.5.
  it('#2482: PreferDualStack with an IPv4-only pool on 0.14.5', () => {
    const report = load('2482-prefer-dual-stack-ipv4-pool.yaml');
    expect(report.metallb.version).toBe('0.14.5');
    const nginx = service(report, 'nginx-ingress/nginx-ingress');
    expect(owners(nginx)).toEqual(['metallb']);
    expect(nginx.metallb.ips).toEqual([]);
    expect(nginx.metallb.event).toEqual({
      type: 'Warning',
      reason: 'AllocationFailed',
      message:
        'Failed to allocate IP for "nginx-ingress/nginx-ingress": no available IPs in pool "pool1" for dual IPFamily',
    });
    expect(rules(nginx)).toEqual(
      expect.arrayContaining(['ip-family-mismatch', 'metallb-known-bug']),
    );
    const bug = nginx.findings.find(f => f.rule === 'metallb-known-bug')!;
    expect(bug.message).toMatch(/PreferDualStack as RequireDualStack/);
    expect(bug.message).toMatch(/0\.14\.9/);
  });

  // metallb/metallb#2656: "IP allocation failed if pool priority is configured" (0.14.9; fixed
  // in 0.15.0 by PR 2714).
  it('#2656: pools with only a priority serve nobody before 0.15.0', () => {
    const report = load('2656-priority-only-pools.yaml');
    const svc = service(report, 'test-ns/test3d-ssl');
    expect(svc.metallb.ips).toEqual([]);
    expect(svc.metallb.event?.message).toBe(
      'Failed to allocate IP for "test-ns/test3d-ssl": no available IPs',
    );
    expect(rules(svc)).toContain('no-pool-available');
    const bugs = report.findings.filter(f => f.rule === 'metallb-known-bug');
    expect(bugs.map(f => f.message).join('\n')).toMatch(/0\.15\.0/);
    expect(bugs.map(f => f.message).join('\n')).toMatch(/public-reserve/);
  });

  // metallb/metallb#2724: a dual-stack pool gives a single-stack PreferDualStack Service IPs of
  // both families (0.14.9; PR 2726 fixed the first allocation in 0.15.0).
  it('#2724: PreferDualStack with one cluster IP and a dual-stack pool', () => {
    const report = load('2724-dual-stack-pool-single-stack-service.yaml');
    const echo = service(report, 'default/echo');
    expect(rules(echo)).toEqual(
      expect.arrayContaining(['dual-stack-oscillation', 'metallb-known-bug']),
    );
    expect(echo.metallb.event).toEqual({
      type: 'Normal',
      reason: 'IPAllocated',
      message: 'Assigned additional IP "fc00:f853:ccd:e799::"',
    });
  });

  // metallb/metallb#2971: "serviceAllocation does not work" (0.15.3): a serviceSelector does not
  // keep MetalLB away from a class-less Service that kube-vip serves.
  it('#2971: a serviceAllocation does not hand a Service to kube-vip', () => {
    const report = load('2971-kube-vip-service-allocation.yaml');
    const rancher = service(report, 'cattle-system/rancher');
    expect(owners(rancher)).toEqual(['kube-vip', 'metallb']);
    expect(rules(rancher)).toEqual(
      expect.arrayContaining(['controller-contention', 'write-loop']),
    );
    expect(rancher.metallb.ips).toEqual([]);
    expect(rancher.metallb.events).toEqual([
      {
        type: 'Normal',
        reason: 'ClearAssignment',
        message:
          'current IP for "cattle-system/rancher" not allowed by config, will attempt for new IP assignment: ["192.168.3.20"] is not allowed in config',
      },
      {
        type: 'Warning',
        reason: 'AllocationFailed',
        message:
          'Failed to allocate IP for "cattle-system/rancher": no available IPs',
      },
    ]);
    const contention = rancher.findings.find(
      f => f.rule === 'controller-contention',
    )!;
    // MetalLB has no address for it: it clears kube-vip's, it does not write one of its own.
    expect(contention.message).toMatch(/leaves it without an IP/);
    expect(contention.message).not.toMatch(/writes its own/);
    expect(remediationIds(rancher, 'controller-contention')).toEqual(
      expect.arrayContaining(['set-load-balancer-class', 'metallb-lb-class']),
    );
  });

  // metallb/metallb#788 and MoJo2600/pihole-kubernetes#59: "can't change sharing key" between the
  // Pi-hole TCP and UDP Services (MetalLB 0.9.5, ConfigMap configuration).
  it('#788: a shared Pi-hole address with mixed traffic policies on 0.9.5', () => {
    const report = load('788-pihole-sharing-traffic-policy.yaml');
    expect(report.metallb.configSource).toBe('configmap');
    const udp = service(report, 'pihole/pihole-udp');
    expect(udp.metallb.ips).toEqual(['192.168.0.230']);
    const tcp = service(report, 'pihole/pihole-tcp');
    expect(tcp.metallb.event?.message).toBe(
      'Failed to allocate IP for "pihole/pihole-tcp": can\'t change sharing key for "pihole/pihole-tcp", address also in use by pihole/pihole-udp',
    );
    const conflict = tcp.findings.find(f => f.rule === 'sharing-conflict')!;
    // The Event reads the same for every sharing failure; the finding names the real one.
    expect(conflict.message).toMatch(
      /externalTrafficPolicy Cluster and pihole\/pihole-udp uses Local/,
    );
    // MetalLB 0.9.5 has no loadBalancerIPs annotation: no fix may move the request there.
    const fixes = tcp.findings.flatMap(f => f.remediations);
    expect(fixes.map(r => r.id)).not.toContain('use-free-ip');
    expect(fixes.map(r => r.id)).not.toContain('move-to-annotation');
    expect(fixes.some(r => (r.yaml ?? '').includes('/loadBalancerIPs'))).toBe(
      false,
    );
    const deprecated = tcp.findings.find(
      f => f.rule === 'deprecated-load-balancer-ip',
    )!;
    expect(deprecated.message).toMatch(/needs MetalLB 0\.12\.0 or newer/);
  });

  // metallb/metallb#2553: "Unable to create LoadBalancer with ExternalTrafficPolicy Local"
  // (0.14.8): "no available IPs" although the key matches; the shared address is held by
  // Cluster Services.
  it('#2553: Local Services cannot join an address shared by Cluster ones', () => {
    const report = load('2553-shared-key-local-vs-cluster.yaml');
    expect(service(report, 'kube-system/traefik').metallb.ips).toEqual([
      '10.0.1.10',
    ]);
    for (const name of ['pihole-dns-tcp', 'pihole-dns-udp']) {
      const dns = service(report, `pihole/${name}`);
      expect(dns.metallb.event?.message).toBe(
        `Failed to allocate IP for "pihole/${name}": no available IPs`,
      );
      expect(rules(dns)).toEqual(['pool-exhausted']);
      // The Event says the pool is full; the finding says why sharing did not help.
      expect(dns.findings[0].message).toMatch(
        /10\.0\.1\.10 \(kube-system\/traefik: externalTrafficPolicy Cluster\), while it uses externalTrafficPolicy Local/,
      );
    }
  });
});
