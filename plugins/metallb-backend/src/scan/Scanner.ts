import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  Finding,
  OwnershipDetector,
  summarizeServices,
  ServiceReport,
} from '@lb-doctor/plugin-metallb-common';
import type {
  ClusterScanOutcome,
  KubernetesClusterClient,
  KubernetesClusterInfo,
  ScanProblem,
  ScanRunSummary,
} from '@lb-doctor/plugin-metallb-node';
import type {
  HistoryCount,
  MetallbStore,
  NewService,
} from '../database/MetallbStore';
import type { AnalysedService } from './analysis';
import { AnalysisPool } from './AnalysisPool';
import { churnFinding, withChurnFinding } from './churn';
import { describeProblems, problemFromError, redact } from './errors';
import { ClusterReadError, fetchClusterObjects } from './fetcher';

export interface ScannerOptions {
  client: KubernetesClusterClient;
  store: MetallbStore;
  logger: LoggerService;
  concurrency: number;
  clusterTimeoutMs: number;
  pageLimit: number;
  /** Read at each scan, so detectors added by modules after construction are used. */
  detectors: () => OwnershipDetector[];
  /** Where the engine runs; without it, on the calling thread. */
  analysis?: AnalysisPool;
}

/** Counts per rule and severity (and per Service status under rule `*`) for the history table. */
export function historyCounts(
  services: ServiceReport[],
  clusterFindings: Finding[],
): HistoryCount[] {
  const counts = new Map<string, HistoryCount>();
  const add = (rule: string, severity: HistoryCount['severity']) => {
    const key = `${rule}\u0000${severity}`;
    const entry = counts.get(key) ?? { rule, severity, count: 0 };
    entry.count++;
    counts.set(key, entry);
  };
  for (const s of services) {
    add('*', s.status);
    for (const f of s.findings) add(f.rule, f.severity);
  }
  for (const f of clusterFindings) add(f.rule, f.severity);
  return [...counts.values()];
}

/** Reads clusters, runs the engine and stores the results. */
export class Scanner {
  /** Scans in progress per cluster: a second request joins the running one. */
  private readonly inFlight = new Map<string, Promise<ClusterScanOutcome>>();

  private readonly analysis: AnalysisPool;

  constructor(private readonly options: ScannerOptions) {
    this.analysis =
      options.analysis ?? new AnalysisPool({ size: 0, logger: options.logger });
  }

  async scan(
    request: { cluster?: string; signal?: AbortSignal } = {},
  ): Promise<ScanRunSummary> {
    const startedAt = new Date();
    let clusters = await this.options.client.listClusters();
    if (request.cluster) {
      clusters = clusters.filter(c => c.name === request.cluster);
      if (clusters.length === 0) {
        throw new NotFoundError(
          `Cluster '${request.cluster}' is not configured in the kubernetes plugin`,
        );
      }
    }
    const outcomes: ClusterScanOutcome[] = new Array(clusters.length);
    let next = 0;
    const worker = async () => {
      while (next < clusters.length) {
        const index = next++;
        outcomes[index] = await this.scanClusterOnce(
          clusters[index],
          request.signal,
        );
      }
    };
    await Promise.all(
      Array.from(
        { length: Math.min(this.options.concurrency, clusters.length) },
        worker,
      ),
    );
    return {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      clusters: outcomes,
    };
  }

  private scanClusterOnce(
    cluster: KubernetesClusterInfo,
    signal: AbortSignal | undefined,
  ): Promise<ClusterScanOutcome> {
    if (!cluster.scannable) {
      return Promise.resolve({
        cluster: cluster.name,
        status: 'skipped',
        services: 0,
        durationMs: 0,
        error: cluster.reason,
        problems: [],
      });
    }
    const running = this.inFlight.get(cluster.name);
    if (running) return running;
    const promise = this.scanCluster(cluster.name, signal).finally(() =>
      this.inFlight.delete(cluster.name),
    );
    this.inFlight.set(cluster.name, promise);
    return promise;
  }

  private async scanCluster(
    cluster: string,
    outer: AbortSignal | undefined,
  ): Promise<ClusterScanOutcome> {
    const { store, logger, clusterTimeoutMs } = this.options;
    const started = new Date();
    const runId = await store.startRun(cluster, started);
    const controller = new AbortController();
    const timeout = Object.assign(
      new Error(`timed out after ${Math.round(clusterTimeoutMs / 1000)} s`),
      { code: 'ETIMEDOUT' },
    );
    const timer = setTimeout(() => controller.abort(timeout), clusterTimeoutMs);
    const onOuterAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      const read = await fetchClusterObjects(this.options.client, cluster, {
        signal: controller.signal,
        pageLimit: this.options.pageLimit,
        clusterTimeoutMs,
      });
      const scannedAt = new Date();
      const analysed = await this.analysis.analyze(
        {
          cluster,
          objects: read.objects,
          known: read.known,
          collectedAt: scannedAt.toISOString(),
        },
        this.options.detectors(),
      );
      const services = await this.withChurn(cluster, analysed.services);
      const finalReports = services.map(s => s.report);
      const status = read.problems.length > 0 ? 'partial' : 'ok';
      await store.saveClusterResult({
        runId,
        cluster,
        scannedAt,
        report: {
          ...analysed.report,
          summary: summarizeServices(finalReports, analysed.report.findings),
        },
        snapshot: analysed.snapshotJson,
        services,
        history: historyCounts(finalReports, analysed.report.findings),
      });
      const error = describeProblems(read.problems);
      await store.finishRun(runId, {
        finishedAt: new Date(),
        status,
        error,
        problems: read.problems,
        stale: false,
      });
      return {
        cluster,
        status,
        services: services.length,
        durationMs: Date.now() - started.getTime(),
        ...(error ? { error } : {}),
        problems: read.problems,
      };
    } catch (error) {
      const problems: ScanProblem[] =
        error instanceof ClusterReadError
          ? [error.problem, ...error.partial]
          : [problemFromError(error, 'cluster', { clusterTimeoutMs })];
      const message = describeProblems(problems) ?? 'scan failed';
      const stale = (await store.getCluster(cluster)) !== undefined;
      logger.warn(
        `Scan of cluster ${cluster} failed${
          stale ? '; keeping its last result, marked stale' : ''
        }: ${redact(problems[0].message)}`,
      );
      await store.finishRun(runId, {
        finishedAt: new Date(),
        status: 'failed',
        error: message,
        problems,
        stale,
      });
      return {
        cluster,
        status: 'failed',
        services: 0,
        durationMs: Date.now() - started.getTime(),
        error: message,
        problems,
      };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  /** Compares with the previous scan of the cluster and adds measured write-loop findings. */
  private async withChurn(
    cluster: string,
    analysed: AnalysedService[],
  ): Promise<NewService[]> {
    const previous = await this.options.store.getObservations(cluster);
    return analysed.map(({ report: serviceReport, labels, observation }) => {
      const key = `${serviceReport.namespace}/${serviceReport.name}`;
      const final = withChurnFinding(
        serviceReport,
        churnFinding(previous.get(key), observation, serviceReport),
      );
      return {
        cluster,
        namespace: final.namespace,
        name: final.name,
        ...(final.uid ? { uid: final.uid } : {}),
        labels,
        status: final.status,
        report: final,
        observation,
      };
    });
  }
}
