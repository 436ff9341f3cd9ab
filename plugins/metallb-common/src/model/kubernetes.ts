/**
 * Structural types for the Kubernetes objects the engine reads.
 *
 * They describe the shape the API server returns, with every field optional: the engine also reads
 * hand-written manifests and dumps that may be incomplete or wrong, and must never trust a field to
 * be present or of the right type before checking it.
 */

/** @public */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
  generateName?: string;
}

/** @public */
export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

/** @public */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/** Any Kubernetes object. @public */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** @public */
export interface LabelSelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

/** @public */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** @public */
export interface ServicePort {
  name?: string;
  protocol?: string;
  port?: number;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

/** @public */
export interface PortStatus {
  port?: number;
  protocol?: string;
  error?: string;
}

/** @public */
export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ipMode?: string;
  ports?: PortStatus[];
}

/** @public */
export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** @public */
export interface ServiceSpec {
  type?: string;
  selector?: Record<string, string>;
  ports?: ServicePort[];
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  loadBalancerIP?: string;
  loadBalancerClass?: string;
  loadBalancerSourceRanges?: string[];
  externalIPs?: string[];
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  allocateLoadBalancerNodePorts?: boolean;
  sessionAffinity?: string;
}

/** @public */
export interface Service extends KubeObject {
  spec?: ServiceSpec;
  status?: {
    loadBalancer?: { ingress?: LoadBalancerIngress[] };
    conditions?: Condition[];
  };
}

/** @public */
export type Namespace = KubeObject;

/** @public */
export interface NodeAddress {
  type?: string;
  address?: string;
}

/** @public */
export interface Node extends KubeObject {
  spec?: { providerID?: string; podCIDR?: string; podCIDRs?: string[] };
  status?: { addresses?: NodeAddress[] };
}

/** @public */
export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

/** @public */
export interface Container {
  name?: string;
  image?: string;
  args?: string[];
  command?: string[];
  env?: Array<{ name?: string; value?: string }>;
}

/** A Deployment or DaemonSet (the engine only reads the pod template and the replica counts). @public */
export interface Workload extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: LabelSelector;
    template?: {
      metadata?: ObjectMeta;
      spec?: { containers?: Container[]; initContainers?: Container[] };
    };
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    numberReady?: number;
    desiredNumberScheduled?: number;
  };
}

/**
 * A Kubernetes Event, normalised from core/v1 or events.k8s.io/v1 into the core/v1 field names.
 * @public
 */
export interface KubeEvent extends KubeObject {
  involvedObject?: {
    kind?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    apiVersion?: string;
    resourceVersion?: string;
  };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

/** metallb.io/v1beta1 IPAddressPool. @public */
export interface IPAddressPool extends KubeObject {
  spec?: {
    addresses?: string[];
    autoAssign?: boolean;
    avoidBuggyIPs?: boolean;
    serviceAllocation?: {
      priority?: number;
      namespaces?: string[];
      namespaceSelectors?: LabelSelector[];
      serviceSelectors?: LabelSelector[];
    };
  };
  status?: {
    assignedIPv4?: number;
    assignedIPv6?: number;
    availableIPv4?: number;
    availableIPv6?: number;
  };
}

/** metallb.io/v1beta1 L2Advertisement or BGPAdvertisement. @public */
export interface Advertisement extends KubeObject {
  spec?: {
    ipAddressPools?: string[];
    ipAddressPoolSelectors?: LabelSelector[];
    nodeSelectors?: LabelSelector[];
    serviceSelectors?: LabelSelector[];
    interfaces?: string[];
    aggregationLength?: number;
    aggregationLengthV6?: number;
    localPref?: number;
    communities?: string[];
    peers?: string[];
  };
}

/** metallb.io/v1beta1 ConfigurationState. @public */
export interface ConfigurationState extends KubeObject {
  status?: {
    result?: string;
    errorSummary?: string;
    conditions?: Condition[];
  };
}

/** metallb.io/v1beta1 ServiceL2Status or ServiceBGPStatus. @public */
export interface ServiceAnnouncementStatus extends KubeObject {
  status?: {
    node?: string;
    serviceName?: string;
    serviceNamespace?: string;
    interfaces?: Array<{ name?: string }>;
    peers?: string[];
  };
}
