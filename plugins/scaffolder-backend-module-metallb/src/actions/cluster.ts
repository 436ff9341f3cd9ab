import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type {
  ClusterReport,
  Finding,
  ServiceReport,
} from '@lb-doctor/plugin-metallb-common';
import {
  MetallbService,
  MetallbServiceError,
  ValidateResult,
} from '@lb-doctor/plugin-metallb-node';

/**
 * Turns the client's HTTP errors into messages a template user can act on. A 404 is the case the
 * spec calls out (unknown or never-scanned cluster); anything else keeps the backend's text.
 */
function explain(cluster: string, error: unknown): Error {
  if (error instanceof MetallbServiceError && error.status === 404) {
    return new NotFoundError(
      `Cluster '${cluster}' is unknown to LB Doctor or has never been scanned successfully; ` +
        `check the cluster name and run a scan of it first (${error.message})`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The latest stored report of a cluster; refuses unknown and never-scanned clusters. */
export async function loadClusterReport(
  metallb: MetallbService,
  cluster: string,
  credentials?: BackstageCredentials,
): Promise<ClusterReport> {
  let state;
  try {
    state = await metallb.getClusterState(cluster, { credentials });
  } catch (error) {
    throw explain(cluster, error);
  }
  if (!state.report) {
    // The backend knows the cluster (configured) but holds no scan result for it yet.
    throw new NotFoundError(
      `Cluster '${cluster}' has never been scanned successfully, so LB Doctor knows none of its pools ` +
        `or allocations; run a scan of it first${
          state.error ? ` (last scan: ${state.error})` : ''
        }`,
    );
  }
  return state.report;
}

/** Runs the backend's engine on manifests, with the same error translation. */
export async function validateManifests(
  metallb: MetallbService,
  cluster: string,
  manifests: string | object[],
  credentials?: BackstageCredentials,
): Promise<ValidateResult> {
  try {
    return await metallb.validate({ cluster, manifests }, { credentials });
  } catch (error) {
    throw explain(cluster, error);
  }
}

/** A finding flattened for step outputs (JSON only) and messages. */
export interface FlatFinding {
  /** `namespace/name` of the Service, absent for cluster-level findings. */
  service?: string;
  rule: string;
  severity: string;
  message: string;
  remediations: string[];
}

export function flattenFinding(
  finding: Finding,
  service?: ServiceReport,
): FlatFinding {
  return {
    ...(service ? { service: `${service.namespace}/${service.name}` } : {}),
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    remediations: finding.remediations.map(r => r.title),
  };
}

/**
 * Findings the posted manifests are responsible for: every finding on a posted Service, and the
 * cluster-level findings the stored report did not already have. Pre-existing cluster problems
 * must not fail every template run on that cluster.
 */
export function findingsOfPosted(
  result: ValidateResult,
  baseline: ClusterReport,
): FlatFinding[] {
  const known = new Set(baseline.findings.map(f => `${f.rule}\n${f.message}`));
  return [
    ...result.services.flatMap(s => s.findings.map(f => flattenFinding(f, s))),
    ...result.findings
      .filter(f => !known.has(`${f.rule}\n${f.message}`))
      .map(f => flattenFinding(f)),
  ];
}

/** One multi-line message listing each error with its remediation titles. */
export function describeErrors(
  header: string,
  errors: FlatFinding[],
  problems: string[] = [],
): InputError {
  const lines = [
    ...problems.map(p => `- ${p}`),
    ...errors.map(f => {
      const where = f.service ? `${f.service}: ` : '';
      const fixes =
        f.remediations.length > 0
          ? `\n    remediation: ${f.remediations.join('; ')}`
          : '';
      return `- [${f.rule}] ${where}${f.message}${fixes}`;
    }),
  ];
  return new InputError(`${header}\n${lines.join('\n')}`);
}
