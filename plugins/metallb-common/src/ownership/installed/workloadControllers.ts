import type { ControllerId } from '../../model/report';
import type { InstalledController } from '../types';
import { isFalsy, isTruthy } from '../read';
import {
  type ContainerInfo,
  type WorkloadInfo,
  flagValue,
  imageName,
  imageVersion,
  olderThan,
} from './workloads';

/*
 * Controllers recognised from one container of their own Deployment/DaemonSet, with the class filter
 * read from its env and flags. The defaults and rules come from LB-CONTROLLERS.md section 2 and 3.
 */

/** @internal */
export const CHISEL_CLASS = 'chisel-operator.io/chisel-operator-class';
/** @internal */
export const KUBE_VIP_CLASS = 'kube-vip.io/kube-vip-class';
/** @internal */
export const TAILSCALE_CLASS = 'tailscale';
/** @internal */
export const LOXILB_CLASS = 'loxilb.io/loxilb';
/** @internal */
export const AWS_LBC_CLASS = 'service.k8s.aws/nlb';
/** @internal */
export const PURELB_CLASSES = ['purelb.io/purelbv2', 'purelb.io/purelb'];

interface Settings {
  classes: string[];
  takesClassless: boolean | null;
  notes: string[];
}

interface WorkloadRule {
  controller: ControllerId;
  matches(container: ContainerInfo): boolean;
  /** `undefined` when the container runs the controller with its LoadBalancer handling switched off. */
  settings(container: ContainerInfo): Settings | undefined;
}

/** Reads a setting that may come from an env var or a flag; env wins, as in the controllers' own code. */
function setting(
  container: ContainerInfo,
  env: string,
  flag?: string,
): string | undefined {
  if (env in container.env) return container.env[env];
  return flag ? flagValue(container.argv, flag) : undefined;
}

function quote(name: string, value: string | undefined): string {
  return value === undefined ? `${name} unset` : `${name}="${value}"`;
}

const chisel: WorkloadRule = {
  controller: 'chisel-operator',
  matches: c => imageName(c) === 'chisel-operator',
  settings: c => {
    const lbClass = c.env.LOAD_BALANCER_CLASS;
    const notes = [`env ${quote('LOAD_BALANCER_CLASS', lbClass)}`];
    if (olderThan(imageVersion(c.image), 0, 6)) {
      notes.push(
        'versions before 0.6.0 take every LoadBalancer Service (no class filter)',
      );
    }
    if (lbClass) return { classes: [lbClass], takesClassless: false, notes };
    return { classes: [CHISEL_CLASS], takesClassless: true, notes };
  },
};

const kubeVip: WorkloadRule = {
  controller: 'kube-vip',
  matches: c => /^kube-vip(-iptables)?$/.test(imageName(c)),
  settings: c => {
    const enabled = setting(c, 'svc_enable', 'services');
    if (!isTruthy(enabled)) return undefined;
    const classOnly = isTruthy(setting(c, 'lb_class_only', 'lbClassOnly'));
    const configuredName = setting(c, 'lb_class_name', 'lbClassName');
    const name = configuredName ?? KUBE_VIP_CLASS;
    const legacy = !isFalsy(
      setting(c, 'lb_class_legacy_handling', 'lbClassNameLegacyHandling'),
    );
    const notes = [
      'env svc_enable="true"',
      `lb_class_only=${classOnly}`,
      `lb_class_name="${name}"${
        configuredName === undefined ? ' (default)' : ''
      }`,
      `lb_class_legacy_handling=${legacy}`,
    ];
    const classes = name ? [name] : [];
    // Legacy handling takes class-less Services unless lb_class_only; the new handling ignores them
    // whenever a class name is configured (and one is by default).
    const takesClassless = legacy ? !classOnly : name === '';
    return { classes, takesClassless, notes };
  },
};

const kubeVipCloudProvider: WorkloadRule = {
  controller: 'kube-vip-cloud-provider',
  matches: c => imageName(c) === 'kube-vip-cloud-provider',
  settings: c => {
    const classMode = isTruthy(c.env.KUBEVIP_ENABLE_LOADBALANCERCLASS);
    if (!classMode) {
      return {
        classes: [],
        takesClassless: true,
        notes: ['KUBEVIP_ENABLE_LOADBALANCERCLASS is not "true"'],
      };
    }
    const name = c.env.KUBEVIP_CUSTOM_LOADBALANCERCLASS_NAME || KUBE_VIP_CLASS;
    return {
      classes: [name],
      takesClassless: false,
      notes: ['env KUBEVIP_ENABLE_LOADBALANCERCLASS="true"', `class "${name}"`],
    };
  },
};

