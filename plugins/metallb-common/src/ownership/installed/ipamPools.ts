import type { ClusterSnapshot } from '../../model/snapshot';
import type { InstalledController } from '../types';
import {
  apiGroupOf,
  at,
  isFalsy,
  isTruthy,
  kindOf,
  nameOf,
  records,
  refOf,
  str,
  stringMap,
  strings,
} from '../read';
import { type WorkloadInfo, flagValue, imageName } from './workloads';

/*
 * Cilium LB-IPAM and Calico LB IPAM are dormant until a pool for LoadBalancer addresses exists, so
 * their workloads alone do not make them take Services; the pool alone does not tell their settings.
 */

/** @internal */
export const CILIUM_CLASSES = [
  'io.cilium/bgp-control-plane',
  'io.cilium/l2-announcer',
  'io.cilium/node',
];
/** @internal */
export const CALICO_CLASS = 'calico';

function combine(
  controller: 'cilium' | 'calico',
  pools: string[],
  config:
    | { evidence: string[]; classes: string[]; takesClassless: boolean | null }
    | undefined,
  workload: string | undefined,
  defaultClasses: string[],
  poolKind: string,
): InstalledController[] {
  if (pools.length === 0 && !workload) return [];
  const evidence = [
    ...(workload ? [workload] : []),
    ...pools,
    ...(config?.evidence ?? []),
  ];
  if (pools.length === 0) {
    evidence.push(
      `no ${poolKind} in the snapshot: address assignment is dormant until one exists`,
    );
    return [
      {
        controller,
        evidence,
        classes: config?.classes ?? defaultClasses,
        takesClassless: null,
      },
    ];
  }
  return [
    {
      controller,
      evidence,
      classes: config?.classes ?? defaultClasses,
      takesClassless: config ? config.takesClassless : null,
    },
  ];
}

function poolEvidence(
  pools: Array<Record<string, unknown>>,
  what: string,
): string[] {
  if (pools.length === 0) return [];
  const more = pools.length > 1 ? ` (and ${pools.length - 1} more)` : '';
  return [`${kindOf(pools[0])} ${refOf(pools[0])} exists${what}${more}`];
}

function ciliumConfig(
  snapshot: ClusterSnapshot,
  operator: WorkloadInfo | undefined,
) {
  const cm = records(snapshot.configMaps).find(
    c => nameOf(c) === 'cilium-config',
  );
  const data = cm ? stringMap(cm.data) : {};
  const argv = operator?.containers.flatMap(c => c.argv) ?? [];
  const read = (key: string): string | undefined =>
    flagValue(argv, key) ?? data[key];
  const keys = [
    'enable-lb-ipam',
    'default-lb-service-ipam',
    'lbipam-require-lb-class',
    'enable-bgp-control-plane',
    'enable-l2-announcements',
    'enable-node-ipam',
  ];
  const seen = keys.filter(k => read(k) !== undefined);
  if (seen.length === 0) return undefined;
  const evidence = [
    `${cm ? `ConfigMap ${refOf(cm)}` : 'cilium-operator flags'}: ${seen
      .map(k => `${k}=${read(k)}`)
      .join(', ')}`,
  ];
  if (isFalsy(read('enable-lb-ipam')))
    return { evidence, classes: [], takesClassless: false };
  const defaultIpam = read('default-lb-service-ipam');
  const takesClassless =
    defaultIpam !== undefined
      ? defaultIpam === 'lbipam'
      : !isTruthy(read('lbipam-require-lb-class'));
  const classes: string[] = [];
  if (isTruthy(read('enable-bgp-control-plane')))
    classes.push(CILIUM_CLASSES[0]);
  if (isTruthy(read('enable-l2-announcements')))
    classes.push(CILIUM_CLASSES[1]);
  if (isTruthy(read('enable-node-ipam'))) classes.push(CILIUM_CLASSES[2]);
  return { evidence, classes, takesClassless };
}

/** @internal */
export function ciliumInstalled(
  snapshot: ClusterSnapshot,
  workloads: readonly WorkloadInfo[],
): InstalledController[] {
  const pools = records(snapshot.otherObjects).filter(
    o =>
      kindOf(o) === 'CiliumLoadBalancerIPPool' && apiGroupOf(o) === 'cilium.io',
  );
  const operator = workloads.find(w =>
    w.containers.some(c => c.path.includes('cilium/operator')),
  );
  const image = operator?.containers.find(c =>
    c.path.includes('cilium/operator'),
  )?.image;
  return combine(
    'cilium',
    poolEvidence(pools, ''),
    ciliumConfig(snapshot, operator),
    operator ? `${operator.kind} ${operator.ref} runs ${image}` : undefined,
    [...CILIUM_CLASSES],
    'CiliumLoadBalancerIPPool',
  );
}

function calicoConfig(snapshot: ClusterSnapshot) {
  const config = records(snapshot.otherObjects).find(
    o =>
      kindOf(o) === 'KubeControllersConfiguration' &&
      apiGroupOf(o).endsWith('projectcalico.org'),
  );
  if (!config) return undefined;
  const assignIPs = str(
    at(config, 'spec', 'controllers', 'loadBalancer', 'assignIPs'),
  );
  // AllServices is the default the API fills in when the field is missing.
  const takesClassless = assignIPs !== 'RequestedServicesOnly';
  return {
    evidence: [
      `KubeControllersConfiguration ${refOf(config)}: loadBalancer.assignIPs=${
        assignIPs ?? 'AllServices (default)'
      }`,
    ],
    classes: [CALICO_CLASS],
    takesClassless,
  };
}

/** @internal */
export function calicoInstalled(
  snapshot: ClusterSnapshot,
  workloads: readonly WorkloadInfo[],
): InstalledController[] {
  const pools = records(snapshot.otherObjects).filter(
    o =>
      kindOf(o) === 'IPPool' &&
      apiGroupOf(o).endsWith('projectcalico.org') &&
      strings(at(o, 'spec', 'allowedUses')).includes('LoadBalancer'),
  );
  const kubeControllers = workloads.find(w =>
    w.containers.some(
      c => imageName(c) === 'kube-controllers' && c.path.includes('calico'),
    ),
  );
  const image = kubeControllers?.containers.find(
    c => imageName(c) === 'kube-controllers',
  )?.image;
  const config =
    calicoConfig(snapshot) ??
    (pools.length > 0
      ? { evidence: [], classes: [CALICO_CLASS], takesClassless: true }
      : undefined);
  return combine(
    'calico',
    poolEvidence(pools, ' with allowedUses LoadBalancer'),
    config,
    kubeControllers
      ? `${kubeControllers.kind} ${kubeControllers.ref} runs ${image}`
      : undefined,
    [CALICO_CLASS],
    'Calico IPPool with allowedUses LoadBalancer',
  );
}
