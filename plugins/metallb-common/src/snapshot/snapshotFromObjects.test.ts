import { parseManifests } from './parseManifests';
import { snapshotFromObjects } from './snapshotFromObjects';

const meta = (name: string, namespace?: string) => ({
  metadata: { name, namespace },
});

describe('snapshotFromObjects', () => {
  it('sorts objects into lists by group and kind, any version', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Service', ...meta('s', 'default') },
      { apiVersion: 'v1', kind: 'Namespace', ...meta('default') },
      { apiVersion: 'v1', kind: 'Node', ...meta('n1') },
      { apiVersion: 'apps/v1', kind: 'Deployment', ...meta('d', 'x') },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', ...meta('ds', 'x') },
      {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'IPAddressPool',
        ...meta('p', 'metallb-system'),
      },
      {
        apiVersion: 'metallb.io/v1beta2',
        kind: 'L2Advertisement',
        ...meta('l2'),
      },
      {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'BGPAdvertisement',
        ...meta('bgp'),
      },
      {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'ConfigurationState',
        ...meta('controller'),
      },
      {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'ServiceL2Status',
        ...meta('l2-x'),
      },
      {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'ServiceBGPStatus',
        ...meta('bgp-x'),
      },
      {
        apiVersion: 'cilium.io/v2alpha1',
        kind: 'CiliumLoadBalancerIPPool',
        ...meta('c'),
      },
      { apiVersion: 'example.com/v1', kind: 'Service', ...meta('not-core') },
    ];
    const { snapshot, problems } = snapshotFromObjects('c1', objects);
    expect(problems).toEqual([]);
    expect(snapshot.name).toBe('c1');
    const sizes = Object.fromEntries(
      Object.entries(snapshot)
        .filter(([, v]) => Array.isArray(v))
        .map(([k, v]) => [k, (v as unknown[]).length]),
    );
    expect(sizes).toEqual({
      services: 1,
      namespaces: 1,
      nodes: 1,
      deployments: 1,
      daemonSets: 1,
      ipAddressPools: 1,
      l2Advertisements: 1,
      bgpAdvertisements: 1,
      configurationStates: 1,
      serviceL2Statuses: 1,
      serviceBGPStatuses: 1,
      otherObjects: 2,
    });
    expect(snapshot.events).toBeUndefined();
  });

  it('leaves unseen kinds undefined unless known to be empty', () => {
    const { snapshot } = snapshotFromObjects(
      'c',
      [{ apiVersion: 'v1', kind: 'Service' }],
      {
        knownEmpty: ['ipAddressPools', 'services'],
        collectedAt: '2025-01-01T00:00:00Z',
      },
    );
    expect(snapshot.ipAddressPools).toEqual([]);
    expect(snapshot.services).toHaveLength(1);
    expect(snapshot.nodes).toBeUndefined();
    expect(snapshot.collectedAt).toBe('2025-01-01T00:00:00Z');
  });

  it('keeps only the ConfigMaps that matter, but marks the kind as read', () => {
    const cm = (
      name: string,
      namespace: string,
      data?: Record<string, string>,
    ) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      ...meta(name, namespace),
      data,
    });
    const { snapshot } = snapshotFromObjects('c', [
      cm('config', 'metallb-system'),
      cm('config', 'lb', { config: 'address-pools:\n- name: a\n' }),
      cm('config', 'app', { config: 'log: debug' }),
      cm('kube-proxy', 'kube-system'),
      cm('kubevip', 'kube-system'),
      cm('coredns', 'kube-system'),
    ]);
    expect(
      snapshot.configMaps?.map(
        c => `${c.metadata?.namespace}/${c.metadata?.name}`,
      ),
    ).toEqual([
      'metallb-system/config',
      'lb/config',
      'kube-system/kube-proxy',
      'kube-system/kubevip',
    ]);
    const none = snapshotFromObjects('c', [
      cm('coredns', 'kube-system'),
    ]).snapshot;
    expect(none.configMaps).toEqual([]);
  });

  it('normalises events.k8s.io Events to core/v1 names', () => {
    const { snapshot } = snapshotFromObjects('c', [
      { apiVersion: 'v1', kind: 'Event', reason: 'IPAllocated', count: 2 },
      {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: 'e', namespace: 'default' },
        regarding: { kind: 'Service', name: 'web', namespace: 'default' },
        note: 'Assigned IP ["10.0.0.1"]',
        reason: 'IPAllocated',
        type: 'Normal',
        reportingController: 'metallb-controller',
        series: { count: 5, lastObservedTime: '2025-01-02T00:00:00Z' },
        deprecatedFirstTimestamp: '2025-01-01T00:00:00Z',
        eventTime: '2025-01-01T00:00:00.000000Z',
      },
    ]);
    expect(snapshot.events?.[1]).toEqual({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Service', name: 'web', namespace: 'default' },
      message: 'Assigned IP ["10.0.0.1"]',
      reason: 'IPAllocated',
      type: 'Normal',
      count: 5,
      firstTimestamp: '2025-01-01T00:00:00Z',
      lastTimestamp: '2025-01-02T00:00:00Z',
      eventTime: '2025-01-01T00:00:00.000000Z',
      source: { component: 'metallb-controller' },
      reportingComponent: 'metallb-controller',
    });
  });

  it('uses deprecatedCount and deprecatedSource when there is no series', () => {
    const { snapshot } = snapshotFromObjects('c', [
      {
        apiVersion: 'events.k8s.io/v1beta1',
        kind: 'Event',
        deprecatedCount: 3,
        deprecatedLastTimestamp: '2025-01-03T00:00:00Z',
        deprecatedSource: { component: 'old', host: 'n1' },
        reportingController: 'new',
      },
    ]);
    expect(snapshot.events?.[0]).toMatchObject({
      count: 3,
      lastTimestamp: '2025-01-03T00:00:00Z',
      source: { component: 'old', host: 'n1' },
    });
  });

  it('reports objects without kind or apiVersion and legacy AddressPools, naming the file', () => {
    const text = [
      'apiVersion: v1',
      'metadata: {name: x}',
      '---',
      'kind: Service',
      '---',
      'apiVersion: metallb.io/v1beta1',
      'kind: AddressPool',
      'metadata: {name: old, namespace: metallb-system}',
    ].join('\n');
    const parsed = parseManifests(text, 'in.yaml');
    const { snapshot, problems } = snapshotFromObjects(
      'c',
      [...parsed.objects, 42],
      {
        locations: parsed.locations,
      },
    );
    expect(problems.map(p => [p.source, p.line, p.message])).toEqual([
      ['in.yaml', 1, 'object x has no kind; ignored'],
      ['in.yaml', 4, 'Service has no apiVersion; ignored'],
      [
        'in.yaml',
        6,
        'metallb.io/v1beta1 AddressPool metallb-system/old is not supported since MetalLB 0.14.2 (use IPAddressPool); kept only as evidence',
      ],
      [
        undefined,
        undefined,
        'object 4: a number is not a Kubernetes object; ignored',
      ],
    ]);
    expect(snapshot.otherObjects).toHaveLength(1);
    expect(snapshot.services).toBeUndefined();
  });
});
