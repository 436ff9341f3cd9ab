import type { ServiceReport } from '../model/report';
import { compareFindings } from './catalog';
import { finding } from './context';

/**
 * ip-in-use across controllers: MetalLB does not count the IPs of Services it ignores, so it may
 * hand an address another controller already announces for another Service (a kube-vip or
 * ServiceLB range overlapping a MetalLB pool). Both Services then answer for the same IP.
 */
export function addCrossControllerIpConflicts(services: ServiceReport[]): void {
  const holders = new Map<string, ServiceReport[]>();
  for (const service of services) {
    const ips = service.metallb.handled ? service.metallb.ips : service.ingress;
    for (const ip of new Set(ips)) {
      const list = holders.get(ip);
      if (list) list.push(service);
      else holders.set(ip, [service]);
    }
  }
  for (const [ip, list] of holders) {
    // A conflict needs two Services on the IP.
    if (list.length < 2) continue;
    const handled = list.filter(s => s.metallb.handled);
    const foreign = list.filter(s => !s.metallb.handled);
    if (handled.length === 0 || foreign.length === 0) continue;
    const names = (l: ServiceReport[]) =>
      l.map(s => `${s.namespace}/${s.name}`).join(', ');
    for (const service of list) {
      const others = list.filter(s => s !== service);
      const f = finding(
        'ip-in-use',
        'error',
        `${ip} is used by ${service.namespace}/${service.name} and by ${names(
          others,
        )}, served by different controllers (MetalLB does not see the IPs of Services it ignores). Both announce the same address; give the other controller a range outside MetalLB's pools.`,
        [
          ...handled.map(
            s => `MetalLB gives ${ip} to ${s.namespace}/${s.name}`,
          ),
          ...foreign.map(
            s =>
              `${s.namespace}/${s.name} holds ${ip} (served by ${
                s.owners.map(o => o.controller).join(', ') ||
                'another controller'
              })`,
          ),
        ],
      );
      service.findings = [...service.findings, f].sort(compareFindings);
      service.status = 'error';
    }
  }
}