const tailscale: WorkloadRule = {
  controller: 'tailscale',
  matches: c => imageName(c) === 'k8s-operator' && c.path.includes('tailscale'),
  settings: c => {
    const value = c.env.OPERATOR_DEFAULT_LOAD_BALANCER;
    return {
      classes: [TAILSCALE_CLASS],
      takesClassless: isTruthy(value),
      notes: [`env ${quote('OPERATOR_DEFAULT_LOAD_BALANCER', value)}`],
    };
  },
};

const inlets: WorkloadRule = {
  controller: 'inlets',
  matches: c => imageName(c) === 'inlets-operator',
  settings: c => {
    const annotatedOnly = isTruthy(flagValue(c.argv, 'annotated-only'));
    return {
      // inlets-operator has no class filter: it takes Services of any class (see its detector).
      classes: [],
      takesClassless: !annotatedOnly,
      notes: [
        annotatedOnly ? 'flag -annotated-only' : 'no -annotated-only flag',
      ],
    };
  },
};

const loxilb: WorkloadRule = {
  controller: 'loxilb',
  matches: c => imageName(c) === 'kube-loxilb',
  settings: c => {
    const configured = flagValue(c.argv, 'loxilbLoadBalancerClass');
    const name =
      configured && configured !== 'true' ? configured : LOXILB_CLASS;
    return {
      classes: [name],
      takesClassless: false,
      notes: [`class "${name}"`],
    };
  },
};

const awsLbc: WorkloadRule = {
  controller: 'aws-lbc',
  matches: c => imageName(c) === 'aws-load-balancer-controller',
  settings: c => {
    const configured = flagValue(c.argv, 'load-balancer-class');
    const name =
      configured && configured !== 'true' ? configured : AWS_LBC_CLASS;
    return {
      classes: [name],
      // Class-less Services only with its type annotation; its webhook also gives new class-less
      // LoadBalancer Services this class, so they stop being class-less at creation.
      takesClassless: false,
      notes: [`class "${name}"`],
    };
  },
};

const purelbAllocator: WorkloadRule = {
  controller: 'purelb',
  matches: c => c.path.includes('purelb') && imageName(c) === 'allocator',
  settings: c => {
    const announcer = c.env.DEFAULT_ANNOUNCER;
    // PureLB 0.15 dropped its v1 API and with it the v1 class; an unknown version may serve both.
    const version = imageVersion(c.image);
    const v2Only = version !== undefined && !olderThan(version, 0, 15);
    return {
      classes: v2Only ? [PURELB_CLASSES[0]] : [...PURELB_CLASSES],
      takesClassless: announcer === 'PureLB',
      notes: [`env ${quote('DEFAULT_ANNOUNCER', announcer)}`],
    };
  },
};

const purelbNodeAgent: WorkloadRule = {
  controller: 'purelb',
  matches: c => c.path.includes('purelb') && imageName(c) === 'lbnodeagent',
  settings: () => ({
    classes: [...PURELB_CLASSES],
    takesClassless: null,
    notes: [],
  }),
};

const openelb: WorkloadRule = {
  controller: 'openelb',
  matches: c =>
    imageName(c).startsWith('openelb') || c.path.includes('openelb'),
  // OpenELB only takes Services that opt in by annotation, whatever their class.
  settings: () => ({ classes: [], takesClassless: false, notes: [] }),
};

const RULES: WorkloadRule[] = [
  chisel,
  kubeVip,
  kubeVipCloudProvider,
  tailscale,
  inlets,
  loxilb,
  awsLbc,
  purelbAllocator,
  purelbNodeAgent,
  openelb,
];

/** Controllers recognised from their own workloads. @internal */
export function controllersFromWorkloads(
  workloads: readonly WorkloadInfo[],
): InstalledController[] {
  const out: InstalledController[] = [];
  for (const workload of workloads) {
    for (const container of workload.containers) {
      const rule = RULES.find(r => r.matches(container));
      if (!rule) continue;
      const settings = rule.settings(container);
      if (!settings) continue;
      const notes =
        settings.notes.length > 0 ? ` (${settings.notes.join(', ')})` : '';
      out.push({
        controller: rule.controller,
        evidence: [
          `${workload.kind} ${workload.ref} runs ${container.image}${notes}`,
        ],
        classes: settings.classes,
        takesClassless: settings.takesClassless,
      });
    }
  }
  return out;
}
