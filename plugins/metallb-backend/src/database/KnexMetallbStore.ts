import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { ClusterSnapshot } from '@lb-doctor/plugin-metallb-common';
import type { Knex } from 'knex';
import type { ServiceObservation } from '../scan/churn';
import type {
  HistoryRow,
  MetallbStore,
  NewService,
  RunStatus,
  ScanRun,
  StoredCluster,
  StoredService,
} from './MetallbStore';

const MIGRATIONS = resolvePackagePath(
  '@lb-doctor/plugin-metallb-backend',
  'migrations',
);

/** Runs the package's migrations (the store's tests use it on bare knex clients). */
export async function migrateUp(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: MIGRATIONS });
}

/** Rolls every migration back (tests). */
export async function migrateDown(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ directory: MIGRATIONS }, true);
}

/**
 * Timestamps come back as Date (PostgreSQL), epoch milliseconds (better-sqlite3, which stores the
 * Date knex binds as a number) or text: normalise to ISO 8601.
 */
function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  const text = String(value);
  const numeric = Number(text);
  return new Date(Number.isFinite(numeric) ? numeric : text).toISOString();
}

function json<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

/** The indexed `kubernetes_id` column: the label entities map by, when short enough to index. */
function kubernetesId(labels: Record<string, string>): string | null {
  const id = labels['backstage.io/kubernetes-id'];
  return typeof id === 'string' && id.length <= 255 ? id : null;
}

/**
 * Rows per multi-row insert. SQLite (32,766 since 3.32) and PostgreSQL (65,535) cap bound
 * parameters per statement; 500 rows of 11 columns stay far below both, and fewer, larger
 * statements save most of knex's per-statement building and better-sqlite3's prepare per slice.
 */
const CHUNK = 500;

export class KnexMetallbStore implements MetallbStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<KnexMetallbStore> {
    const knex = await options.database.getClient();
    if (!options.skipMigrations && !options.database.migrations?.skip) {
      await migrateUp(knex);
    }
    return new KnexMetallbStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  async startRun(cluster: string, startedAt: Date): Promise<number> {
    const [row] = await this.knex('metallb_scan_runs')
      .insert({
        cluster,
        started_at: startedAt,
        status: 'running',
        problems: '[]',
        stale: false,
      })
      .returning('id');
    return typeof row === 'object' ? Number(row.id) : Number(row);
  }

  async finishRun(
    id: number,
    result: {
      finishedAt: Date;
      status: Exclude<RunStatus, 'running'>;
      error?: string;
      problems: unknown[];
      stale: boolean;
    },
  ): Promise<void> {
    await this.knex('metallb_scan_runs')
      .where({ id })
      .update({
        finished_at: result.finishedAt,
        status: result.status,
        error: result.error ?? null,
        problems: JSON.stringify(result.problems),
        stale: result.stale,
      });
  }

