import { ResourceType } from './resources';
import { KubeObject } from './types';

/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), which kubectl asks
 * for on `get`. Without it kubectl falls back to NAME/AGE only.
 */

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const col = (
  name: string,
  type = 'string',
  format = '',
  priority = 0,
): Column => ({
  name,
  type,
  format,
  description: name,
  priority,
});

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 192)
    return h % 24 === 0
      ? `${Math.floor(h / 24)}d`
      : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const y = Math.floor(h / 24 / 365);
  if (h < 24 * 365 * 8) {
    const d = Math.floor(h / 24) % 365;
    return d === 0 ? `${y}y` : `${y}y${d}d`;
  }
  return `${y}y`;
}

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

type Printer = {
  columns: Column[];
  cells(o: KubeObject, age: (t?: string) => string): unknown[];
};

const servicePrinter: Printer = {
  columns: [
    col('Name', 'string', 'name'),
    col('Type'),
    col('Cluster-IP'),
    col('External-IP'),
    col('Port(s)'),
    col('Age'),
    col('Selector', 'string', '', 1),
  ],
  cells(o, age) {
    const spec = (o.spec ?? {}) as {
      type?: string;
      clusterIP?: string;
      externalIPs?: string[];
      ports?: Array<{ port: number; nodePort?: number; protocol?: string }>;
      selector?: Record<string, string>;
    };
    const status = o.status as
      | {
          loadBalancer?: {
            ingress?: Array<{ ip?: string; hostname?: string }>;
          };
        }
      | undefined;
    const lb = (status?.loadBalancer?.ingress ?? [])
      .map(i => i.ip ?? i.hostname)
      .filter(Boolean);
    const external = [...lb, ...(spec.externalIPs ?? [])];
    let ext = external.join(',');
    if (!ext) ext = spec.type === 'LoadBalancer' ? '<pending>' : '<none>';
    const ports = (spec.ports ?? [])
      .map(
        p =>
          `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${
            p.protocol ?? 'TCP'
          }`,
      )
      .join(',');
    const selector = Object.entries(spec.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return [
      o.metadata.name,
      spec.type ?? 'ClusterIP',
      spec.clusterIP ?? '<none>',
      ext,
      ports || '<none>',
      age(o.metadata.creationTimestamp),
      selector || '<none>',
    ];
  },
};

const eventPrinter: Printer = {
  columns: [
    col('Last Seen'),
    col('Type'),
    col('Reason'),
    col('Object'),
    col('Message'),
    col('Source', 'string', '', 1),
    col('Count', 'integer', '', 1),
    col('Name', 'string', 'name', 1),
  ],
  cells(o, age) {
    const e = o as KubeObject & {
      lastTimestamp?: string;
      type?: string;
      reason?: string;
      message?: string;
      count?: number;
      involvedObject?: { kind?: string; name?: string };
      source?: { component?: string };
    };
    return [
      age(e.lastTimestamp ?? e.metadata.creationTimestamp),
      e.type ?? '',
      e.reason ?? '',
      `${(e.involvedObject?.kind ?? '').toLowerCase()}/${
        e.involvedObject?.name ?? ''
      }`,
      e.message ?? '',
      e.source?.component ?? '',
      e.count ?? 1,
      e.metadata.name,
    ];
  },
};

const defaultPrinter: Printer = {
  columns: [col('Name', 'string', 'name'), col('Age')],
  cells: (o, age) => [o.metadata.name, age(o.metadata.creationTimestamp)],
};

export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  now: Date,
  listMeta: Record<string, unknown>,
): Record<string, unknown> {
  let printer = defaultPrinter;
  if (type.group === '' && type.plural === 'services') printer = servicePrinter;
  if (type.group === '' && type.plural === 'events') printer = eventPrinter;
  const age = (t?: string) =>
    t ? humanDuration(now.getTime() - Date.parse(t)) : '<unknown>';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: printer.columns,
    rows: objects.map(o => ({
      cells: printer.cells(o, age),
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: o.metadata,
      },
    })),
  };
}
