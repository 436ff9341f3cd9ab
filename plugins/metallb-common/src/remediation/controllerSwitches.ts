import type { Service } from '../model/kubernetes';
import type { Remediation } from '../model/report';
import { paragraphs } from './common';
import { changeRemediation } from './ipRequest';
import { serviceIdentity } from './manifest';
import {
  asRecord,
  ManifestObject,
  kubectl,
  nonEmptyString,
  shellQuote,
  stringArray,
} from './util';

/*
 * Each controller's own switch for not taking a Service (or not taking class-less Services),
 * from LB-CONTROLLERS.md. Workload names and namespaces default to the projects' own install
 * manifests; installs that rename them pass their names.
 */

/** Where a controller's workload runs. @public */
export interface WorkloadLocation {
  namespace?: string;
  name?: string;
}

function location(
  params: WorkloadLocation | undefined,
  namespace: string,
  name: string,
): { namespace: string; name: string } {
  return {
    namespace: nonEmptyString(params?.namespace) ?? namespace,
    name: nonEmptyString(params?.name) ?? name,
  };
}

function setEnv(
  kind: string,
  where: { namespace: string; name: string },
  assignment: string,
): string {
  return `kubectl set env ${kind}/${shellQuote(where.name)} -n ${shellQuote(
    where.namespace,
  )} ${shellQuote(assignment)}`;
}

function rolloutStatus(
  kind: string,
  where: { namespace: string; name: string },
): string {
  return `kubectl rollout status ${kind}/${shellQuote(
    where.name,
  )} -n ${shellQuote(where.namespace)}`;
}

/**
 * `k3s-disable-servicelb`: turn off k3s's built-in ServiceLB (klipper-lb), which takes every
 * class-less LoadBalancer Service and writes node IPs into its status.
 * @public
 */
export function k3sDisableServicelbRemediation(): Remediation {
  return {
    id: 'k3s-disable-servicelb',
    title: 'Disable k3s ServiceLB (--disable=servicelb) on every k3s server',
    description: paragraphs(
      "Why: k3s ships its own LoadBalancer implementation, ServiceLB. It serves every LoadBalancer Service without a class, exactly like MetalLB, and writes the nodes' IPs into the Service status, so the two keep replacing each other's address. k3s documents --disable=servicelb as the way to run another load balancer such as MetalLB.",
      'Set it on every server node (not on agents): in /etc/rancher/k3s/config.yaml add servicelb to the disable list (disable: [servicelb]); if the file already has a disable: list, add servicelb to that list instead of appending a second key. Equivalent: start the server with --disable=servicelb, or install with INSTALL_K3S_EXEC="server --disable=servicelb". Then restart k3s on each server, one at a time.',
      'Afterwards the svclb-* DaemonSets should be gone and MetalLB alone writes the addresses. RKE2 has the same switch as --enable-servicelb=false (ServiceLB is off by default there).',
    ),
    commands: [
      '# On every k3s server node:',
      'sudo mkdir -p /etc/rancher/k3s',
      `printf 'disable:\\n  - servicelb\\n' | sudo tee -a /etc/rancher/k3s/config.yaml`,
      'sudo systemctl restart k3s',
      "# Then, from a workstation, check that ServiceLB's DaemonSets are gone:",
      'kubectl get daemonsets -A -l svccontroller.k3s.cattle.io/svcname',
    ],
  };
}

/**
 * `kube-vip-ignore`: annotate one Service with `kube-vip.io/ignore: "true"` so kube-vip's data
 * plane leaves it alone.
 * @public
 */
export function kubeVipIgnoreRemediation(service: Service): Remediation {
  const { namespace, name } = serviceIdentity(service);
  return changeRemediation(
    service,
    'kube-vip-ignore',
    `Tell kube-vip to ignore ${namespace}/${name} (kube-vip.io/ignore: "true")`,
    paragraphs(
      `Why: kube-vip (with Service handling on) advertises the address in any class-less LoadBalancer Service and rewrites its status with a ports list, which MetalLB writes back without, so the status flips endlessly. The annotation kube-vip.io/ignore: "true" makes kube-vip skip this one Service and leave it to MetalLB.`,
      'This covers only the kube-vip pods. If kube-vip-cloud-provider also runs, it still gives class-less Services an address and writes spec.loadBalancerIP; to separate the two for all Services use the kube-vip-class-only remediation.',
    ),
    {
      set: { 'kube-vip.io/ignore': 'true' },
      remove: [],
      removeLoadBalancerIP: false,
    },
  );
}

