import type { Service } from '../model/kubernetes';
import type { ControllerId } from '../model/report';
import type { OwnershipContext } from './types';
import { installedEntry, metallbFilter } from './classFilter';
import {
  type ManagedFieldsWriter,
  ownsAnnotation,
  ownsCondition,
  ownsFinalizer,
  ownsIngress,
  ownsLabel,
  ownsLoadBalancerIP,
} from './managedFields';
import {
  annotationsOf,
  finalizersOf,
  ingressOf,
  loadBalancerClassOf,
} from './read';

/*
 * Which controller a managedFields entry belongs to. Manager names come from an explicit fieldManager
 * or the client's User-Agent (the binary name), so some are ambiguous: `controller` is MetalLB's and
 * AWS LBC's binary, `operator` Tailscale's, `allocator` PureLB's, `manager` many kubebuilder projects'.
 * Those are only claimed together with the fields the controller is known to own, or with its other
 * marks on the same Service - never from the name alone.
 */

/** @internal */
export const METALLB_POOL_ANNOTATIONS = [
  'metallb.io/ip-allocated-from-pool',
  'metallb.universe.tf/ip-allocated-from-pool',
];
/** @internal */
export const PURELB_WRITTEN_ANNOTATIONS = [
  'purelb.io/allocated-by',
  'purelb.io/allocated-from',
  'purelb.io/pool-type',
  'purelb.io/announcing-IPv4',
  'purelb.io/announcing-IPv6',
];
/** @internal */
export const CHISEL_FINALIZER = 'service.chisel-operator.io/finalizer';
/** @internal */
export const CCM_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
/** @internal */
export const AWS_LBC_FINALIZER = 'service.k8s.aws/resources';
/** @internal */
export const OPENELB_FINALIZERS = [
  'finalizer.lb.kubesphere.io/v1alpha1',
  'node-proxy.openelb.kubesphere.io/finalizer',
];
/** @internal */
export const OPENELB_EIP_LABEL = 'eip.openelb.kubesphere.io/v1alpha2';
/** @internal */
export const TAILSCALE_FINALIZERS = [
  'tailscale.com/finalizer',
  'tailscale.com/service-pg-finalizer',
];
/** @internal */
export const TAILSCALE_CONDITION = 'TailscaleProxyReady';
/** @internal */
export const CILIUM_CONDITIONS = [
  'cilium.io/IPAMRequestSatisfied',
  'io.cilium/lb-ipam-request-satisfied',
];

/** What a recognised writer owns besides ingress/loadBalancerIP, and why an ambiguous name was claimed. @public */
export interface WriterClaim {
  controller: ControllerId;
  owned: string[];
  note?: string;
}

/** Whether a Service carries AWS Load Balancer Controller marks other than managedFields. @internal */
export function hasAwsLbcMarks(service: Service): boolean {
  return (
    finalizersOf(service).includes(AWS_LBC_FINALIZER) ||
    loadBalancerClassOf(service) === 'service.k8s.aws/nlb' ||
    ingressOf(service).some(({ entry }) =>
      /(^|\.)k8s-[^.]*\.elb\.[a-z0-9-.]*amazonaws\.com(\.cn)?$/.test(
        String(entry.hostname ?? ''),
      ),
    )
  );
}

function ownedAnnotations(
  writer: ManagedFieldsWriter,
  keys: readonly string[],
): string[] {
  return keys
    .filter(k => ownsAnnotation(writer, k))
    .map(k => `annotation ${k}`);
}

function ownedFinalizers(
  writer: ManagedFieldsWriter,
  finalizers: readonly string[],
): string[] {
  return finalizers
    .filter(f => ownsFinalizer(writer, f))
    .map(f => `finalizer ${f}`);
}

function metallb(
  writer: ManagedFieldsWriter,
  service: Service,
  context: OwnershipContext,
): WriterClaim | undefined {
  const owned = ownedAnnotations(writer, METALLB_POOL_ANNOTATIONS);
  if (['metallb-controller', 'metallb'].includes(writer.manager))
    return { controller: 'metallb', owned };
  if (writer.manager !== 'controller') return undefined;
  if (owned.length > 0) return { controller: 'metallb', owned };
  // Releases before 0.13.9 wrote no pool annotation: accept a bare `controller` status writer only
  // when MetalLB is known to serve this Service and nothing points at AWS LBC instead.
  if (
    ownsIngress(writer) &&
    metallbFilter(service, context).kind === 'serves' &&
    !hasAwsLbcMarks(service) &&
    !installedEntry(context, 'aws-lbc')
  ) {
    return {
      controller: 'metallb',
      owned,
      note: 'MetalLB serves this Service and its binary is named controller',
    };
  }
  return undefined;
}

