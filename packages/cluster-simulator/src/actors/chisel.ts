import type { SimulatedCluster } from '../cluster';
import {
  getService,
  serviceType,
  splitRef,
  stringListParam,
  stringParam,
} from './services';

/**
 * The Chisel operator exposes a Service through an exit node: it merge-patches the node's public IP
 * into `status.loadBalancer.ingress` (field manager `chisel-operator`, status subresource). It emits
 * no Events. Parameters: `services` (list of `ns/name`) or `service`, and `exitNode` (`ns/name` of an
 * ExitNode whose `spec.externalHost` or `spec.host` is used) or a literal `ip`.
 */
function exitIp(
  cluster: SimulatedCluster,
  params: Record<string, unknown>,
): string | undefined {
  if (typeof params.ip === 'string') return params.ip;
  const ref = stringParam(params, 'exitNode');
  const type = cluster.typeByPlural('chisel-operator.io', 'exitnodes');
  if (!type) return undefined;
  const { namespace, name } = splitRef(ref);
  const node = cluster.store.get(type, namespace, name);
  const spec = (node?.spec ?? {}) as { externalHost?: string; host?: string };
  return spec.externalHost ?? spec.host;
}

function targets(params: Record<string, unknown>): string[] {
  const list = stringListParam(params, 'services');
  return list.length > 0 ? list : [stringParam(params, 'service')];
}

export const chiselStatusWriter = (params: Record<string, unknown>) => {
  targets(params);
  return (cluster: SimulatedCluster) => {
    const ip = exitIp(cluster, params);
    if (!ip) return;
    for (const ref of targets(params)) {
      const svc = getService(cluster, ref);
      if (!svc) continue;
      svc.status = { ...svc.status, loadBalancer: { ingress: [{ ip }] } };
      cluster.store.write(serviceType(cluster), svc, {
        manager: 'chisel-operator',
        subresource: 'status',
      });
    }
  };
};

/** The variant from the original issue report: the exit IP written into `spec.loadBalancerIP`. */
export const chiselSpecWriter = (params: Record<string, unknown>) => {
  targets(params);
  return (cluster: SimulatedCluster) => {
    const ip = exitIp(cluster, params);
    if (!ip) return;
    for (const ref of targets(params)) {
      const svc = getService(cluster, ref);
      if (!svc) continue;
      svc.spec = { ...svc.spec, loadBalancerIP: ip };
      cluster.store.write(serviceType(cluster), svc, {
        manager: 'chisel-operator',
      });
    }
  };
};
