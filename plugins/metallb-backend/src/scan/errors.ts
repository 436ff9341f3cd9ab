import { KubernetesRequestError } from '@lb-doctor/plugin-metallb-node';
import type { ScanProblem } from '@lb-doctor/plugin-metallb-node';
import { stringify } from 'yaml';
import { CONFIG_MAPS, RESOURCES } from './resources';

/** Removes anything that looks like a credential from a text before it is logged or returned. */
export function redact(text: string): string {
  return text
    .replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .replace(
      /((?:token|password|secret)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
      '$1[redacted]',
    );
}

/**
 * The read-only ClusterRole a scan needs: get/list/watch on exactly the kinds it reads, and get on
 * only the three ConfigMaps it reads by name.
 */
export function clusterRoleYaml(): string {
  const byGroup = new Map<string, string[]>();
  for (const r of RESOURCES) {
    byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r.plural]);
  }
  const rules: object[] = [...byGroup].map(([group, resources]) => ({
    apiGroups: [group],
    resources,
    verbs: ['get', 'list', 'watch'],
  }));
  rules.push({
    apiGroups: [''],
    resources: ['configmaps'],
    resourceNames: [...new Set(CONFIG_MAPS.map(([, name]) => name))],
    // Read by name only: list and watch cannot be narrowed to names, so they would add nothing.
    verbs: ['get'],
  });
  return stringify({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'lb-doctor-reader' },
    rules,
  });
}

const METALLB_MISSING =
  'MetalLB not installed or older than 0.13 (then the ConfigMap is used)';

/** Turns a read failure into a problem an operator can act on. */
export function problemFromError(
  error: unknown,
  resource: string,
  options: { clusterTimeoutMs: number },
): ScanProblem {
  if (!(error instanceof KubernetesRequestError)) {
    const message = redact(
      error instanceof Error ? error.message : String(error),
    );
    return { resource, kind: 'internal', message };
  }
  const message = redact(error.message);
  const cluster = error.cluster;
  switch (error.kind) {
    case 'http':
      if (error.status === 403) {
        return {
          resource,
          kind: 'forbidden',
          status: 403,
          message,
          action:
            `The identity the kubernetes plugin uses for cluster ${cluster} may not read ${resource}. ` +
            `Apply this read-only ClusterRole and bind it (ClusterRoleBinding) to that identity:\n${clusterRoleYaml()}`,
        };
      }
      if (error.status === 401) {
        return {
          resource,
          kind: 'unauthorized',
          status: 401,
          message,
          action: `Cluster ${cluster} rejected the kubernetes plugin's credentials: check the token or auth settings configured for it.`,
        };
      }
      if (error.status === 404 && resource.endsWith('.metallb.io')) {
        return {
          resource,
          kind: 'not-found',
          status: 404,
          message: `${METALLB_MISSING}: ${message}`,
          action:
            'Analysed with the legacy metallb-system/config ConfigMap, if any. Install MetalLB 0.13 or newer to use IPAddressPools.',
        };
      }
      return {
        resource,
        kind: 'http',
        status: error.status,
        message,
      };
    case 'timeout':
    case 'aborted':
      return {
        resource,
        kind: 'timeout',
        message: `Cluster ${cluster} did not answer ${resource} within ${Math.round(
          options.clusterTimeoutMs / 1000,
        )} s (metallb.scan.clusterTimeout)`,
        action:
          'Check that the API server is reachable from Backstage, or raise metallb.scan.clusterTimeout.',
      };
    case 'tls':
      return {
        resource,
        kind: 'tls',
        message,
        action:
          "Check caData/caFile (or skipTLSVerify) of this cluster in the kubernetes plugin's config.",
      };
    case 'connection':
      return {
        resource,
        kind: 'connection',
        message,
        action:
          "Check the cluster's url in the kubernetes plugin's config and that the API server is up.",
      };
    default:
      return { resource, kind: error.kind, message };
  }
}

/** One line per problem, with its action, for the `error` field of a cluster. */
export function describeProblems(problems: ScanProblem[]): string | undefined {
  if (problems.length === 0) return undefined;
  const forbidden = problems.filter(p => p.kind === 'forbidden');
  const others = problems.filter(p => p.kind !== 'forbidden');
  const parts = others.map(p =>
    p.action ? `${p.message}\n${p.action}` : p.message,
  );
  if (forbidden.length > 0) {
    // One ClusterRole covers every forbidden kind: show it once, after naming them all.
    parts.unshift(
      `Forbidden: ${forbidden.map(p => p.resource).join(', ')}.\n${
        forbidden[0].message
      }\n${forbidden[0].action ?? ''}`.trimEnd(),
    );
  }
  return parts.join('\n\n');
}
