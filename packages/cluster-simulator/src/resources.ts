import { CrdDefinition } from './types';

/** A resource type the simulated API server serves. */
export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  /** Built-in types omit kind/apiVersion on list items in JSON; CRDs (unstructured) keep them. */
  builtin: boolean;
  /** Resources with watch support answer `?watch=1`; all others answer 405. */
  watchable: boolean;
  /** Objects are stored under this key; events.k8s.io/v1 events share the core events storage. */
  storageKey: string;
  /** Subresources listed in discovery (e.g. `services/status`). */
  subresources: string[];
}

const core = (
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[],
  watchable: boolean,
  subresources: string[] = [],
): ResourceType => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  shortNames,
  builtin: true,
  watchable,
  storageKey: plural,
  subresources,
});

export const BUILTIN_RESOURCES: ResourceType[] = [
  core('Service', 'services', true, ['svc'], true, ['status']),
  core('Namespace', 'namespaces', false, ['ns'], true, ['status']),
  core('Node', 'nodes', false, ['no'], true, ['status']),
  core('Event', 'events', true, ['ev'], true),
  core('ConfigMap', 'configmaps', true, ['cm'], true),
  core('Pod', 'pods', true, ['po'], true, ['status']),
  {
    ...core('Event', 'events', true, ['ev'], true),
    group: 'events.k8s.io',
    storageKey: 'events',
  },
  {
    ...core('Deployment', 'deployments', true, ['deploy'], true, ['status']),
    group: 'apps',
  },
  {
    ...core('DaemonSet', 'daemonsets', true, ['ds'], true, ['status']),
    group: 'apps',
  },
  // The Backstage kubernetes plugin's default object types; served (usually empty) so its fetcher
  // does not report errors for a simulated cluster.
  core('LimitRange', 'limitranges', true, ['limits'], true),
  core('ResourceQuota', 'resourcequotas', true, ['quota'], true, ['status']),
  {
    ...core('ReplicaSet', 'replicasets', true, ['rs'], true, ['status']),
    group: 'apps',
  },
  {
    ...core('StatefulSet', 'statefulsets', true, ['sts'], true, ['status']),
    group: 'apps',
  },
  {
    ...core(
      'HorizontalPodAutoscaler',
      'horizontalpodautoscalers',
      true,
      ['hpa'],
      true,
      ['status'],
    ),
    group: 'autoscaling',
    version: 'v2',
  },
  { ...core('Job', 'jobs', true, [], true, ['status']), group: 'batch' },
  {
    ...core('CronJob', 'cronjobs', true, ['cj'], true, ['status']),
    group: 'batch',
  },
  {
    ...core('Ingress', 'ingresses', true, ['ing'], true, ['status']),
    group: 'networking.k8s.io',
  },
];

const metallb = (
  kind: string,
  plural: string,
  version = 'v1beta1',
): CrdDefinition => ({
  group: 'metallb.io',
  version,
  kind,
  plural,
  namespaced: true,
});

/** CRD bundles a scenario can install by name. */
export const CRD_BUNDLES: Record<string, CrdDefinition[]> = {
  metallb: [
    metallb('IPAddressPool', 'ipaddresspools'),
    metallb('L2Advertisement', 'l2advertisements'),
    metallb('BGPAdvertisement', 'bgpadvertisements'),
    metallb('ConfigurationState', 'configurationstates'),
    metallb('ServiceL2Status', 'servicel2statuses'),
    metallb('ServiceBGPStatus', 'servicebgpstatuses'),
    metallb('Community', 'communities'),
    metallb('BFDProfile', 'bfdprofiles'),
    metallb('BGPPeer', 'bgppeers', 'v1beta2'),
  ],
  chisel: [
    {
      group: 'chisel-operator.io',
      version: 'v1',
      kind: 'ExitNode',
      plural: 'exitnodes',
      namespaced: true,
    },
    {
      group: 'chisel-operator.io',
      version: 'v1',
      kind: 'ExitNodeProvisioner',
      plural: 'exitnodeprovisioners',
      namespaced: true,
    },
  ],
  cilium: [
    {
      group: 'cilium.io',
      version: 'v2alpha1',
      kind: 'CiliumLoadBalancerIPPool',
      plural: 'ciliumloadbalancerippools',
      namespaced: false,
      shortNames: ['ippools', 'ippool', 'lbippool', 'lbippools'],
    },
    {
      group: 'cilium.io',
      version: 'v2alpha1',
      kind: 'CiliumL2AnnouncementPolicy',
      plural: 'ciliuml2announcementpolicies',
      namespaced: false,
    },
  ],
};

export function crdToResource(crd: CrdDefinition): ResourceType {
  return {
    group: crd.group,
    version: crd.version,
    kind: crd.kind,
    plural: crd.plural,
    singular: crd.singular ?? crd.kind.toLowerCase(),
    namespaced: crd.namespaced !== false,
    shortNames: crd.shortNames ?? [],
    builtin: false,
    watchable: true,
    storageKey: `${crd.plural}.${crd.group}`,
    subresources: ['status'],
  };
}

/** Resolves a scenario's `crds` entries (bundle names or definitions) into resource types. */
export function resolveCrds(
  crds: Array<string | CrdDefinition> | undefined,
): ResourceType[] {
  const out: ResourceType[] = [];
  for (const entry of crds ?? []) {
    if (typeof entry === 'string') {
      const bundle = CRD_BUNDLES[entry];
      if (!bundle) {
        throw new Error(
          `unknown CRD bundle "${entry}" (known: ${Object.keys(
            CRD_BUNDLES,
          ).join(', ')})`,
        );
      }
      out.push(...bundle.map(crdToResource));
    } else {
      out.push(crdToResource(entry));
    }
  }
  return out;
}

export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The resource name as the API server prints it in messages: `services`, `ipaddresspools.metallb.io`. */
export function qualifiedResource(r: ResourceType): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}
