import type { SimulatedCluster } from '../cluster';
import { getService, serviceType, stringListParam } from './services';

/**
 * kube-vip's data plane rewrites the status of the Services it serves as `[{ip, ports}]`
 * (manager `kube-vip`, status subresource). Next to MetalLB this makes MetalLB rewrite the status
 * again (metallb/metallb#2177). Parameter: `services` (list of `ns/name`).
 */
export const kubeVip =
  (params: Record<string, unknown>) => (cluster: SimulatedCluster) => {
    for (const ref of stringListParam(params, 'services')) {
      const svc = getService(cluster, ref);
      const ingress = svc?.status?.loadBalancer?.ingress;
      if (!svc || !ingress || ingress.length === 0) continue;
      const ports = (svc.spec.ports ?? []).map(p => ({
        port: p.port,
        protocol: p.protocol ?? 'TCP',
      }));
      svc.status = {
        ...svc.status,
        loadBalancer: { ingress: ingress.map(i => ({ ...i, ports })) },
      };
      cluster.store.write(serviceType(cluster), svc, {
        manager: 'kube-vip',
        subresource: 'status',
      });
    }
  };