  async saveClusterResult(
    result: Parameters<MetallbStore['saveClusterResult']>[0],
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      await this.lockCluster(tx, result.cluster);
      const existing = await tx('metallb_services')
        .where({ cluster: result.cluster })
        .select('namespace', 'name', 'first_seen');
      const firstSeen = new Map<string, unknown>(
        existing.map(r => [`${r.namespace}/${r.name}`, r.first_seen]),
      );
      await tx('metallb_services').where({ cluster: result.cluster }).delete();
      const rows = result.services.map((s: NewService) => ({
        cluster: result.cluster,
        namespace: s.namespace,
        name: s.name,
        uid: s.uid ?? null,
        labels: JSON.stringify(s.labels),
        kubernetes_id: kubernetesId(s.labels),
        status: s.status,
        report: JSON.stringify(s.report),
        observation: JSON.stringify(s.observation),
        first_seen: firstSeen.has(`${s.namespace}/${s.name}`)
          ? new Date(iso(firstSeen.get(`${s.namespace}/${s.name}`)))
          : result.scannedAt,
        updated_at: result.scannedAt,
      }));
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx('metallb_services').insert(rows.slice(i, i + CHUNK));
      }
      const cluster = {
        scanned_at: result.scannedAt,
        report: JSON.stringify(result.report),
        snapshot:
          typeof result.snapshot === 'string'
            ? result.snapshot
            : JSON.stringify(result.snapshot),
      };
      await tx('metallb_clusters')
        .insert({ name: result.cluster, ...cluster })
        .onConflict('name')
        .merge(cluster);
      const history = result.history.map(h => ({
        run_id: result.runId,
        cluster: result.cluster,
        scanned_at: result.scannedAt,
        rule: h.rule,
        severity: h.severity,
        count: h.count,
      }));
      for (let i = 0; i < history.length; i += CHUNK) {
        await tx('metallb_history').insert(history.slice(i, i + CHUNK));
      }
    });
  }

  /**
   * Serialises writers of one cluster's result until the transaction ends. Two instances (or a
   * POST /scan beside the scheduled scan) may save the same cluster at once; on PostgreSQL the
   * second delete-and-insert would not see the first one's new rows and fail on the primary key.
   * SQLite already has a single writer.
   */
  private async lockCluster(tx: Knex.Transaction, cluster: string) {
    if (!/^(pg|postgres(ql)?)$/.test(String(this.knex.client.config.client))) {
      return;
    }
    await tx.raw('select pg_advisory_xact_lock(hashtext(?))', [
      `metallb_services:${cluster}`,
    ]);
  }

  async getObservations(
    cluster: string,
  ): Promise<Map<string, ServiceObservation>> {
    const rows = await this.knex('metallb_services')
      .where({ cluster })
      .select('namespace', 'name', 'observation');
    return new Map(
      rows.map(r => [
        `${r.namespace}/${r.name}`,
        json<ServiceObservation>(r.observation, {
          observedAt: new Date(0).toISOString(),
          ingress: [],
          metallbEvents: null,
        }),
      ]),
    );
  }

  private toCluster(row: Record<string, unknown>): StoredCluster {
    return {
      name: String(row.name),
      scannedAt: iso(row.scanned_at),
      report: json(row.report, {} as StoredCluster['report']),
    };
  }

  async listScanTimes(): Promise<Array<{ name: string; scannedAt: string }>> {
    const rows = await this.knex('metallb_clusters')
      .select('name', 'scanned_at')
      .orderBy('name');
    return rows.map(r => ({
      name: String(r.name),
      scannedAt: iso(r.scanned_at),
    }));
  }

  async listClusters(): Promise<StoredCluster[]> {
    const rows = await this.knex('metallb_clusters')
      .select('name', 'scanned_at', 'report')
      .orderBy('name');
    return rows.map(r => this.toCluster(r));
  }

  async getCluster(name: string): Promise<StoredCluster | undefined> {
    const row = await this.knex('metallb_clusters')
      .where({ name })
      .first('name', 'scanned_at', 'report');
    return row ? this.toCluster(row) : undefined;
  }

  async getSnapshot(name: string): Promise<ClusterSnapshot | undefined> {
    const row = await this.knex('metallb_clusters')
      .where({ name })
      .first('snapshot');
    return row ? json<ClusterSnapshot>(row.snapshot, { name }) : undefined;
  }

  async latestRuns(): Promise<Map<string, ScanRun>> {
    const latest = this.knex('metallb_scan_runs')
      .select('cluster')
      .max('id as id')
      .groupBy('cluster')
      .as('latest');
    const rows = await this.knex('metallb_scan_runs as r')
      .join(latest, 'r.id', 'latest.id')
      .select('r.*');
    return new Map(
      rows.map(r => [
        String(r.cluster),
        {
          id: Number(r.id),
          cluster: String(r.cluster),
          startedAt: iso(r.started_at),
          finishedAt: r.finished_at === null ? null : iso(r.finished_at),
          status: r.status as RunStatus,
          error: r.error ?? null,
          problems: json(r.problems, []),
          stale: Boolean(r.stale),
        },
      ]),
    );
  }

  async listServices(
    filter: {
      cluster?: string;
      namespace?: string;
      kubernetesId?: string;
    } = {},
  ): Promise<StoredService[]> {
    const query = this.knex('metallb_services').select();
    if (filter.cluster) query.where('cluster', filter.cluster);
    if (filter.namespace) query.where('namespace', filter.namespace);
    if (filter.kubernetesId !== undefined) {
      query.where('kubernetes_id', filter.kubernetesId);
    }
    const rows = await query.orderBy(['cluster', 'namespace', 'name']);
    return rows.map(r => ({
      cluster: r.cluster,
      namespace: r.namespace,
      name: r.name,
      ...(r.uid ? { uid: r.uid } : {}),
      labels: json(r.labels, {}),
      status: r.status,
      report: json(r.report, {} as StoredService['report']),
      observation: json(r.observation, {} as ServiceObservation),
      firstSeen: iso(r.first_seen),
      updatedAt: iso(r.updated_at),
    }));
  }

  async getHistory(filter: {
    cluster?: string;
    from?: Date;
    to?: Date;
  }): Promise<HistoryRow[]> {
    const query = this.knex('metallb_history').select();
    if (filter.cluster) query.where('cluster', filter.cluster);
    if (filter.from) query.where('scanned_at', '>=', filter.from);
    if (filter.to) query.where('scanned_at', '<=', filter.to);
    const rows = await query.orderBy([
      'scanned_at',
      'cluster',
      'rule',
      'severity',
    ]);
    return rows.map(r => ({
      runId: Number(r.run_id),
      cluster: r.cluster,
      scannedAt: iso(r.scanned_at),
      rule: r.rule,
      severity: r.severity,
      count: Number(r.count),
    }));
  }

  async prune(before: Date): Promise<{ runs: number; history: number }> {
    const history = await this.knex('metallb_history')
      .where('scanned_at', '<', before)
      .delete();
    const keep = this.knex('metallb_scan_runs').max('id').groupBy('cluster');
    const runs = await this.knex('metallb_scan_runs')
      .where('started_at', '<', before)
      .whereNotIn('id', keep)
      .delete();
    return { runs, history };
  }
}