/** Parameters of {@link kubeVipClassOnlyRemediation}. @public */
export interface KubeVipClassOnlyParams {
  /** kube-vip's DaemonSet; default kube-system/kube-vip-ds. */
  daemonSet?: WorkloadLocation;
  /** kube-vip-cloud-provider's Deployment, when it runs; default kube-system/kube-vip-cloud-provider. */
  cloudProvider?: WorkloadLocation;
  /** Whether kube-vip-cloud-provider runs (adds its switch). Default true. */
  withCloudProvider?: boolean;
}

/**
 * `kube-vip-class-only`: run kube-vip with `lb_class_only=true` so it only serves Services of its
 * class (`kube-vip.io/kube-vip-class`), and kube-vip-cloud-provider in class mode.
 * @public
 */
export function kubeVipClassOnlyRemediation(
  params: KubeVipClassOnlyParams = {},
): Remediation {
  const ds = location(params?.daemonSet, 'kube-system', 'kube-vip-ds');
  const ccm = location(
    params?.cloudProvider,
    'kube-system',
    'kube-vip-cloud-provider',
  );
  const commands = [
    setEnv('daemonset', ds, 'lb_class_only=true'),
    rolloutStatus('daemonset', ds),
  ];
  if (params?.withCloudProvider !== false) {
    commands.push(
      '# If kube-vip-cloud-provider runs, switch it to class mode too:',
      setEnv('deployment', ccm, 'KUBEVIP_ENABLE_LOADBALANCERCLASS=true'),
      rolloutStatus('deployment', ccm),
    );
  }
  return {
    id: 'kube-vip-class-only',
    title:
      'Run kube-vip with lb_class_only=true (only Services of class kube-vip.io/kube-vip-class)',
    description: paragraphs(
      'Why: by default kube-vip serves every LoadBalancer Service without a class, and so does MetalLB. With the environment variable lb_class_only=true kube-vip serves only Services whose spec.loadBalancerClass is its class (kube-vip.io/kube-vip-class unless lb_class_name says otherwise), and leaves class-less Services to MetalLB.',
      'kube-vip-cloud-provider, which picks the addresses for kube-vip, has its own switch: KUBEVIP_ENABLE_LOADBALANCERCLASS=true makes it handle only that class too (otherwise it keeps writing spec.loadBalancerIP into class-less Services).',
      'Services that kube-vip should keep serving must get the class, and a class can only be set when a Service is created: recreate them (set-load-balancer-class remediation with the kube-vip controller).',
      'When kube-vip runs as a static pod (/etc/kubernetes/manifests/kube-vip.yaml on each control-plane node) instead of a DaemonSet, add the variable to that file on every control-plane node; the kubelet restarts the pod by itself.',
    ),
    commands,
  };
}

/** Parameters of {@link chiselLoadBalancerClassRemediation}. @public */
export interface ChiselLoadBalancerClassParams {
  /** chisel-operator's Deployment; default chisel-operator-system/chisel-operator. */
  deployment?: WorkloadLocation;
  /** The class chisel-operator should serve; default `chisel-operator.io/chisel-operator-class`. */
  loadBalancerClass?: string;
  /** Helm release and chart, when installed with Helm (adds the helm command). */
  helmRelease?: string;
  helmChart?: string;
  /** Services chisel-operator should keep serving; they need the class (named in the text). */
  chiselServices?: Service[];
}

/**
 * `chisel-load-balancer-class`: run chisel-operator with `LOAD_BALANCER_CLASS` so it only takes
 * Services of that class and leaves class-less ones to MetalLB.
 * @public
 */
