import { groupVersion, ResourceType } from './resources';

/** Legacy (unaggregated) discovery documents; kubectl falls back to them when the server sends plain JSON. */

const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** Versions of a group, newest first, in Kubernetes version priority (v2 > v1 > v1beta2 > v1beta1 > v1alpha1). */
export function versionsOf(types: ResourceType[], group: string): string[] {
  const rank = (v: string) => {
    const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
    if (!m) return [0, 0, 0];
    const stages: Record<string, number> = { alpha: 1, beta: 2 };
    const stage = m[2] ? stages[m[2]] : 3;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const versions = [
    ...new Set(types.filter(t => t.group === group).map(t => t.version)),
  ];
  return versions.sort((a, b) => {
    const [sa, ma, na] = rank(a);
    const [sb, mb, nb] = rank(b);
    return sb - sa || mb - ma || nb - na;
  });
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(types: ResourceType[], group: string) {
  const versions = versionsOf(types, group).map(version => ({
    groupVersion: `${group}/${version}`,
    version,
  }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(types: ResourceType[]) {
  const groups = [...new Set(types.map(t => t.group).filter(g => g !== ''))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map(g => apiGroup(types, g)),
  };
}

export function apiGroupDocument(types: ResourceType[], group: string) {
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(types, group) };
}

export function apiResourceList(
  types: ResourceType[],
  group: string,
  version: string,
) {
  const resources: Array<Record<string, unknown>> = [];
  for (const t of types.filter(
    x => x.group === group && x.version === version,
  )) {
    const r: Record<string, unknown> = {
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ALL_VERBS,
    };
    if (t.shortNames.length > 0) r.shortNames = t.shortNames;
    resources.push(r);
    for (const sub of t.subresources) {
      resources.push({
        name: `${t.plural}/${sub}`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources,
  };
}

export function rootPaths(types: ResourceType[]) {
  const paths = new Set<string>([
    '/api',
    '/api/v1',
    '/apis',
    '/healthz',
    '/livez',
    '/readyz',
    '/version',
  ]);
  for (const t of types) {
    if (!t.group) continue;
    paths.add(`/apis/${t.group}`);
    paths.add(`/apis/${t.group}/${t.version}`);
  }
  return { paths: [...paths].sort() };
}
