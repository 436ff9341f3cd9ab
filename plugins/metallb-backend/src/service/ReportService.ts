import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  analyzeCluster,
  OwnershipDetector,
  parseManifests,
  snapshotFromObjects,
} from '@lb-doctor/plugin-metallb-common';
import type {
  ClusterState,
  ClusterStateWithReport,
  EntityLbStatus,
  FleetReportItem,
  KubernetesClusterClient,
  KubernetesClusterInfo,
  ValidateRequest,
  ValidateResult,
} from '@lb-doctor/plugin-metallb-node';
import type { MetallbStore, StoredService } from '../database/MetallbStore';
import { overlaySnapshot } from '../scan/snapshot';
import { loadEntityIndex } from './entityIndex';
import { entityMapping, servicesOfEntity } from './entityMapping';
import {
  filterServices,
  FleetSummary,
  ReportQuery,
  summarizeItems,
  toItem,
} from './reportQuery';

export interface ReportPage {
  summary: FleetSummary;
  items: FleetReportItem[];
  totalItems: number;
}

/** Read side of the plugin, shared by the HTTP routes and the MCP actions. */
export class ReportService {
  constructor(
    private readonly deps: {
      store: MetallbStore;
      catalog: CatalogService;
      client: KubernetesClusterClient;
      logger: LoggerService;
      detectors: () => OwnershipDetector[];
    },
  ) {}

  /**
   * Looks the entity up with the caller's credentials, so catalog permissions decide: an entity
   * the caller may not read is reported as not found.
   */
  async entityStatus(
    ref: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<EntityLbStatus> {
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `Entity ${ref.kind}:${ref.namespace}/${ref.name} not found`,
      );
    }
    const entityRef = stringifyEntityRef(entity);
    const mapping = entityMapping(entity);
    if (mapping.missingAnnotation) {
      return {
        entityRef,
        annotations: mapping.annotations,
        missingAnnotation: mapping.missingAnnotation,
        services: [],
        clusters: [],
        scannedAt: null,
      };
    }
    const services = servicesOfEntity(
      mapping,
      await this.deps.store.listServices(),
    );
    const states = await this.clusterStates();
    const involved = new Set(services.map(s => s.cluster));
    const clusters = states
      .filter(c => c.scannable)
      .filter(c => involved.has(c.name) || c.configured)
      .map(c => ({
        name: c.name,
        scannedAt: c.scannedAt,
        stale: c.stale,
        ...(c.error ? { error: c.error } : {}),
      }));
    const times = clusters
      .map(c => c.scannedAt)
      .filter((t): t is string => t !== null)
      .sort();
    return {
      entityRef,
      annotations: mapping.annotations,
      services: services.map(toItem),
      clusters,
      scannedAt: times[0] ?? null,
    };
  }

  async report(
    query: ReportQuery,
    credentials: BackstageCredentials,
    paged = true,
  ): Promise<ReportPage> {
    let services: StoredService[] = await this.deps.store.listServices(
      query.cluster?.length === 1 ? { cluster: query.cluster[0] } : {},
    );
    if (query.entity) {
      const match = /^([^:/]+):(?:([^:/]+)\/)?([^:/]+)$/.exec(query.entity);
      if (!match) {
        throw new InputError(
          `Invalid entity ref ${query.entity}, expected kind:namespace/name`,
        );
      }
      const entity = await this.deps.catalog.getEntityByRef(
        { kind: match[1], namespace: match[2] ?? 'default', name: match[3] },
        { credentials },
      );
      if (!entity) throw new NotFoundError(`Entity ${query.entity} not found`);
      services = servicesOfEntity(entityMapping(entity), services);
    }
    const filtered = filterServices(services, query);
    const page = paged
      ? filtered.slice(query.offset, query.offset + query.limit)
      : filtered;
    // Read with the caller's credentials: rows name only entities the caller may read.
    const entities = await loadEntityIndex(
      this.deps.catalog,
      credentials,
      this.deps.logger,
    );
    return {
      summary: summarizeItems(filtered),
      items: page.map(s => ({ ...toItem(s), entityRefs: entities.refsOf(s) })),
      totalItems: filtered.length,
    };
  }

  /** Clusters the kubernetes plugin lists, merged with those that have stored results. */
  async clusterStates(): Promise<ClusterState[]> {
    let configured: KubernetesClusterInfo[] | undefined;
    try {
      configured = await this.deps.client.listClusters();
    } catch (error) {
      // The stored state is still worth showing when the kubernetes plugin is down.
      this.deps.logger.warn(`Could not list clusters: ${error}`);
    }
    const [stored, runs] = await Promise.all([
      this.deps.store.listClusters(),
      this.deps.store.latestRuns(),
    ]);
    const names = new Set([
      ...(configured ?? []).map(c => c.name),
      ...stored.map(c => c.name),
      ...runs.keys(),
    ]);
    return [...names].sort().map(name => {
      const info = configured?.find(c => c.name === name);
      const result = stored.find(c => c.name === name);
      const run = runs.get(name);
      const failed = run?.status === 'failed';
      return {
        name,
        ...(info?.title ? { title: info.title } : {}),
        ...(info ? { authProvider: info.authProvider } : {}),
        scannable: info ? info.scannable : true,
        ...(info?.reason ? { reason: info.reason } : {}),
        configured: configured ? info !== undefined : true,
        scannedAt: result?.scannedAt ?? null,
        stale: failed && result !== undefined,
        ...(run?.error ? { error: run.error } : {}),
        problems: run?.problems ?? [],
        lastRun: run
          ? {
              startedAt: run.startedAt,
              finishedAt: run.finishedAt,
              status: run.status === 'running' ? 'failed' : run.status,
            }
          : null,
        summary: result?.report.summary ?? null,
      } satisfies ClusterState;
    });
  }

  async clusterState(name: string): Promise<ClusterStateWithReport> {
    const state = (await this.clusterStates()).find(c => c.name === name);
    if (!state) throw new NotFoundError(`Cluster '${name}' is not known`);
    const stored = await this.deps.store.getCluster(name);
    const services = stored
      ? (await this.deps.store.listServices({ cluster: name })).map(
          s => s.report,
        )
      : [];
    return {
      ...state,
      report: stored ? { ...stored.report, services } : null,
    };
  }

  /** Analyses posted manifests over the cluster's latest stored snapshot. */
  async validate(request: ValidateRequest): Promise<ValidateResult> {
    const stored = await this.deps.store.getSnapshot(request.cluster);
    if (!stored) {
      throw new NotFoundError(
        `Cluster '${request.cluster}' is unknown or has never been scanned successfully; ` +
          'run POST /scan for it first',
      );
    }
    const parsed =
      typeof request.manifests === 'string'
        ? parseManifests(request.manifests, 'request')
        : { objects: request.manifests, problems: [], locations: undefined };
    const posted = snapshotFromObjects(request.cluster, parsed.objects, {
      locations: parsed.locations,
    });
    const merged = overlaySnapshot(stored, posted.snapshot);
    const report = analyzeCluster(merged, { detectors: this.deps.detectors() });
    const postedKeys = new Set(
      (posted.snapshot.services ?? []).map(
        s => `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name ?? ''}`,
      ),
    );
    return {
      cluster: request.cluster,
      snapshotAt: stored.collectedAt ?? '',
      services: report.services.filter(s =>
        postedKeys.has(`${s.namespace}/${s.name}`),
      ),
      findings: report.findings,
      problems: [...parsed.problems, ...posted.problems],
    };
  }
}