export function chiselLoadBalancerClassRemediation(
  params: ChiselLoadBalancerClassParams = {},
): Remediation {
  const where = location(
    params?.deployment,
    'chisel-operator-system',
    'chisel-operator',
  );
  const loadBalancerClass =
    nonEmptyString(params?.loadBalancerClass) ??
    'chisel-operator.io/chisel-operator-class';
  const release = nonEmptyString(params?.helmRelease);
  const chart = nonEmptyString(params?.helmChart);
  const services = (
    Array.isArray(params?.chiselServices) ? params.chiselServices : []
  ).map(s => {
    const { namespace, name } = serviceIdentity(s);
    return `${namespace}/${name}`;
  });
  const commands: string[] = [];
  if (release && chart) {
    commands.push(
      '# Installed with Helm:',
      `helm upgrade ${shellQuote(release)} ${shellQuote(chart)} -n ${shellQuote(
        where.namespace,
      )} --reuse-values --set ${shellQuote(
        `loadBalancerClass=${loadBalancerClass}`,
      )}`,
      '# Installed with kubectl/kustomize:',
    );
  }
  commands.push(
    setEnv('deployment', where, `LOAD_BALANCER_CLASS=${loadBalancerClass}`),
    rolloutStatus('deployment', where),
  );
  return {
    id: 'chisel-load-balancer-class',
    title: `Run chisel-operator with LOAD_BALANCER_CLASS=${loadBalancerClass}`,
    description: paragraphs(
      "Why: without LOAD_BALANCER_CLASS chisel-operator takes every LoadBalancer Service that has no class (and those of its own class), and so does MetalLB: each writes its own address (the exit node's public IP, or a pool IP) into the Service status and the other overwrites it, in a loop that loads the API server. With LOAD_BALANCER_CLASS set, chisel-operator takes only Services with exactly that class and leaves class-less Services to MetalLB.",
      'The variable exists since chisel-operator 0.6.0 (PR #200); older versions ignore it, so upgrade first. With Helm, set the chart value loadBalancerClass instead of editing the Deployment, or the next upgrade undoes it.',
      services.length > 0
        ? `The Services that should stay on chisel (${services.join(
            ', ',
          )}) must carry spec.loadBalancerClass ${loadBalancerClass}; a class can only be set when a Service is created, so recreate them (set-load-balancer-class) or add a chisel copy next to them (split-service).`
        : `Services that should stay on chisel must carry spec.loadBalancerClass ${loadBalancerClass}; a class can only be set when a Service is created, so recreate them (set-load-balancer-class) or add a chisel copy next to them (split-service).`,
    ),
    commands,
  };
}

/** Parameters of {@link ciliumRequireLbClassRemediation}. @public */
export interface CiliumRequireLbClassParams {
  /** Helm release (default `cilium`), chart (default `cilium/cilium`) and namespace (default `kube-system`). */
  helmRelease?: string;
  helmChart?: string;
  namespace?: string;
}

/**
 * `cilium-require-lb-class`: stop Cilium LB-IPAM from taking class-less Services
 * (`default-lb-service-ipam: none`, or `--lbipam-require-lb-class` on older releases).
 * @public
 */
