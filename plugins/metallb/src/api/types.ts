import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ControllerId,
  RuleId,
  ServiceReport,
  Severity,
} from '@lb-doctor/plugin-metallb-common';

/**
 * Why a cluster could not be scanned, as the backend words it. `yaml` carries the RBAC (or other)
 * manifest that fixes it, so the UI can offer it with a copy button.
 * @public
 */
export interface ClusterScanError {
  message: string;
  action?: string;
  yaml?: string;
}

/** One cluster that an entity's Services live in, with the state of its last scan. @public */
export interface EntityClusterState {
  name: string;
  scannedAt?: string;
  stale: boolean;
  error?: ClusterScanError;
}

/** A Service report tagged with the cluster it was read from. @public */
export type ClusterServiceReport = ServiceReport & { cluster: string };

/** Response of `GET /entity/:namespace/:kind/:name`. @public */
export interface EntityReport {
  entityRef: string;
  /** Set when the backend could not match the entity to a workload: names the annotation to add. */
  missingAnnotation?: string;
  services: ClusterServiceReport[];
  clusters: EntityClusterState[];
  scannedAt?: string;
}

/** Filters of the fleet report; every field maps 1:1 to a query parameter. @public */
export interface ReportFilters {
  cluster?: string;
  namespace?: string;
  rule?: RuleId;
  severity?: Severity;
  controller?: ControllerId;
  entity?: string;
}

/** Names of the filters, in the order the UI shows them. @public */
export const REPORT_FILTER_KEYS = [
  'cluster',
  'namespace',
  'rule',
  'severity',
  'controller',
  'entity',
] as const;

/** @public */
export interface ReportQuery extends ReportFilters {
  offset?: number;
  limit?: number;
}

/** Fleet-wide counters shown as tiles. @public */
export interface ReportSummary {
  clusters: number;
  services: number;
  ok: number;
  info: number;
  warning: number;
  error: number;
  writeLoops: number;
}

/** @public */
export interface ReportItem {
  cluster: string;
  /**
   * The catalog entities the Service belongs to, as full refs (`component:default/web`); empty
   * when no entity maps to it. Several when entities share a label selector.
   */
  entityRefs: string[];
  service: ServiceReport;
}

/** Response of `GET /report`. @public */
export interface FleetReportResponse {
  summary: ReportSummary;
  items: ReportItem[];
  totalItems: number;
}

/** @public */
export type ExportFormat = 'csv' | 'json' | 'markdown';

/** @public */
export interface ClusterInfo {
  name: string;
  title?: string;
  scannable: boolean;
  reason?: string;
  lastScan?: {
    startedAt: string;
    finishedAt?: string;
    ok: boolean;
    /** Some kinds could not be read; the Services were analysed with what was read. */
    partial?: boolean;
    error?: string;
  };
  stale: boolean;
  services: number;
  errors: number;
  warnings: number;
}

/** @public */
export interface HistoryPoint {
  at: string;
  cluster: string;
  error: number;
  warning: number;
  info: number;
}

/** @public */
export interface HistoryQuery {
  cluster?: string;
  from?: string;
  to?: string;
}

/**
 * One scan started by `POST /scan`. The backend may add fields; the UI only needs to know the
 * call succeeded, so this stays loose on purpose.
 * @public
 */
export interface ScanRun {
  cluster: string;
  ok?: boolean;
  error?: string;
  [key: string]: unknown;
}

/** Free addresses of a pool for a new Service, from the latest scan. @public */
export interface FreeIps {
  cluster: string;
  pool: string;
  namespace: string;
  /** The addresses MetalLB would give next, in its order; empty when none is free. */
  ips: string[];
  /** Why there is none (pool full, namespace not served), when `ips` is empty. */
  reason?: string;
  /** When the snapshot the answer is computed from was read. */
  snapshotAt?: string;
}

/** @public */
export interface FreeIpsQuery {
  cluster: string;
  pool: string;
  namespace?: string;
  family?: 'ipv4' | 'ipv6';
  limit?: number;
}

/** The LB Doctor backend, as seen by the frontend. @public */
export interface MetallbApi {
  getEntityReport(entity: {
    namespace: string;
    kind: string;
    name: string;
  }): Promise<EntityReport>;
  getReport(query?: ReportQuery): Promise<FleetReportResponse>;
  /** URL of an export; shareable, but fetch it with {@link MetallbApi.exportReport} to send credentials. */
  getExportUrl(format: ExportFormat, filters?: ReportFilters): Promise<string>;
  exportReport(format: ExportFormat, filters?: ReportFilters): Promise<Blob>;
  getClusters(): Promise<{ items: ClusterInfo[] }>;
  getHistory(query?: HistoryQuery): Promise<{ points: HistoryPoint[] }>;
  scan(options?: { cluster?: string }): Promise<{ runs: ScanRun[] }>;
  /** Free addresses of a pool, for pickers; honours the pool's serviceAllocation. */
  getFreeIps(query: FreeIpsQuery): Promise<FreeIps>;
}

/** @public */
export const metallbApiRef = createApiRef<MetallbApi>({
  id: 'plugin.metallb.service',
});
