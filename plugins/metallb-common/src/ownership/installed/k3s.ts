import type { ClusterSnapshot } from '../../model/snapshot';
import type { InstalledController } from '../types';
import { annotationsOf, at, nameOf, records, str } from '../read';
import { type WorkloadInfo, imageName } from './workloads';

/** The label k3s ServiceLB puts on every svclb DaemonSet. @internal */
export const SVCLB_NAME_LABEL = 'svccontroller.k3s.cattle.io/svcname';
/** @internal */
export const SVCLB_NAMESPACE_LABEL = 'svccontroller.k3s.cattle.io/svcnamespace';

/** A DaemonSet k3s ServiceLB made for one Service (old `svclb-<svc>` or new `svclb-<svc>-<uid8>`). @internal */
export function isSvclbDaemonSet(workload: WorkloadInfo): boolean {
  if (
    workload.kind !== 'DaemonSet' ||
    !(workload.name ?? '').startsWith('svclb-')
  )
    return false;
  return (
    SVCLB_NAME_LABEL in workload.labels ||
    workload.containers.some(c => imageName(c) === 'klipper-lb')
  );
}

function parseArgs(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed)
      ? parsed.filter((a): a is string => typeof a === 'string')
      : [];
  } catch {
    return [];
  }
}

/** Whether k3s server args turn ServiceLB off (`--disable servicelb`, `--disable=traefik,servicelb`, old `--no-deploy`). */
function disablesServiceLb(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    for (const flag of ['--disable', '--no-deploy']) {
      let value: string | undefined;
      if (arg === flag) value = args[i + 1];
      else if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
      if (value?.split(',').some(v => v.trim() === 'servicelb')) return true;
    }
  }
  return false;
}

/**
 * k3s ServiceLB: its svclb DaemonSets prove it is on. Without them, k3s nodes (providerID `k3s://`)
 * record their server arguments in annotation `k3s.io/node-args`, which says whether it was disabled.
 * @internal
 */
export function k3sInstalled(
  snapshot: ClusterSnapshot,
  workloads: readonly WorkloadInfo[],
): InstalledController[] {
  const svclb = workloads.filter(isSvclbDaemonSet);
  if (svclb.length > 0) {
    const more =
      svclb.length > 1
        ? ` (and ${svclb.length - 1} more svclb DaemonSets)`
        : '';
    return [
      {
        controller: 'k3s-servicelb',
        evidence: [`DaemonSet ${svclb[0].ref} exists${more}`],
        classes: [],
        takesClassless: true,
      },
    ];
  }
  const k3sNodes = records(snapshot.nodes).filter(n =>
    (str(at(n, 'spec', 'providerID')) ?? '').startsWith('k3s://'),
  );
  if (k3sNodes.length === 0) return [];
  const servers = k3sNodes
    .map(n => ({
      name: nameOf(n) ?? '?',
      args: parseArgs(annotationsOf(n)['k3s.io/node-args']),
    }))
    .filter(n => n.args[0] === 'server');
  const base = `Node ${nameOf(k3sNodes[0]) ?? '?'} has spec.providerID k3s://`;
  if (servers.length === 0) {
    return [
      {
        controller: 'k3s-servicelb',
        evidence: [
          `${base} (ServiceLB is on unless k3s runs with --disable=servicelb)`,
        ],
        classes: [],
        takesClassless: null,
      },
    ];
  }
  const enabled = servers.find(s => !disablesServiceLb(s.args));
  if (!enabled) return [];
  return [
    {
      controller: 'k3s-servicelb',
      evidence: [
        `${base}; annotation k3s.io/node-args of server ${enabled.name} does not disable servicelb`,
      ],
      classes: [],
      takesClassless: true,
    },
  ];
}

/**
 * The svclb DaemonSets k3s ServiceLB made for a Service: new `kube-system/svclb-<name[:48]>-<uid[:8]>`,
 * old `svclb-<name>` in the Service's namespace, or any DaemonSet labelled with its name and namespace.
 * @internal
 */
export function svclbDaemonSetsFor(
  service: { name?: string; namespace: string; uid?: string },
  workloads: readonly WorkloadInfo[],
): WorkloadInfo[] {
  const { name, namespace, uid } = service;
  if (!name) return [];
  return workloads.filter(w => {
    if (!isSvclbDaemonSet(w)) return false;
    const labelled = w.labels[SVCLB_NAME_LABEL];
    if (labelled !== undefined) {
      const labelledNs = w.labels[SVCLB_NAMESPACE_LABEL];
      return (
        labelled === name &&
        (labelledNs === undefined || labelledNs === namespace)
      );
    }
    if (w.namespace === namespace && w.name === `svclb-${name}`) return true;
    return (
      uid !== undefined &&
      w.namespace === 'kube-system' &&
      w.name === `svclb-${name.slice(0, 48)}-${uid.slice(0, 8)}`
    );
  });
}