export function ciliumRequireLbClassRemediation(
  params: CiliumRequireLbClassParams = {},
): Remediation {
  const release = nonEmptyString(params?.helmRelease) ?? 'cilium';
  const chart = nonEmptyString(params?.helmChart) ?? 'cilium/cilium';
  const namespace = nonEmptyString(params?.namespace) ?? 'kube-system';
  const helm = (value: string) =>
    `helm upgrade ${shellQuote(release)} ${shellQuote(chart)} -n ${shellQuote(
      namespace,
    )} --reuse-values --set ${shellQuote(value)}`;
  return {
    id: 'cilium-require-lb-class',
    title: 'Make Cilium LB-IPAM serve only Services with a Cilium class',
    description: paragraphs(
      'Why: once a CiliumLoadBalancerIPPool exists, Cilium LB-IPAM gives addresses to every LoadBalancer Service without a class and removes status addresses that are not in its pools, so it fights MetalLB over the same Services. Configured with default-lb-service-ipam: none (Helm defaultLBServiceIPAM=none) it only serves Services whose class is one of its own (io.cilium/l2-announcer, io.cilium/bgp-control-plane, io.cilium/node for node IPAM). Older Cilium releases have the flag --lbipam-require-lb-class (Helm lbIPAM.requireLBClass=true) for the same effect; use the one your version knows.',
      'When LB-IPAM stops serving a Service it removes its own addresses from the status, after which MetalLB assigns one.',
      'Without Helm, set the key in the cilium-config ConfigMap and restart the operator; with Helm, change the value, or the next upgrade undoes the edit.',
    ),
    commands: [
      '# Cilium installed with Helm (releases with default-lb-service-ipam):',
      helm('defaultLBServiceIPAM=none'),
      '# Older releases (lbipam-require-lb-class):',
      helm('lbIPAM.requireLBClass=true'),
      '# Without Helm (use "lbipam-require-lb-class":"true" on older releases):',
      kubectl(
        'patch',
        'configmap',
        namespace,
        'cilium-config',
        '--type=merge',
        '-p',
        shellQuote(
          JSON.stringify({ data: { 'default-lb-service-ipam': 'none' } }),
        ),
      ),
      `kubectl rollout restart deployment/cilium-operator -n ${shellQuote(
        namespace,
      )}`,
      `kubectl rollout status deployment/cilium-operator -n ${shellQuote(
        namespace,
      )}`,
    ],
  };
}

/**
 * `inlets-ignore`: annotate one Service with `operator.inlets.dev/manage: "0"` so inlets-operator
 * leaves it alone.
 * @public
 */
export function inletsIgnoreRemediation(service: Service): Remediation {
  const { namespace, name } = serviceIdentity(service);
  const externalIPs = stringArray(asRecord(asRecord(service).spec).externalIPs);
  const base = changeRemediation(
    service,
    'inlets-ignore',
    `Tell inlets-operator to leave ${namespace}/${name} alone (operator.inlets.dev/manage: "0")`,
    paragraphs(
      'Why: inlets-operator has no class support and by default takes every LoadBalancer Service, creating a tunnel (and a cloud VM) for it and writing the exit server\'s IP into spec.externalIPs and the status, while MetalLB does the same with a pool address. The annotation operator.inlets.dev/manage: "0" makes inlets-operator skip this Service. To opt all Services out by default, run the operator with -annotated-only (Helm annotatedOnly: true) and annotate only those it should serve with "1".',
      externalIPs.length > 0 &&
        `The Service lists spec.externalIPs ${externalIPs.join(
          ', ',
        )}; if one of them is the inlets exit server, remove it (kubectl edit), since kube-proxy keeps routing that IP to the Service. Also delete the Tunnel ${name}-tunnel if it remains, or its cloud VM keeps running.`,
    ),
    {
      set: { 'operator.inlets.dev/manage': '0' },
      remove: [],
      removeLoadBalancerIP: false,
    },
  );
  return {
    ...base,
    commands: [
      ...(base.commands ?? []),
      kubectl(
        'get',
        'tunnels.operator.inlets.dev',
        namespace,
        `${name}-tunnel`,
        '--ignore-not-found',
      ),
    ],
  };
}

/** Parameters of {@link purelbClassOnlyRemediation}. @public */
export interface PurelbClassOnlyParams {
  /** PureLB's namespace; default `purelb-system` (older manifests: `purelb`). */
  namespace?: string;
}

/**
 * `purelb-class-only`: remove PureLB's `DEFAULT_ANNOUNCER` so it only serves Services of class
 * `purelb.io/purelbv2`.
 * @public
 */
