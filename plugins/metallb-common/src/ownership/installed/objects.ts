import type { ControllerId } from '../../model/report';
import type { ClusterSnapshot } from '../../model/snapshot';
import type { InstalledController } from '../types';
import {
  apiGroupOf,
  kindOf,
  nameOf,
  namespaceOf,
  records,
  refOf,
  stringMap,
} from '../read';
import {
  AWS_LBC_CLASS,
  CHISEL_CLASS,
  KUBE_VIP_CLASS,
  LOXILB_CLASS,
  PURELB_CLASSES,
  TAILSCALE_CLASS,
} from './workloadControllers';

/*
 * A controller's own custom resources prove it is (or was) installed but say nothing about its class
 * filter, except for the controllers that never take class-less Services.
 */

interface ObjectRule {
  controller: ControllerId;
  group: string;
  kinds: string[];
  classes: string[];
  takesClassless: boolean | null;
}

const RULES: ObjectRule[] = [
  {
    controller: 'chisel-operator',
    group: 'chisel-operator.io',
    kinds: ['ExitNode', 'ExitNodeProvisioner'],
    classes: [CHISEL_CLASS],
    takesClassless: null,
  },
  {
    controller: 'inlets',
    group: 'operator.inlets.dev',
    kinds: ['Tunnel'],
    classes: [],
    takesClassless: null,
  },
  {
    controller: 'purelb',
    group: 'purelb.io',
    kinds: ['ServiceGroup', 'LBNodeAgent'],
    classes: [...PURELB_CLASSES],
    takesClassless: null,
  },
  // OpenELB and kube-loxilb never take a class-less Service by default (opt-in annotations only).
  {
    controller: 'openelb',
    group: 'network.kubesphere.io',
    kinds: ['Eip'],
    classes: [],
    takesClassless: false,
  },
  {
    controller: 'loxilb',
    group: 'loxiurl.loxilb.io',
    kinds: ['LoxiURL'],
    classes: [LOXILB_CLASS],
    takesClassless: false,
  },
  {
    controller: 'loxilb',
    group: 'bgppeer.loxilb.io',
    kinds: ['BGPPeerService'],
    classes: [LOXILB_CLASS],
    takesClassless: false,
  },
  {
    controller: 'tailscale',
    group: 'tailscale.com',
    kinds: ['ProxyClass', 'ProxyGroup', 'Connector'],
    classes: [TAILSCALE_CLASS],
    takesClassless: null,
  },
  {
    controller: 'aws-lbc',
    group: 'elbv2.k8s.aws',
    kinds: ['TargetGroupBinding', 'IngressClassParams'],
    classes: [AWS_LBC_CLASS],
    takesClassless: false,
  },
];

/** Controllers shown by their custom resources in `otherObjects`. @internal */
export function controllersFromObjects(
  snapshot: ClusterSnapshot,
): InstalledController[] {
  const out: InstalledController[] = [];
  const objects = records(snapshot.otherObjects);
  for (const rule of RULES) {
    const found = objects.filter(
      o => apiGroupOf(o) === rule.group && rule.kinds.includes(kindOf(o) ?? ''),
    );
    if (found.length === 0) continue;
    const first = found[0];
    const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
    out.push({
      controller: rule.controller,
      evidence: [`${kindOf(first)} ${refOf(first)} exists${more}`],
      classes: [...rule.classes],
      takesClassless: rule.takesClassless,
    });
  }
  return out;
}

/** kube-vip-cloud-provider keeps its address pools in ConfigMap kube-system/kubevip. @internal */
export function kubeVipConfigMap(
  snapshot: ClusterSnapshot,
): InstalledController[] {
  const cm = records(snapshot.configMaps).find(
    c => nameOf(c) === 'kubevip' && namespaceOf(c) === 'kube-system',
  );
  if (!cm) return [];
  const keys = Object.keys(stringMap(cm.data)).filter(k =>
    /^(cidr|range)-/.test(k),
  );
  const detail = keys.length > 0 ? ` with pools ${keys.join(', ')}` : '';
  return [
    {
      controller: 'kube-vip-cloud-provider',
      evidence: [`ConfigMap kube-system/kubevip exists${detail}`],
      classes: [KUBE_VIP_CLASS],
      takesClassless: null,
    },
  ];
}