function awsLbc(
  writer: ManagedFieldsWriter,
  service: Service,
): WriterClaim | undefined {
  if (writer.manager === 'aws-load-balancer-controller')
    return { controller: 'aws-lbc', owned: [] };
  if (
    writer.manager === 'controller' &&
    !ownedAnnotations(writer, METALLB_POOL_ANNOTATIONS).length
  ) {
    const owned = ownedFinalizers(writer, [AWS_LBC_FINALIZER]);
    if (owned.length > 0 || (ownsIngress(writer) && hasAwsLbcMarks(service))) {
      return {
        controller: 'aws-lbc',
        owned,
        note: 'the Service carries AWS Load Balancer Controller marks and its binary is named controller',
      };
    }
  }
  return undefined;
}

function byName(controller: ControllerId, names: readonly string[]) {
  return (writer: ManagedFieldsWriter): WriterClaim | undefined =>
    names.includes(writer.manager) ? { controller, owned: [] } : undefined;
}

function chisel(writer: ManagedFieldsWriter): WriterClaim | undefined {
  if (writer.manager === 'chisel-operator')
    return { controller: 'chisel-operator', owned: [] };
  const owned = ownedFinalizers(writer, [CHISEL_FINALIZER]);
  // kube-rs' finalizer helper sends no User-Agent, so chisel's finalizer write shows as `unknown`.
  return owned.length > 0
    ? { controller: 'chisel-operator', owned }
    : undefined;
}

function k3s(writer: ManagedFieldsWriter): WriterClaim | undefined {
  // The whole k3s server is one binary; only its ServiceLB writes load-balancer status or this finalizer.
  if (writer.manager !== 'k3s') return undefined;
  const owned = ownedFinalizers(writer, [CCM_FINALIZER]);
  return ownsIngress(writer) || owned.length > 0
    ? { controller: 'k3s-servicelb', owned }
    : undefined;
}

function cilium(writer: ManagedFieldsWriter): WriterClaim | undefined {
  if (writer.manager === 'cilium-operator-lb-ipam')
    return { controller: 'cilium', owned: [] };
  if (!writer.manager.startsWith('cilium-operator')) return undefined;
  const owned = CILIUM_CONDITIONS.filter(c => ownsCondition(writer, c)).map(
    c => `condition ${c}`,
  );
  return ownsIngress(writer) || owned.length > 0
    ? { controller: 'cilium', owned }
    : undefined;
}

function calico(writer: ManagedFieldsWriter): WriterClaim | undefined {
  return ['kube-controllers', 'calico-kube-controllers'].includes(
    writer.manager,
  ) && ownsIngress(writer)
    ? { controller: 'calico', owned: [] }
    : undefined;
}

function purelb(
  writer: ManagedFieldsWriter,
  service: Service,
  context: OwnershipContext,
): WriterClaim | undefined {
  const owned = ownedAnnotations(writer, PURELB_WRITTEN_ANNOTATIONS);
  if (['purelb-allocator', 'purelb-lbnodeagent'].includes(writer.manager))
    return { controller: 'purelb', owned };
  if (!['allocator', 'lbnodeagent'].includes(writer.manager)) return undefined;
  if (owned.length > 0) return { controller: 'purelb', owned };
  const purelbMarked =
    annotationsOf(service)['purelb.io/allocated-by'] === 'PureLB' ||
    installedEntry(context, 'purelb');
  return ownsIngress(writer) && purelbMarked
    ? {
        controller: 'purelb',
        owned,
        note: 'PureLB marks or installation accompany this allocator',
      }
    : undefined;
}

