import {
  analyzeCluster,
  ClusterSnapshot,
  KubeObject,
  parseManifests,
  snapshotFromObjects,
} from '@lb-doctor/plugin-metallb-common';
import {
  ClusterStateWithReport,
  MetallbService,
  MetallbServiceError,
  ValidateRequest,
  ValidateResult,
} from '@lb-doctor/plugin-metallb-node';

const objectKey = (o: KubeObject) =>
  `${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Posted objects replace stored ones of the same kind/namespace/name, as the backend does. */
function overlay(
  base: ClusterSnapshot,
  posted: ClusterSnapshot,
): ClusterSnapshot {
  const merged: ClusterSnapshot = { ...base };
  const target = merged as unknown as Record<string, KubeObject[] | undefined>;
  for (const [key, value] of Object.entries(posted)) {
    if (!Array.isArray(value) || value.length === 0) continue;
    const list = value as KubeObject[];
    const replaced = new Set(list.map(objectKey));
    target[key] = [
      ...(target[key] ?? []).filter(o => !replaced.has(objectKey(o))),
      ...list,
    ];
  }
  return merged;
}

/**
 * An in-memory MetallbService: the backend's behaviour (stored snapshot, real engine) without
 * HTTP or a database. A cluster mapped to `null` is configured but never scanned.
 */
export class FakeMetallbService implements MetallbService {
  readonly validateCalls: ValidateRequest[] = [];

  constructor(
    private readonly clusters: Record<string, ClusterSnapshot | null>,
  ) {}

  private snapshot(cluster: string): ClusterSnapshot | null {
    if (!Object.prototype.hasOwnProperty.call(this.clusters, cluster)) {
      throw new MetallbServiceError(
        `metallb backend answered GET /clusters/${cluster} with HTTP 404: Cluster '${cluster}' is not known`,
        404,
      );
    }
    return this.clusters[cluster];
  }

  async getEntityStatus(): Promise<never> {
    throw new Error('not used by the scaffolder actions');
  }

  async getClusterState(cluster: string): Promise<ClusterStateWithReport> {
    const snapshot = this.snapshot(cluster);
    const report = snapshot ? analyzeCluster(snapshot) : null;
    return {
      name: cluster,
      scannable: true,
      configured: true,
      scannedAt: snapshot?.collectedAt ?? null,
      stale: false,
      problems: [],
      lastRun: null,
      summary: report?.summary ?? null,
      report,
    };
  }

  async validate(request: ValidateRequest): Promise<ValidateResult> {
    this.validateCalls.push(request);
    const stored = this.snapshot(request.cluster);
    if (!stored) {
      throw new MetallbServiceError(
        `metallb backend answered POST /validate with HTTP 404: Cluster '${request.cluster}' is unknown or has never been scanned successfully`,
        404,
      );
    }
    const parsed =
      typeof request.manifests === 'string'
        ? parseManifests(request.manifests, 'request')
        : {
            objects: request.manifests as KubeObject[],
            problems: [],
            locations: undefined,
          };
    const posted = snapshotFromObjects(request.cluster, parsed.objects, {
      locations: parsed.locations,
    });
    const report = analyzeCluster(overlay(stored, posted.snapshot));
    const keys = new Set(
      (posted.snapshot.services ?? []).map(
        s => `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name ?? ''}`,
      ),
    );
    return {
      cluster: request.cluster,
      snapshotAt: stored.collectedAt ?? '',
      services: report.services.filter(s =>
        keys.has(`${s.namespace}/${s.name}`),
      ),
      findings: report.findings,
      problems: [...parsed.problems, ...posted.problems],
    };
  }
}
