import type {
  Finding,
  RuleId,
  ServiceReport,
  ServiceStatus,
  Severity,
} from '@lb-doctor/plugin-metallb-common';

const RANK: Record<ServiceStatus, number> = {
  ok: 0,
  info: 1,
  warning: 2,
  error: 3,
};

/** Sorts worst first; stable, so the engine's order breaks ties. */
export function bySeverity<T extends { severity: Severity }>(
  items: readonly T[],
): T[] {
  return [...items].sort((a, b) => RANK[b.severity] - RANK[a.severity]);
}

/** The rule of the Service's worst finding, the one a one-line summary should name. */
export function topRule(service: ServiceReport): RuleId | undefined {
  return bySeverity(service.findings)[0]?.rule;
}

export function serviceRef(
  service: Pick<ServiceReport, 'namespace' | 'name'>,
): string {
  return `${service.namespace}/${service.name}`;
}

/** A finding with what it is about, in report order: fleet, then per cluster its own and its Services'. */
export interface LocatedFinding {
  finding: Finding;
  cluster?: string;
  service?: ServiceReport;
}