function openelb(writer: ManagedFieldsWriter): WriterClaim | undefined {
  const owned = [
    ...(ownsLabel(writer, OPENELB_EIP_LABEL)
      ? [`label ${OPENELB_EIP_LABEL}`]
      : []),
    ...ownedFinalizers(writer, OPENELB_FINALIZERS),
  ];
  if (
    ['openelb-controller', 'openelb-manager', 'openelb'].includes(
      writer.manager,
    )
  )
    return { controller: 'openelb', owned };
  return writer.manager === 'manager' && owned.length > 0
    ? { controller: 'openelb', owned }
    : undefined;
}

function tailscale(
  writer: ManagedFieldsWriter,
  service: Service,
): WriterClaim | undefined {
  const owned = [
    ...(ownsCondition(writer, TAILSCALE_CONDITION)
      ? [`condition ${TAILSCALE_CONDITION}`]
      : []),
    ...ownedFinalizers(writer, TAILSCALE_FINALIZERS),
  ];
  if (writer.manager === 'tailscale-operator')
    return { controller: 'tailscale', owned };
  if (writer.manager !== 'operator') return undefined;
  const tailnetHost = ingressOf(service).some(({ entry }) =>
    String(entry.hostname ?? '').endsWith('.ts.net'),
  );
  if (
    owned.length > 0 ||
    (ownsIngress(writer) &&
      (tailnetHost || loadBalancerClassOf(service) === 'tailscale'))
  ) {
    return { controller: 'tailscale', owned };
  }
  return undefined;
}

function cloudProvider(writer: ManagedFieldsWriter): WriterClaim | undefined {
  const name = writer.manager;
  if (name.includes('kube-vip')) return undefined;
  const owned = ownedFinalizers(writer, [CCM_FINALIZER]);
  const lbWriter = ownsIngress(writer) || owned.length > 0;
  if (/cloud-controller-manager|^cloud-provider-/.test(name))
    return { controller: 'cloud-provider', owned };
  // In-tree providers (before Kubernetes 1.31) ran the service controller inside kube-controller-manager;
  // GKE's L4 controllers run in glbc (ingress-gce).
  if (['kube-controller-manager', 'glbc'].includes(name) && lbWriter)
    return { controller: 'cloud-provider', owned };
  return undefined;
}

const RULES: Array<
  (
    w: ManagedFieldsWriter,
    s: Service,
    c: OwnershipContext,
  ) => WriterClaim | undefined
> = [
  metallb,
  awsLbc,
  chisel,
  byName('kube-vip', ['kube-vip']),
  byName('kube-vip-cloud-provider', ['kube-vip-cloud-provider']),
  k3s,
  cilium,
  calico,
  purelb,
  openelb,
  tailscale,
  byName('inlets', ['inlets-operator']),
  byName('loxilb', ['kube-loxilb', 'loxilb']),
  cloudProvider,
];

/** The controller a managedFields entry belongs to, or `undefined` when no known controller claims it. @public */
export function recognizeWriter(
  writer: ManagedFieldsWriter,
  service: Service,
  context: OwnershipContext,
): WriterClaim | undefined {
  for (const rule of RULES) {
    const claim = rule(writer, service, context);
    if (claim) return claim;
  }
  return undefined;
}

const USER_TOOLS: RegExp[] = [
  /^kubectl($|-)/,
  /^helm($|-)/,
  /^argocd/,
  /^argo-cd/,
  /^flux/,
  /^kustomize/,
  /^terraform/,
  /^pulumi/,
  /^kapp($|-)/,
  /^kpt($|-)/,
  /^fleet-agent/,
  /^skaffold/,
  /^tilt/,
  /^k9s/,
  /^lens/i,
  /^openlens/i,
  /^kubernetes-dashboard/,
  /^dashboard$/,
  /^Mozilla$/,
  /^before-first-apply$/,
  /^rancher$/,
  /^spinnaker/,
];

/**
 * Whether a manager is a person's or a GitOps tool's client rather than a controller: they set spec
 * (often spec.loadBalancerIP) on purpose and never reconcile status.
 * @public
 */
export function isUserTool(manager: string): boolean {
  return USER_TOOLS.some(pattern => pattern.test(manager));
}

/** Whether the writer owns the fields that only a load-balancer actor writes. @internal */
export function isLoadBalancerWriter(writer: ManagedFieldsWriter): boolean {
  return ownsIngress(writer) || ownsLoadBalancerIP(writer);
}
