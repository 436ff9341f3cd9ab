import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
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
import type {
  MetallbStore,
  StoredCluster,
  StoredService,
} from '../database/MetallbStore';
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

/** How long the kubernetes plugin's cluster list is reused by the read routes. */
const CLUSTER_LIST_TTL_MS = 5_000;

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

  private configured?: {
    at: number;
    promise: Promise<KubernetesClusterInfo[] | undefined>;
  };

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
    // The common annotation maps by one label value, which the store indexes: read those rows
    // only. A label selector can match anything, so it is checked against every Service.
    const byId = mapping.annotations[KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION]
      ? undefined
      : mapping.annotations[KUBERNETES_ANNOTATION];
    const [candidates, states] = await Promise.all([
      this.deps.store.listServices(
        byId !== undefined ? { kubernetesId: byId } : {},
      ),
      this.clusterStates({ summaries: false }),
    ]);
    const services = servicesOfEntity(mapping, candidates);
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

  /**
   * The kubernetes plugin's cluster list, shared for a few seconds: every entity page asks for
   * cluster states, and the list only changes with configuration. Failures are not kept.
   */
  private configuredClusters(): Promise<KubernetesClusterInfo[] | undefined> {
    const now = Date.now();
    if (this.configured && now - this.configured.at < CLUSTER_LIST_TTL_MS) {
      return this.configured.promise;
    }
    const entry = {
      at: now,
      promise: this.deps.client.listClusters().catch(error => {
        // The stored state is still worth showing when the kubernetes plugin is down.
        this.deps.logger.warn(`Could not list clusters: ${error}`);
        if (this.configured === entry) this.configured = undefined;
        return undefined;
      }),
    };
    this.configured = entry;
    return entry.promise;
  }

  /**
   * Clusters the kubernetes plugin lists, merged with those that have stored results. Without
   * `summaries` the stored reports are not read (`summary` is null), for the entity route.
   */
  async clusterStates(
    options: { summaries?: boolean } = {},
  ): Promise<ClusterState[]> {
    const configured = await this.configuredClusters();
    // The scan times alone are enough without summaries: the reports are the heavy part.
    const storedClusters: Promise<
      Array<{
        name: string;
        scannedAt: string;
        report?: StoredCluster['report'];
      }>
    > =
      options.summaries === false
        ? this.deps.store.listScanTimes()
        : this.deps.store.listClusters();
    const [stored, runs] = await Promise.all([
      storedClusters,
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
        summary: result?.report?.summary ?? null,
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
