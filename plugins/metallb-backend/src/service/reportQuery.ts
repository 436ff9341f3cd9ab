import { z } from 'zod';
import type { ClusterServiceReport } from '@lb-doctor/plugin-metallb-node';
import type { ReportSummary, RuleId } from '@lb-doctor/plugin-metallb-common';
import type { StoredService } from '../database/MetallbStore';

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform(v =>
    v === undefined
      ? undefined
      : (Array.isArray(v) ? v : [v])
          .flatMap(x => x.split(','))
          .map(x => x.trim())
          .filter(Boolean),
  );

/** Query parameters of `/report` and `/report/export`; lists accept `a,b` or repeated keys. */
export const reportQuerySchema = z.object({
  cluster: list,
  namespace: list,
  rule: list,
  severity: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform(v =>
      v === undefined
        ? undefined
        : (Array.isArray(v) ? v : [v]).flatMap(x => x.split(',')),
    )
    .pipe(z.array(z.enum(['ok', 'info', 'warning', 'error'])).optional()),
  controller: list,
  entity: z.string().optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export type ReportQuery = z.infer<typeof reportQuerySchema>;

export function toItem(s: StoredService): ClusterServiceReport {
  return {
    ...s.report,
    cluster: s.cluster,
    labels: s.labels,
    firstSeen: s.firstSeen,
    updatedAt: s.updatedAt,
  };
}

const RANK = { error: 0, warning: 1, info: 2, ok: 3 } as const;

/**
 * Applies the filters that are not pushed to SQL. `severity` matches a Service whose status is that
 * severity or that has a finding of it; `rule` and `controller` match any finding or owner.
 */
export function filterServices(
  services: StoredService[],
  query: ReportQuery,
): StoredService[] {
  const clusters = query.cluster && new Set(query.cluster);
  const namespaces = query.namespace && new Set(query.namespace);
  const rules = query.rule && new Set(query.rule);
  const severities = query.severity && new Set<string>(query.severity);
  const controllers = query.controller && new Set<string>(query.controller);
  return services
    .filter(s => !clusters || clusters.has(s.cluster))
    .filter(s => !namespaces || namespaces.has(s.namespace))
    .filter(s => !rules || s.report.findings.some(f => rules.has(f.rule)))
    .filter(
      s =>
        !severities ||
        severities.has(s.status) ||
        s.report.findings.some(f => severities.has(f.severity)),
    )
    .filter(
      s =>
        !controllers ||
        s.report.owners.some(o => controllers.has(o.controller)),
    )
    .sort(
      (a, b) =>
        RANK[a.status] - RANK[b.status] ||
        a.cluster.localeCompare(b.cluster) ||
        a.namespace.localeCompare(b.namespace) ||
        a.name.localeCompare(b.name),
    );
}

export interface FleetSummary extends ReportSummary {
  clusters: number;
  bySeverity: Record<'error' | 'warning' | 'info', number>;
  byController: Record<string, number>;
}

export function summarizeItems(services: StoredService[]): FleetSummary {
  const summary: FleetSummary = {
    clusters: new Set(services.map(s => s.cluster)).size,
    services: services.length,
    ok: 0,
    info: 0,
    warning: 0,
    error: 0,
    byRule: {},
    bySeverity: { error: 0, warning: 0, info: 0 },
    byController: {},
  };
  for (const s of services) {
    summary[s.status]++;
    for (const f of s.report.findings) {
      summary.byRule[f.rule as RuleId] = (summary.byRule[f.rule] ?? 0) + 1;
      summary.bySeverity[f.severity]++;
    }
    for (const o of s.report.owners) {
      summary.byController[o.controller] =
        (summary.byController[o.controller] ?? 0) + 1;
    }
  }
  return summary;
}
