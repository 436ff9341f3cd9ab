import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  REPORT_FILTER_KEYS,
  type ClusterInfo,
  type EntityReport,
  type ExportFormat,
  type FleetReportResponse,
  type FreeIps,
  type FreeIpsQuery,
  type HistoryPoint,
  type HistoryQuery,
  type MetallbApi,
  type ReportFilters,
  type ReportQuery,
  type ScanRun,
} from './types';
import {
  normalizeClusters,
  normalizeEntityReport,
  normalizeHistory,
  normalizeReport,
  normalizeScan,
} from './normalize';

type QueryValue = string | number | undefined;

/** Drops empty values so URLs stay short and shareable (no `cluster=&rule=`). */
function toQueryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function filterParams(filters: ReportFilters = {}): Record<string, QueryValue> {
  const params: Record<string, QueryValue> = {};
  for (const key of REPORT_FILTER_KEYS) {
    params[key] = filters[key];
  }
  return params;
}

/**
 * HTTP client of the LB Doctor backend (plugin id `metallb`). Every request goes through
 * `fetchApi`, which attaches the user's Backstage token.
 * @public
 */
export class MetallbClient implements MetallbApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntityReport(entity: {
    namespace: string;
    kind: string;
    name: string;
  }): Promise<EntityReport> {
    const path = [entity.namespace, entity.kind, entity.name]
      .map(encodeURIComponent)
      .join('/');
    return normalizeEntityReport(
      await this.getJson<Parameters<typeof normalizeEntityReport>[0]>(
        `/entity/${path}`,
      ),
    );
  }

  async getReport(query: ReportQuery = {}): Promise<FleetReportResponse> {
    return normalizeReport(
      await this.getJson<Parameters<typeof normalizeReport>[0]>(
        `/report${toQueryString({
          ...filterParams(query),
          offset: query.offset,
          limit: query.limit,
        })}`,
      ),
    );
  }

  async getExportUrl(
    format: ExportFormat,
    filters: ReportFilters = {},
  ): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl('metallb');
    return `${baseUrl}/report/export${toQueryString({
      format,
      ...filterParams(filters),
    })}`;
  }

  async exportReport(
    format: ExportFormat,
    filters: ReportFilters = {},
  ): Promise<Blob> {
    const response = await this.fetchApi.fetch(
      await this.getExportUrl(format, filters),
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.blob();
  }

  async getClusters(): Promise<{ items: ClusterInfo[] }> {
    return normalizeClusters(
      await this.getJson<Parameters<typeof normalizeClusters>[0]>('/clusters'),
    );
  }

  async getHistory(
    query: HistoryQuery = {},
  ): Promise<{ points: HistoryPoint[] }> {
    return normalizeHistory(
      await this.getJson<Parameters<typeof normalizeHistory>[0]>(
        `/history${toQueryString({ ...query })}`,
      ),
    );
  }

  async scan(options: { cluster?: string } = {}): Promise<{ runs: ScanRun[] }> {
    return normalizeScan(
      await this.request<Parameters<typeof normalizeScan>[0]>('/scan', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(
          options.cluster ? { cluster: options.cluster } : {},
        ),
      }),
    );
  }

  async getFreeIps(query: FreeIpsQuery): Promise<FreeIps> {
    const { cluster, pool, ...params } = query;
    const raw = await this.getJson<FreeIps & { snapshotAt?: string | null }>(
      `/clusters/${encodeURIComponent(cluster)}/pools/${encodeURIComponent(
        pool,
      )}/free-ips${toQueryString(params)}`,
    );
    return {
      cluster: raw.cluster ?? cluster,
      pool: raw.pool ?? pool,
      namespace: raw.namespace ?? query.namespace ?? 'default',
      ips: raw.ips ?? [],
      ...(raw.reason ? { reason: raw.reason } : {}),
      ...(raw.snapshotAt ? { snapshotAt: raw.snapshotAt } : {}),
    };
  }

  private getJson<T>(path: string): Promise<T> {
    return this.request<T>(path);
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('metallb');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
