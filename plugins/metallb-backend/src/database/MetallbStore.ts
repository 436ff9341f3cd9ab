import type {
  ClusterReport,
  ClusterSnapshot,
  Severity,
  ServiceReport,
  ServiceStatus,
} from '@lb-doctor/plugin-metallb-common';
import type { ScanProblem } from '@lb-doctor/plugin-metallb-node';
import type { ServiceObservation } from '../scan/churn';

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed';

/** A Service as stored after a scan. */
export interface StoredService {
  cluster: string;
  namespace: string;
  name: string;
  uid?: string;
  labels: Record<string, string>;
  status: ServiceStatus;
  report: ServiceReport;
  observation: ServiceObservation;
  firstSeen: string;
  updatedAt: string;
}

export type NewService = Omit<StoredService, 'firstSeen' | 'updatedAt'>;

export interface ScanRun {
  id: number;
  cluster: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  error: string | null;
  problems: ScanProblem[];
  stale: boolean;
}

/** The latest good result of a cluster. */
export interface StoredCluster {
  name: string;
  scannedAt: string;
  /** The report without its services (those live in their own rows). */
  report: Omit<ClusterReport, 'services'>;
}

export interface HistoryCount {
  rule: string;
  severity: Severity | 'ok';
  count: number;
}

export interface HistoryRow extends HistoryCount {
  runId: number;
  cluster: string;
  scannedAt: string;
}

/** Persistence of scan results; the knex implementation serves SQLite and PostgreSQL. */
export interface MetallbStore {
  startRun(cluster: string, startedAt: Date): Promise<number>;
  finishRun(
    id: number,
    result: {
      finishedAt: Date;
      status: Exclude<RunStatus, 'running'>;
      error?: string;
      problems: ScanProblem[];
      stale: boolean;
    },
  ): Promise<void>;
  /** Replaces a cluster's result in one transaction: Services gone from the cluster are removed. */
  saveClusterResult(result: {
    runId: number;
    cluster: string;
    scannedAt: Date;
    report: Omit<ClusterReport, 'services'>;
    /** The snapshot kept for `POST /validate`, or its JSON when already serialised. */
    snapshot: ClusterSnapshot | string;
    services: NewService[];
    history: HistoryCount[];
  }): Promise<void>;
  getObservations(cluster: string): Promise<Map<string, ServiceObservation>>;
  listClusters(): Promise<StoredCluster[]>;
  getCluster(name: string): Promise<StoredCluster | undefined>;
  getSnapshot(name: string): Promise<ClusterSnapshot | undefined>;
  /** The latest run of each cluster. */
  latestRuns(): Promise<Map<string, ScanRun>>;
  listServices(filter?: {
    cluster?: string;
    namespace?: string;
    /** Only Services whose `backstage.io/kubernetes-id` label has this value (indexed). */
    kubernetesId?: string;
  }): Promise<StoredService[]>;
  /** When each cluster's stored result was read, without the reports (cheap). */
  listScanTimes(): Promise<Array<{ name: string; scannedAt: string }>>;
  getHistory(filter: {
    cluster?: string;
    from?: Date;
    to?: Date;
  }): Promise<HistoryRow[]>;
  /** Deletes runs and history older than the cutoff, keeping each cluster's latest run. */
  prune(before: Date): Promise<{ runs: number; history: number }>;
}
