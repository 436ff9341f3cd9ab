import type { ClusterReport, Finding } from '../model/report';
import { compareFindings } from './catalog';
import { finding } from './context';

/**
 * cross-cluster-ip: the same IP held by LoadBalancer Services of two clusters. The finding is
 * added to each Service involved (so its status shows it) and listed once at fleet level.
 */
export function crossClusterFindings(clusters: ClusterReport[]): Finding[] {
  const holders = new Map<
    string,
    Array<{ cluster: ClusterReport; index: number }>
  >();
  // One cluster cannot hold an IP in two clusters: no need to index its Services.
  if (clusters.length > 1) {
    clusters.forEach(cluster =>
      cluster.services.forEach((service, index) => {
        const ips = new Set([...service.ingress, ...service.metallb.ips]);
        for (const ip of ips) {
          const list = holders.get(ip);
          if (list) list.push({ cluster, index });
          else holders.set(ip, [{ cluster, index }]);
        }
      }),
    );
  }
  const fleet: Finding[] = [];
  for (const [ip, list] of holders) {
    const clusterNames = new Set(list.map(h => h.cluster.name));
    if (clusterNames.size < 2) continue;
    const where = list.map(
      h =>
        `${h.cluster.name}:${h.cluster.services[h.index].namespace}/${
          h.cluster.services[h.index].name
        }`,
    );
    const message = `${ip} is held in ${
      clusterNames.size
    } clusters (${where.join(
      ', ',
    )}). If the clusters share a network, traffic for it reaches either one; give each cluster its own range.`;
    const f = finding(
      'cross-cluster-ip',
      'warning',
      message,
      where.map(w => `${w} holds ${ip}`),
    );
    fleet.push(f);
    for (const h of list) {
      const service = h.cluster.services[h.index];
      service.findings = [...service.findings, f].sort(compareFindings);
      if (service.status === 'ok' || service.status === 'info')
        service.status = 'warning';
      h.cluster.summary.byRule['cross-cluster-ip'] =
        (h.cluster.summary.byRule['cross-cluster-ip'] ?? 0) + 1;
    }
  }
  for (const cluster of clusters) {
    const s = cluster.summary;
    s.ok = s.info = s.warning = s.error = 0;
    for (const service of cluster.services) s[service.status]++;
  }
  return fleet;
}
