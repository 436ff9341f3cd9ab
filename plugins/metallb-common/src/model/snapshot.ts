import type {
  Advertisement,
  ConfigMap,
  ConfigurationState,
  IPAddressPool,
  KubeEvent,
  KubeObject,
  Namespace,
  Node,
  Service,
  ServiceAnnouncementStatus,
  Workload,
} from './kubernetes';

/**
 * The Kubernetes objects of one cluster, as the API returns them.
 *
 * Every list is optional on purpose: a missing list means "not read" (unknown), an empty list
 * means "read, and there are none". The verdicts differ: with no IPAddressPools read MetalLB's
 * behaviour is unknown, with none existing MetalLB clears every Service.
 * @public
 */
export interface ClusterSnapshot {
  /** The cluster's name, as the kubernetes plugin or the CLI calls it. */
  name: string;
  /** When the objects were read (ISO 8601); "now" for rules that look at event age. */
  collectedAt?: string;
  services?: Service[];
  namespaces?: Namespace[];
  nodes?: Node[];
  /** core/v1 and events.k8s.io/v1 Events, normalised to core/v1 field names. */
  events?: KubeEvent[];
  ipAddressPools?: IPAddressPool[];
  l2Advertisements?: Advertisement[];
  bgpAdvertisements?: Advertisement[];
  configurationStates?: ConfigurationState[];
  serviceL2Statuses?: ServiceAnnouncementStatus[];
  serviceBGPStatuses?: ServiceAnnouncementStatus[];
  /** The ConfigMaps that matter: metallb-system/config (legacy MetalLB), kube-system/kube-proxy, kube-system/kubevip. */
  configMaps?: ConfigMap[];
  deployments?: Workload[];
  daemonSets?: Workload[];
  /**
   * Objects of other kinds that reveal an installed controller (chisel ExitNodes, Cilium pools,
   * inlets Tunnels, PureLB ServiceGroups, ...). Read-only evidence; never required.
   */
  otherObjects?: KubeObject[];
}

/** Keys of ClusterSnapshot that hold object lists. @public */
export type SnapshotListKey = Exclude<
  keyof ClusterSnapshot,
  'name' | 'collectedAt'
>;
