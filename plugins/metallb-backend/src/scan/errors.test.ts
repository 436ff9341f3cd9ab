import { KubernetesRequestError } from '@lb-doctor/plugin-metallb-node';
import { parse } from 'yaml';
import {
  clusterRoleYaml,
  describeProblems,
  problemFromError,
  redact,
} from './errors';

const error = (
  kind: KubernetesRequestError['kind'],
  status?: number,
  path = '/x',
) =>
  new KubernetesRequestError({
    kind,
    status,
    cluster: 'east',
    path,
    message: `failed ${path}`,
  });

describe('scan errors', () => {
  it('builds a read-only ClusterRole for exactly the kinds a scan reads', () => {
    const role = parse(clusterRoleYaml());
    expect(role.kind).toBe('ClusterRole');
    const rules = role.rules as Array<{
      apiGroups: string[];
      resources: string[];
      verbs: string[];
      resourceNames?: string[];
    }>;
    for (const rule of rules) {
      const byName = rule.resourceNames !== undefined;
      expect({ resources: rule.resources, verbs: rule.verbs }).toEqual({
        resources: rule.resources,
        verbs: byName ? ['get'] : ['get', 'list', 'watch'],
      });
    }
    const resources = rules.flatMap(r =>
      r.resources.map(res => `${r.apiGroups[0]}/${res}`),
    );
    expect(resources.sort()).toEqual(
      [
        '/services',
        '/namespaces',
        '/nodes',
        '/events',
        '/configmaps',
        'metallb.io/ipaddresspools',
        'metallb.io/l2advertisements',
        'metallb.io/bgpadvertisements',
        'metallb.io/configurationstates',
        'metallb.io/servicel2statuses',
        'metallb.io/servicebgpstatuses',
        'apps/deployments',
        'apps/daemonsets',
      ].sort(),
    );
    expect(
      rules.find(r => r.resources[0] === 'configmaps')?.resourceNames,
    ).toEqual(['config', 'kube-proxy', 'kubevip']);
  });

  it('maps failures to actions', () => {
    const opts = { clusterTimeoutMs: 60_000 };
    expect(
      problemFromError(error('http', 403), 'services', opts).action,
    ).toContain('kind: ClusterRole');
    expect(
      problemFromError(error('http', 404), 'ipaddresspools.metallb.io', opts)
        .message,
    ).toContain(
      'MetalLB not installed or older than 0.13 (then the ConfigMap is used)',
    );
    expect(
      problemFromError(error('timeout'), 'services', opts).message,
    ).toContain('did not answer services within 60 s');
    expect(problemFromError(error('tls'), 'services', opts).kind).toBe('tls');
    expect(
      problemFromError(error('connection'), 'services', opts).action,
    ).toContain("Check the cluster's url");
  });

  it('shows the ClusterRole once for several forbidden kinds', () => {
    const opts = { clusterTimeoutMs: 60_000 };
    const text = describeProblems([
      problemFromError(error('http', 403), 'ipaddresspools.metallb.io', opts),
      problemFromError(error('http', 403), 'l2advertisements.metallb.io', opts),
      problemFromError(error('invalid-response'), 'events', opts),
    ])!;
    expect(text).toContain(
      'Forbidden: ipaddresspools.metallb.io, l2advertisements.metallb.io.',
    );
    expect(text.match(/kind: ClusterRole/g)).toHaveLength(1);
    expect(text).toContain('failed /x');
    expect(describeProblems([])).toBeUndefined();
  });

  it('redacts credentials', () => {
    expect(redact('Authorization: Bearer abc.def-ghi')).toBe(
      'Authorization: Bearer [redacted]',
    );
    expect(redact('{"token":"s3cr3t"}')).toBe('{"token":"[redacted]"}');
  });
});
