import type {
  ClusterInfo,
  ClusterScanError,
  EntityReport,
  FleetReportResponse,
  HistoryPoint,
  ReportItem,
  ScanRun,
} from './types';
import type { ServiceReport } from '@lb-doctor/plugin-metallb-common';

/*
 * The backend was built alongside this plugin and its answers differ in places from the contract
 * the UI was designed against (see plugins/metallb-node/src/api.ts). Every difference is
 * absorbed here, so components only ever see the types in ./types. Both shapes are accepted,
 * so either side can converge without breaking the other.
 */

type Loose<T> = { [K in keyof T]?: T[K] | null } & Record<string, unknown>;

/**
 * Splits a cluster error text into its first line, the advice, and an embedded manifest.
 * The backend puts the ClusterRole to apply right after the advice, starting at `apiVersion:`,
 * and separates further problems with a blank line.
 */
export function parseClusterError(text: string): ClusterScanError {
  const parts = text.split(/\n\s*\n/);
  const [first, ...rest] = parts[0].split('\n');
  const lines = [
    ...rest,
    ...parts.slice(1).flatMap(p => ['', ...p.split('\n')]),
  ];
  const yamlStart = lines.findIndex(l => /^apiVersion:/.test(l));
  if (yamlStart < 0) {
    const action = lines.join('\n').trim();
    return { message: first, ...(action ? { action } : {}) };
  }
  let yamlEnd = lines.indexOf('', yamlStart);
  if (yamlEnd < 0) yamlEnd = lines.length;
  const yaml = `${lines.slice(yamlStart, yamlEnd).join('\n').trimEnd()}\n`;
  const action = [...lines.slice(0, yamlStart), ...lines.slice(yamlEnd)]
    .join('\n')
    .trim();
  return { message: first, ...(action ? { action } : {}), yaml };
}

function clusterError(
  error: string | ClusterScanError | null | undefined,
): ClusterScanError | undefined {
  if (!error) return undefined;
  return typeof error === 'string' ? parseClusterError(error) : error;
}

/** The entity answer as the backend sends it: nullable times, errors as plain text. */
interface RawEntityReport {
  entityRef?: string;
  annotations?: Record<string, string>;
  missingAnnotation?: string | null;
  services?: EntityReport['services'] | null;
  clusters?: Array<{
    name: string;
    scannedAt?: string | null;
    stale?: boolean;
    error?: string | ClusterScanError | null;
  }> | null;
  scannedAt?: string | null;
}

export function normalizeEntityReport(raw: RawEntityReport): EntityReport {
  return {
    entityRef: raw.entityRef ?? '',
    ...(raw.missingAnnotation
      ? { missingAnnotation: raw.missingAnnotation }
      : {}),
    services: raw.services ?? [],
    clusters: (raw.clusters ?? []).map(c => ({
      name: c.name ?? '',
      stale: Boolean(c.stale),
      ...(c.scannedAt ? { scannedAt: c.scannedAt } : {}),
      ...(c.error ? { error: clusterError(c.error) } : {}),
    })),
    ...(raw.scannedAt ? { scannedAt: raw.scannedAt } : {}),
  };
}

type RawSummary = Partial<FleetReportResponse['summary']> & {
  byRule?: Record<string, number>;
};

/**
 * The backend sends each item as a flat Service report carrying its cluster, and `entityRefs`
 * since it maps Services to entities; older backends send none, or a single `entityRef`.
 */
type RawEntityRefs = {
  entityRefs?: string[] | null;
  entityRef?: string | null;
};
type RawReportItem =
  | (Omit<ReportItem, 'entityRefs'> & RawEntityRefs)
  | (ServiceReport & { cluster: string } & RawEntityRefs);

function entityRefsOf(item: RawEntityRefs): string[] {
  if (item.entityRefs) return item.entityRefs;
  return item.entityRef ? [item.entityRef] : [];
}

function reportItem(item: RawReportItem): ReportItem {
  if ('service' in item && item.service) {
    return {
      cluster: item.cluster,
      entityRefs: entityRefsOf(item),
      service: item.service,
    };
  }
  const { cluster, entityRef, entityRefs, ...service } =
    item as ServiceReport & { cluster: string } & RawEntityRefs;
  return {
    cluster,
    entityRefs: entityRefsOf({ entityRef, entityRefs }),
    service,
  };
}

export function normalizeReport(raw: {
  summary?: RawSummary | null;
  items?: RawReportItem[] | null;
  totalItems?: number | null;
}): FleetReportResponse {
  const s: RawSummary = raw.summary ?? {};
  return {
    summary: {
      clusters: s.clusters ?? 0,
      services: s.services ?? 0,
      ok: s.ok ?? 0,
      info: s.info ?? 0,
      warning: s.warning ?? 0,
      error: s.error ?? 0,
      // The backend counts findings per rule; each write-loop finding is one active loop.
      writeLoops: s.writeLoops ?? s.byRule?.['write-loop'] ?? 0,
    },
    items: (raw.items ?? []).map(reportItem),
    totalItems: raw.totalItems ?? raw.items?.length ?? 0,
  };
}

interface RawClusterState extends Loose<ClusterInfo> {
  scannedAt?: string | null;
  error?: string;
  lastRun?: {
    startedAt: string;
    finishedAt: string | null;
    status: 'ok' | 'partial' | 'failed';
  } | null;
  summary?: { services: number; error: number; warning: number } | null;
}

export function normalizeClusters(raw: { items?: RawClusterState[] | null }): {
  items: ClusterInfo[];
} {
  return {
    items: (raw.items ?? []).map(c => {
      const lastScan =
        c.lastScan ??
        (c.lastRun
          ? {
              startedAt: c.lastRun.startedAt,
              ...(c.lastRun.finishedAt
                ? { finishedAt: c.lastRun.finishedAt }
                : {}),
              ok: c.lastRun.status === 'ok',
              ...(c.lastRun.status === 'partial' ? { partial: true } : {}),
              ...(c.error ? { error: parseClusterError(c.error).message } : {}),
            }
          : undefined);
      return {
        name: c.name ?? '',
        ...(c.title ? { title: c.title } : {}),
        scannable: c.scannable ?? true,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(lastScan ? { lastScan } : {}),
        stale: Boolean(c.stale),
        services: c.services ?? c.summary?.services ?? 0,
        errors: c.errors ?? c.summary?.error ?? 0,
        warnings: c.warnings ?? c.summary?.warning ?? 0,
      };
    }),
  };
}

export function normalizeHistory(raw: {
  points?: HistoryPoint[] | null;
  items?: Array<{
    cluster: string;
    scannedAt: string;
    statuses?: Record<string, number>;
  }> | null;
}): { points: HistoryPoint[] } {
  if (raw.points) return { points: raw.points };
  return {
    points: (raw.items ?? []).map(i => ({
      at: i.scannedAt,
      cluster: i.cluster,
      error: i.statuses?.error ?? 0,
      warning: i.statuses?.warning ?? 0,
      info: i.statuses?.info ?? 0,
    })),
  };
}

export function normalizeScan(raw: {
  runs?: ScanRun[] | null;
  clusters?: Array<{ cluster: string; status: string; error?: string }> | null;
}): { runs: ScanRun[] } {
  if (raw.runs) return { runs: raw.runs };
  return {
    runs: (raw.clusters ?? []).map(c => ({
      cluster: c.cluster,
      ok: c.status === 'ok',
      ...(c.error ? { error: c.error } : {}),
    })),
  };
}