export function purelbClassOnlyRemediation(
  params: PurelbClassOnlyParams = {},
): Remediation {
  const namespace = nonEmptyString(params?.namespace) ?? 'purelb-system';
  return {
    id: 'purelb-class-only',
    title: 'Make PureLB serve only Services of class purelb.io/purelbv2',
    description: paragraphs(
      "Why: PureLB's default manifests set DEFAULT_ANNOUNCER=PureLB, which makes it serve every LoadBalancer Service without a class, like MetalLB. Without that variable PureLB serves only Services with spec.loadBalancerClass purelb.io/purelbv2 (purelb.io/purelb for its v1 API before 0.15).",
      "The commands remove the variable from PureLB's Deployments and DaemonSets in its namespace. With Helm, change the chart value that sets it instead (see helm get values), or the next upgrade restores it. Services PureLB should keep serving must be recreated with its class.",
    ),
    commands: [
      `kubectl set env deployments --all -n ${shellQuote(
        namespace,
      )} DEFAULT_ANNOUNCER-`,
      `kubectl set env daemonsets --all -n ${shellQuote(
        namespace,
      )} DEFAULT_ANNOUNCER-`,
      `kubectl get pods -n ${shellQuote(namespace)}`,
    ],
  };
}

/**
 * `calico-requested-services-only`: set Calico's load-balancer controller to
 * `assignIPs: RequestedServicesOnly` so it only serves Services that ask for Calico.
 * @public
 */
export function calicoRequestedServicesOnlyRemediation(): Remediation {
  const patch: ManifestObject = {
    spec: {
      controllers: { loadBalancer: { assignIPs: 'RequestedServicesOnly' } },
    },
  };
  return {
    id: 'calico-requested-services-only',
    title: "Set Calico's load-balancer controller to RequestedServicesOnly",
    description: paragraphs(
      "Why: since v3.30 Calico can give addresses to LoadBalancer Services. With its default assignIPs: AllServices it serves every class-less Service once an IPPool with allowedUses: [LoadBalancer] exists, and it replaces the whole status address list, so it overwrites MetalLB's address. With RequestedServicesOnly it only serves Services of class calico or carrying its projectcalico.org/ annotations.",
      "The setting lives in the KubeControllersConfiguration named default. The kubectl command needs Calico's API server (projectcalico.org/v3); without it use calicoctl. If the Tigera operator manages Calico, check that it keeps the change.",
    ),
    commands: [
      `kubectl patch kubecontrollersconfiguration default --type=merge -p ${shellQuote(
        JSON.stringify(patch),
      )}`,
      `# Without Calico's API server: calicoctl patch kubecontrollersconfiguration default --patch ${shellQuote(
        JSON.stringify(patch),
      )}`,
      'kubectl get kubecontrollersconfiguration default -o yaml',
    ],
  };
}

/** Parameters of {@link tailscaleNoDefaultLoadBalancerRemediation}. @public */
export interface TailscaleNoDefaultLoadBalancerParams {
  /** The operator's Deployment; default tailscale/operator. */
  deployment?: WorkloadLocation;
}

/**
 * `tailscale-no-default-load-balancer`: turn off `OPERATOR_DEFAULT_LOAD_BALANCER` so the Tailscale
 * operator only serves Services of class `tailscale`.
 * @public
 */
export function tailscaleNoDefaultLoadBalancerRemediation(
  params: TailscaleNoDefaultLoadBalancerParams = {},
): Remediation {
  const where = location(params?.deployment, 'tailscale', 'operator');
  return {
    id: 'tailscale-no-default-load-balancer',
    title:
      'Stop the Tailscale operator from serving class-less LoadBalancer Services',
    description: paragraphs(
      'Why: with OPERATOR_DEFAULT_LOAD_BALANCER=true the Tailscale operator acts as the default load balancer and serves every LoadBalancer Service without a class, like MetalLB. Its default (false) serves only Services with spec.loadBalancerClass tailscale, so set it back to false.',
      'Services that should stay on Tailscale must be recreated with class tailscale. With Helm, change the chart value that sets the variable instead, or the next upgrade restores it.',
    ),
    commands: [
      setEnv('deployment', where, 'OPERATOR_DEFAULT_LOAD_BALANCER=false'),
      rolloutStatus('deployment', where),
    ],
  };
}
