/** A Kubernetes object as JSON; the simulator only relies on `metadata`. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

/** One RBAC rule granted to the scenario's token (a ClusterRole rule, reads only). */
export interface RbacRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
}

/** A custom resource definition served by a scenario. */
export interface CrdDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular?: string;
  namespaced?: boolean;
  shortNames?: string[];
}

/** A network fault applied to requests whose cluster-relative path matches `path`. */
export interface FaultSpec {
  /** A regular expression (anchored) or a glob with `*`, matched against the path below `/clusters/<name>`. */
  path: string;
  /** Added delay before answering. */
  latencyMs?: number;
  /** Answer with this HTTP status (e.g. 503) and a Status body. */
  status?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Send headers and only part of the body, then close. */
  truncate?: boolean;
  /** Apply with this probability (seeded, deterministic); default 1. */
  probability?: number;
  /** Apply to every n-th matching request only (1 = every request). */
  everyNth?: number;
}

export interface ActorSpec {
  /** Name of a built-in behaviour: chisel-status-writer, chisel-spec-writer, metallb-controller, kube-vip. */
  type: string;
  /** Run every `every` ticks (default 1), on ticks where `tick % every === phase`. */
  every?: number;
  phase?: number;
  params?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  description?: string;
  /** Bearer token accepted by this cluster; default `lb-doctor-demo-token`. */
  token?: string;
  /** User name the token authenticates as (used in 403 messages). */
  user?: string;
  /** Rules granted to the token; default: get/list/watch on everything. */
  rbac?: RbacRule[];
  /** CRD bundles (`metallb`, `chisel`, `cilium`) or explicit definitions. */
  crds?: Array<string | CrdDefinition>;
  /** Seconds between actor ticks when actors run on timers; default 3. */
  tickSeconds?: number;
  /** Seed for fault probabilities and generated uids. */
  seed?: number;
  objects: KubeObject[];
  actors?: ActorSpec[];
  faults?: FaultSpec[];
}
