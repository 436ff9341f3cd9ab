import { parse as parseYaml } from 'yaml';
import type { SimulatedCluster } from '../cluster';
import { recordEvent } from '../events';
import { intToIp, ipToInt, IpRange, parseRange } from './ip';
import {
  ingressIps,
  listServices,
  ServiceObject,
  serviceType,
  stringParam,
} from './services';

/**
 * A faithful-enough MetalLB controller (see METALLB.md §5-7): for every class-less (or matching
 * `lbClass`) LoadBalancer Service it validates the status IP against the pools, clears foreign IPs
 * (ClearAssignment), allocates the first free pool IP (IPAllocated) or fails (AllocationFailed), and
 * writes status plus the pool annotation through the status subresource as manager `controller`.
 *
 * Parameters: `namespace` (default metallb-system), `lbClass`, `configMap: true` to read pools from
 * the legacy `config` ConfigMap (annotation prefix `metallb.universe.tf`), `annotationPrefix`.
 */
interface Pool {
  name: string;
  ranges: IpRange[];
  autoAssign: boolean;
}

const MANAGER = 'controller';
const COMPONENT = 'metallb-controller';

function poolsFromCrds(cluster: SimulatedCluster, namespace: string): Pool[] {
  const type = cluster.typeByPlural('metallb.io', 'ipaddresspools');
  if (!type) return [];
  return cluster.store.list(type, namespace).map(p => {
    const spec = (p.spec ?? {}) as {
      addresses?: string[];
      autoAssign?: boolean;
    };
    return {
      name: p.metadata.name,
      ranges: (spec.addresses ?? [])
        .map(parseRange)
        .filter((r): r is IpRange => !!r),
      autoAssign: spec.autoAssign !== false,
    };
  });
}

function poolsFromConfigMap(
  cluster: SimulatedCluster,
  namespace: string,
): Pool[] {
  const cm = cluster.store.get(
    cluster.typeByPlural('', 'configmaps')!,
    namespace,
    'config',
  );
  const text = (cm?.data as Record<string, string> | undefined)?.config;
  if (!text) return [];
  const doc = parseYaml(text) as {
    'address-pools'?: Array<{
      name: string;
      addresses?: string[];
      'auto-assign'?: boolean;
    }>;
  };
  return (doc['address-pools'] ?? []).map(p => ({
    name: p.name,
    ranges: (p.addresses ?? [])
      .map(parseRange)
      .filter((r): r is IpRange => !!r),
    autoAssign: p['auto-assign'] !== false,
  }));
}

const keyOf = (svc: ServiceObject) =>
  `${svc.metadata.namespace}/${svc.metadata.name}`;
const quoteIps = (ips: string[]) => `[${ips.map(ip => `"${ip}"`).join(' ')}]`;

