import {
  formatInputProblem,
  type Finding,
  type FleetReport,
  type ManifestLocation,
  ruleDescriptor,
  type RuleId,
  type Severity,
} from '@lb-doctor/plugin-metallb-common';
import type { FormatContext } from './context';

/** SARIF 2.1.0, the subset code-scanning services (GitHub, GitLab, Azure DevOps) read. */
interface SarifLocation {
  physicalLocation?: {
    artifactLocation: { uri: string };
    region?: { startLine: number };
  };
  logicalLocations: Array<{ fullyQualifiedName: string; kind: string }>;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

const LEVEL: Record<Severity, SarifResult['level']> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** Bump when the fingerprint recipe changes, so scanners treat old and new alerts as distinct. */
const FINGERPRINT_KEY = 'lbDoctorFinding/v1';

interface Subject {
  cluster?: string;
  namespace?: string;
  name?: string;
  location?: ManifestLocation;
}

export function formatSarif(
  report: FleetReport,
  context: FormatContext,
): string {
  const rules: RuleId[] = [];
  const ruleLevels = new Map<string, SarifResult['level']>();
  const results: SarifResult[] = [];
  const seen = new Map<string, number>();
  const multiCluster = report.clusters.length > 1;

  const add = (finding: Finding, subject: Subject) => {
    if (!ruleLevels.has(finding.rule)) {
      rules.push(finding.rule);
      ruleLevels.set(finding.rule, LEVEL[finding.severity]);
    }
    const base = [
      subject.cluster ?? '',
      subject.namespace ?? '',
      subject.name ?? '',
      finding.rule,
    ].join('/');
    // Two findings of one rule on one Service (two conflicting IPs) must stay two alerts.
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    const target = subject.name
      ? `${subject.namespace}/${subject.name}`
      : undefined;
    // Engine messages usually name the Service already; repeating it only adds noise.
    const named =
      target && !finding.message.includes(target) ? target : undefined;
    const prefix = [multiCluster ? subject.cluster : undefined, named]
      .filter(Boolean)
      .join(' ');
    results.push({
      ruleId: finding.rule,
      ruleIndex: rules.indexOf(finding.rule),
      level: LEVEL[finding.severity],
      message: {
        text: prefix ? `${prefix}: ${finding.message}` : finding.message,
      },
      locations: [toSarifLocation(subject)],
      partialFingerprints: {
        [FINGERPRINT_KEY]: occurrence > 1 ? `${base}#${occurrence}` : base,
      },
      properties: {
        severity: finding.severity,
        ...(subject.cluster !== undefined && { cluster: subject.cluster }),
        ...(target !== undefined && { service: target }),
        evidence: finding.evidence,
        remediations: finding.remediations.map(r => r.title),
      },
    });
  };

  const firstCluster = report.clusters[0]?.name;
  for (const finding of report.findings) {
    add(finding, {
      location: firstCluster
        ? context.locations?.cluster(firstCluster)
        : undefined,
    });
  }
  for (const cluster of report.clusters) {
    const anchor = context.locations?.cluster(cluster.name);
    for (const finding of cluster.findings)
      add(finding, { cluster: cluster.name, location: anchor });
    for (const service of cluster.services) {
      const location =
        context.locations?.service(
          cluster.name,
          service.namespace,
          service.name,
        ) ?? anchor;
      for (const finding of service.findings) {
        add(finding, {
          cluster: cluster.name,
          namespace: service.namespace,
          name: service.name,
          location,
        });
      }
    }
  }

  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lb-doctor',
            version: context.version,
            rules: rules.map(id => ({
              id,
              name: pascalCase(id),
              shortDescription: { text: ruleDescriptor(id).title },
              fullDescription: { text: ruleDescriptor(id).description },
              defaultConfiguration: { level: ruleLevels.get(id) },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: context.problems.map(problem => ({
              level: problem.severity === 'error' ? 'error' : 'warning',
              message: { text: formatInputProblem(problem) },
              ...(problem.source &&
                isFile(problem.source) && {
                  locations: [
                    toSarifLocation({
                      location: {
                        source: problem.source,
                        document: problem.document ?? 1,
                        line: problem.line,
                      },
                    }),
                  ],
                }),
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function toSarifLocation(subject: Subject): SarifLocation {
  const names = [subject.cluster, subject.namespace, subject.name].filter(
    n => n !== undefined,
  );
  const sarifLocation: SarifLocation = {
    logicalLocations: [
      {
        fullyQualifiedName: names.length ? names.join('/') : 'fleet',
        kind: subject.name ? 'object' : 'namespace',
      },
    ],
  };
  const where = subject.location;
  if (where && isFile(where.source)) {
    sarifLocation.physicalLocation = {
      artifactLocation: { uri: toUri(where.source) },
      ...(where.line !== undefined && { region: { startLine: where.line } }),
    };
  }
  return sarifLocation;
}

/** Standard input has no file a scanner could show. */
function isFile(source: string): boolean {
  return !source.startsWith('<');
}

/**
 * Relative paths stay relative (code scanning resolves them against the checkout), with forward
 * slashes; absolute paths become file URIs.
 */
export function toUri(source: string): string {
  const slashed = source.replace(/\\/g, '/');
  if (/^([A-Za-z]:)?\//.test(slashed)) {
    const encoded = slashed
      .split('/')
      .map(encodeURIComponent)
      .join('/')
      .replace(/^([A-Za-z])%3A/, '$1:');
    return `file://${encoded.startsWith('/') ? '' : '/'}${encoded}`;
  }
  return slashed
    .replace(/^(\.\/)+/, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) =>
    c.toUpperCase(),
  );
}
