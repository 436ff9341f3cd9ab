import { cleanFleet, sampleFleet } from '../__fixtures__/reports';
import type { LocationIndex } from '../input/locations';
import { formatSarif, toUri } from './sarif';

const locations: LocationIndex = {
  service: (cluster, namespace, name) =>
    cluster === 'east' && namespace === 'shop' && name === 'web'
      ? { source: 'k8s/web.yaml', document: 2, line: 14 }
      : undefined,
  cluster: cluster =>
    cluster === 'east'
      ? { source: './k8s/metallb.yaml', document: 1, line: 1 }
      : undefined,
};

describe('formatSarif', () => {
  const sarif = JSON.parse(
    formatSarif(sampleFleet(), {
      version: '1.2.3',
      problems: [
        {
          severity: 'warning',
          source: 'k8s/x.yaml',
          line: 3,
          message: 'no kind',
        },
      ],
      locations,
    }),
  );
  const run = sarif.runs[0];

  it('is SARIF 2.1.0 with the tool and one descriptor per rule used', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(run.tool.driver).toMatchObject({
      name: 'lb-doctor',
      version: '1.2.3',
    });
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual([
      'cross-cluster-ip',
      'overlapping-pools',
      'ip-in-use',
      'deprecated-annotation',
      'controller-contention',
    ]);
    expect(run.tool.driver.rules[2]).toEqual({
      id: 'ip-in-use',
      name: 'IpInUse',
      shortDescription: { text: 'IP already in use' },
      fullDescription: {
        text: 'Another Service holds the IP and cannot share it.',
      },
      defaultConfiguration: { level: 'error' },
    });
  });

  it('gives results a level, message, location and fingerprint', () => {
    const web = run.results.find(
      (r: { ruleId: string }) => r.ruleId === 'ip-in-use',
    );
    expect(web).toMatchObject({
      level: 'error',
      ruleIndex: 2,
      message: {
        text: 'east shop/web: IP 192.168.10.10 is already held by shop/api',
      },
      partialFingerprints: { 'lbDoctorFinding/v1': 'east/shop/web/ip-in-use' },
    });
    expect(web.locations[0]).toEqual({
      physicalLocation: {
        artifactLocation: { uri: 'k8s/web.yaml' },
        region: { startLine: 14 },
      },
      logicalLocations: [
        { fullyQualifiedName: 'east/shop/web', kind: 'object' },
      ],
    });
    const info = run.results.find(
      (r: { ruleId: string }) => r.ruleId === 'deprecated-annotation',
    );
    expect(info.level).toBe('note');
  });

  it('points cluster findings at the cluster anchor and Services without a location there too', () => {
    const pools = run.results.find(
      (r: { ruleId: string }) => r.ruleId === 'overlapping-pools',
    );
    expect(pools.locations[0].physicalLocation.artifactLocation.uri).toBe(
      'k8s/metallb.yaml',
    );
    const contention = run.results.find(
      (r: { ruleId: string }) => r.ruleId === 'controller-contention',
    );
    expect(contention.locations[0].physicalLocation.artifactLocation.uri).toBe(
      'k8s/metallb.yaml',
    );
  });

  it('reports input problems as tool notifications', () => {
    expect(run.invocations[0].toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: 'k8s/x.yaml: line 3: no kind' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'k8s/x.yaml' },
              region: { startLine: 3 },
            },
            logicalLocations: [
              { fullyQualifiedName: 'fleet', kind: 'namespace' },
            ],
          },
        ],
      },
    ]);
  });

  it('keeps fingerprints distinct for repeated findings and has no results when clean', () => {
    const fleet = sampleFleet();
    fleet.clusters[0].services[0].findings.push(
      fleet.clusters[0].services[0].findings[0],
    );
    const results = JSON.parse(
      formatSarif(fleet, { version: '1', problems: [] }),
    ).runs[0].results;
    const prints = results.map(
      (r: { partialFingerprints: Record<string, string> }) =>
        Object.values(r.partialFingerprints)[0],
    );
    expect(new Set(prints).size).toBe(prints.length);
    const clean = JSON.parse(
      formatSarif(cleanFleet(), { version: '1', problems: [] }),
    );
    expect(clean.runs[0].results).toEqual([]);
  });

  it('makes URIs', () => {
    expect(toUri('./a b/c.yaml')).toBe('a%20b/c.yaml');
    expect(toUri('dir\\x.yaml')).toBe('dir/x.yaml');
    expect(toUri('/abs/x.yaml')).toBe('file:///abs/x.yaml');
    expect(toUri('C:\\w\\x.yaml')).toBe('file:///C:/w/x.yaml');
  });
});