export const metallbController = (params: Record<string, unknown>) => {
  const namespace = stringParam(params, 'namespace', 'metallb-system');
  const legacy = params.configMap === true;
  const prefix = stringParam(
    params,
    'annotationPrefix',
    legacy ? 'metallb.universe.tf' : 'metallb.io',
  );
  const lbClass =
    typeof params.lbClass === 'string' ? params.lbClass : undefined;
  const poolAnnotation = `${prefix}/ip-allocated-from-pool`;
  const sharingAnnotation = `${prefix}/allow-shared-ip`;

  return (cluster: SimulatedCluster) => {
    const pools = legacy
      ? poolsFromConfigMap(cluster, namespace)
      : poolsFromCrds(cluster, namespace);
    const poolOf = (ip: string) => {
      const n = ipToInt(ip);
      return n === undefined
        ? undefined
        : pools.find(p => p.ranges.some(r => n >= r.start && n <= r.end));
    };
    const handles = (svc: ServiceObject) =>
      svc.spec.type === 'LoadBalancer' &&
      (svc.spec.loadBalancerClass ?? undefined) === lbClass;

    // IP → Services holding it, as the allocator remembers its own assignments.
    const inUse = new Map<string, ServiceObject[]>();
    for (const svc of listServices(cluster).filter(handles)) {
      for (const ip of ingressIps(svc)) {
        if (!poolOf(ip)) continue;
        inUse.set(ip, [...(inUse.get(ip) ?? []), svc]);
      }
    }

    /** Why `svc` may not hold `ip`, in MetalLB's wording; undefined if it may. */
    const check = (svc: ServiceObject, ip: string): string | undefined => {
      if (!poolOf(ip)) return `${quoteIps([ip])} is not allowed in config`;
      const others = (inUse.get(ip) ?? []).filter(o => keyOf(o) !== keyOf(svc));
      if (others.length === 0) return undefined;
      const myKey = svc.metadata.annotations?.[sharingAnnotation];
      for (const o of others) {
        const theirKey = o.metadata.annotations?.[sharingAnnotation];
        if (!myKey || myKey !== theirKey) {
          return `can't change sharing key for "${keyOf(
            svc,
          )}", address also in use by ${others.map(keyOf).join(',')}`;
        }
        for (const p of svc.spec.ports ?? []) {
          const proto = p.protocol ?? 'TCP';
          if (
            (o.spec.ports ?? []).some(
              q => q.port === p.port && (q.protocol ?? 'TCP') === proto,
            )
          ) {
            return `port ${proto}/${p.port} is already in use on "${ip}"`;
          }
        }
      }
      return undefined;
    };

    const firstFree = (
      svc: ServiceObject,
    ): { ip: string; pool: Pool } | undefined => {
      for (const pool of pools.filter(p => p.autoAssign)) {
        for (const r of pool.ranges) {
          for (let n = r.start; n <= r.end; n++) {
            const ip = intToIp(n);
            if (!inUse.has(ip) || check(svc, ip) === undefined)
              return { ip, pool };
          }
        }
      }
      return undefined;
    };

    for (const svc of listServices(cluster).filter(handles)) {
      const key = keyOf(svc);
      const event = (
        type: 'Normal' | 'Warning',
        reason: string,
        message: string,
      ) =>
        recordEvent(cluster.store, {
          involved: svc,
          type,
          reason,
          message,
          component: COMPONENT,
          manager: MANAGER,
        });
      const requested =
        svc.spec.loadBalancerIP ||
        svc.metadata.annotations?.[`${prefix}/loadBalancerIPs`] ||
        undefined;
      let ip: string | undefined = ingressIps(svc)[0];
      if (ip && requested && requested !== ip) {
        ip = undefined; // requested IPs differ from current: cleared first, then the request is tried
      } else if (ip) {
        const err = check(svc, ip);
        if (err) {
          event(
            'Normal',
            'ClearAssignment',
            `current IP for "${key}" not allowed by config, will attempt for new IP assignment: ${err}`,
          );
          ip = undefined;
        }
      }
      let pool = ip ? poolOf(ip) : undefined;
      if (!ip) {
        if (requested) {
          const err = check(svc, requested);
          if (err) {
            event(
              'Warning',
              'AllocationFailed',
              `Failed to allocate IP for "${key}": ${err}`,
            );
          } else {
            ip = requested;
            pool = poolOf(requested);
          }
        } else {
          const free = firstFree(svc);
          if (!free) {
            event(
              'Warning',
              'AllocationFailed',
              `Failed to allocate IP for "${key}": no available IPs`,
            );
          } else {
            ip = free.ip;
            pool = free.pool;
          }
        }
        if (ip) {
          inUse.set(ip, [...(inUse.get(ip) ?? []), svc]);
          event('Normal', 'IPAllocated', `Assigned IP ${quoteIps([ip])}`);
        }
      }
      const next = structuredClone(svc);
      next.status = {
        ...next.status,
        loadBalancer: ip ? { ingress: [{ ip, ipMode: 'VIP' }] } : {},
      };
      const annotations = { ...next.metadata.annotations };
      if (ip && pool) annotations[poolAnnotation] = pool.name;
      else delete annotations[poolAnnotation];
      next.metadata.annotations = annotations;
      if (Object.keys(annotations).length === 0)
        delete next.metadata.annotations;
      cluster.store.write(serviceType(cluster), next, {
        manager: MANAGER,
        subresource: 'status',
      });
    }
  };
};
