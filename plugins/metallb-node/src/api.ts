import type {
  ClusterReport,
  Finding,
  InputProblem,
  ReportSummary,
  ServiceReport,
} from '@lb-doctor/plugin-metallb-common';

/**
 * Shapes of the metallb backend's HTTP API, shared by the backend and its clients.
 */

/** A stored Service verdict with the cluster it lives in. @public */
export type ClusterServiceReport = ServiceReport & {
  cluster: string;
  labels: Record<string, string>;
  firstSeen: string;
  updatedAt: string;
};

/**
 * A row of `GET /report` and `GET /report/export`: a stored Service with the catalog entities it
 * maps to. @public
 */
export type FleetReportItem = ClusterServiceReport & {
  /**
   * Full refs (`component:default/edge-gateway`) of the catalog entities the Service maps to, by
   * the same annotations as `GET /entity/...`, sorted; `[]` when none. Only entities the caller
   * may read are listed.
   */
  entityRefs: string[];
};

/** One problem met while reading a cluster, with what to do about it. @public */
export interface ScanProblem {
  /** The resource that failed (`services`, `ipaddresspools.metallb.io`...), or `cluster`. */
  resource: string;
  kind: string;
  status?: number;
  message: string;
  /** What an operator should do, e.g. the ClusterRole to apply. */
  action?: string;
}

/** Scan state of one cluster. @public */
export interface ClusterState {
  name: string;
  title?: string;
  authProvider?: string;
  scannable: boolean;
  /** Why the cluster cannot be scanned, when it cannot. */
  reason?: string;
  /** Whether the kubernetes plugin still lists the cluster. */
  configured: boolean;
  /** When the stored result was read from the cluster; `null` when never. */
  scannedAt: string | null;
  /** True when the latest scan failed and the stored result is older. */
  stale: boolean;
  /** The latest scan's error, in plain language, with the action to take. */
  error?: string;
  problems: ScanProblem[];
  lastRun: {
    startedAt: string;
    finishedAt: string | null;
    status: 'ok' | 'partial' | 'failed';
  } | null;
  summary: ReportSummary | null;
}

/** A cluster's state with its full stored report. @public */
export interface ClusterStateWithReport extends ClusterState {
  report: ClusterReport | null;
}

/** Answer of `GET /entity/:namespace/:kind/:name`. @public */
export interface EntityLbStatus {
  entityRef: string;
  annotations: Record<string, string>;
  /** Set when the entity has no annotation that maps it to Kubernetes objects. */
  missingAnnotation?: string;
  services: ClusterServiceReport[];
  clusters: Array<{
    name: string;
    scannedAt: string | null;
    stale: boolean;
    error?: string;
  }>;
  /** The oldest scan time among the clusters shown; `null` when none was scanned. */
  scannedAt: string | null;
}

/** Request of `POST /validate`. @public */
export interface ValidateRequest {
  cluster: string;
  /** YAML or JSON text, or already-parsed objects. */
  manifests: string | object[];
}

/** Answer of `POST /validate`. @public */
export interface ValidateResult {
  cluster: string;
  /** When the cluster snapshot the manifests were checked against was read. */
  snapshotAt: string;
  services: ServiceReport[];
  /** Cluster-level findings the posted objects cause or leave. */
  findings: Finding[];
  problems: InputProblem[];
}

/** Result of one cluster in a scan run. @public */
export interface ClusterScanOutcome {
  cluster: string;
  status: 'ok' | 'partial' | 'failed' | 'skipped';
  services: number;
  durationMs: number;
  error?: string;
  problems: ScanProblem[];
}

/** Answer of `POST /scan`. @public */
export interface ScanRunSummary {
  startedAt: string;
  finishedAt: string;
  clusters: ClusterScanOutcome[];
}
