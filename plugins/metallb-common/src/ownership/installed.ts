import { type MetallbInstall, detectMetallbInstall } from '../metallb/install';
import type { ConfigMap, IPAddressPool, Workload } from '../model/kubernetes';
import type { ControllerId } from '../model/report';
import type { ClusterSnapshot } from '../model/snapshot';
import type { InstalledController } from './types';
import { at, isRecord, records, strings } from './read';
import { cloudInstalled } from './installed/cloud';
import { calicoInstalled, ciliumInstalled } from './installed/ipamPools';
import { k3sInstalled } from './installed/k3s';
import { controllersFromObjects, kubeVipConfigMap } from './installed/objects';
import { controllersFromWorkloads } from './installed/workloadControllers';
import { workloadsOf } from './installed/workloads';

/** A copy detectMetallbInstall can read without throwing: it trusts list items and argv types. */
function sanitizedForMetallb(snapshot: ClusterSnapshot): ClusterSnapshot {
  const list = <T>(value: unknown): T[] | undefined =>
    Array.isArray(value) ? (records(value) as unknown as T[]) : undefined;
  const deployments = list<Workload>(snapshot.deployments)?.map(workload => {
    const podSpec = at(workload, 'spec', 'template', 'spec');
    const containers = records(at(podSpec, 'containers')).map(c => ({
      ...c,
      image: typeof c.image === 'string' ? c.image : undefined,
      command: strings(c.command),
      args: strings(c.args),
    }));
    return {
      ...workload,
      spec: {
        ...(isRecord(workload.spec) ? workload.spec : {}),
        template: { spec: { containers } },
      },
    };
  });
  return {
    ...snapshot,
    deployments,
    ipAddressPools: list<IPAddressPool>(snapshot.ipAddressPools),
    configMaps: list<ConfigMap>(snapshot.configMaps),
  };
}

/** detectMetallbInstall on input that may be malformed. @internal */
export function safeMetallbInstall(snapshot: ClusterSnapshot): MetallbInstall {
  return detectMetallbInstall(sanitizedForMetallb(snapshot));
}

function metallbInstalled(snapshot: ClusterSnapshot): InstalledController[] {
  const install = safeMetallbInstall(snapshot);
  if (install.installed !== true) return [];
  // Without a controller Deployment (only pools or the legacy ConfigMap) its --lb-class is unknown.
  const known = install.controllers.length > 0;
  return [
    {
      controller: 'metallb',
      evidence: install.evidence,
      classes: install.lbClass ? [install.lbClass] : [],
      takesClassless: known ? install.lbClass === null : null,
    },
  ];
}

function byMetallbThenId(
  a: InstalledController,
  b: InstalledController,
): number {
  if (a.controller === 'metallb' || b.controller === 'metallb') {
    return a.controller === 'metallb' ? -1 : 1;
  }
  return a.controller.localeCompare(b.controller);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * One entry per controller. Entries that know the settings (a workload) decide the class filter;
 * entries that only prove presence (custom resources, providerIDs) add evidence. Two configured
 * instances (two kube-vip DaemonSets...) serve the union of what each serves.
 */
function merge(entries: readonly InstalledController[]): InstalledController {
  const configured = entries.filter(e => e.takesClassless !== null);
  const deciding = configured.length > 0 ? configured : entries;
  return {
    controller: entries[0].controller,
    evidence: unique(entries.flatMap(e => e.evidence)),
    classes: unique(deciding.flatMap(e => e.classes)),
    takesClassless:
      configured.length > 0
        ? configured.some(e => e.takesClassless === true)
        : null,
  };
}

/**
 * Which load-balancer controllers are installed, from their workloads, their custom resources,
 * their ConfigMaps and the Nodes' providerIDs; with the classes each serves and whether it takes
 * Services without a loadBalancerClass. MetalLB comes first, the others in id order.
 * @public
 */
export function detectInstalledControllers(
  snapshot: ClusterSnapshot,
): InstalledController[] {
  const workloads = workloadsOf(snapshot);
  const found = [
    ...metallbInstalled(snapshot),
    ...controllersFromWorkloads(workloads),
    ...controllersFromObjects(snapshot),
    ...kubeVipConfigMap(snapshot),
    ...ciliumInstalled(snapshot, workloads),
    ...calicoInstalled(snapshot, workloads),
    ...k3sInstalled(snapshot, workloads),
    ...cloudInstalled(snapshot, workloads),
  ];
  const byController = new Map<ControllerId, InstalledController[]>();
  for (const entry of found) {
    byController.set(entry.controller, [
      ...(byController.get(entry.controller) ?? []),
      entry,
    ]);
  }
  return [...byController.values()].map(merge).sort(byMetallbThenId);
}
