export type { ManifestObject, ManifestValue } from './util';
export type { MetallbAnnotationPrefix } from './annotations';
export {
  METALLB_ANNOTATION,
  METALLB_ANNOTATION_PREFIX,
  METALLB_LEGACY_ANNOTATION_PREFIX,
  metallbAnnotationPrefixForVersion,
  normalizeMetallbAnnotationPrefix,
} from './annotations';
export type { RemediationId } from './common';
export type { LoadBalancerControllerProfile } from './controllers';
export { LOAD_BALANCER_CONTROLLERS } from './controllers';
export type {
  CleanServiceManifestOptions,
  ServiceIdentity,
  ServiceManifest,
} from './manifest';
export {
  cleanServiceManifest,
  describeManagement,
  describeManifestFallbacks,
  SERVER_WRITTEN_ANNOTATIONS,
  serviceIdentity,
  UNNAMED_SERVICE,
} from './manifest';
export type {
  SetLoadBalancerClassParams,
  SplitServiceParams,
} from './serviceClass';
export {
  isValidLoadBalancerClass,
  setLoadBalancerClassRemediation,
  splitServiceRemediation,
} from './serviceClass';
export type {
  MoveToAnnotationParams,
  RemoveDuplicateRequestParams,
  UseAddressPoolParams,
  UseFreeIpParams,
} from './ipRequest';
export {
  moveToAnnotationRemediation,
  removeDuplicateRequestRemediation,
  useAddressPoolRemediation,
  useFreeIpRemediation,
} from './ipRequest';
export type { FixSharingKeyParams } from './sharing';
export { fixSharingKeyRemediation } from './sharing';
export type {
  KubeProxyStrictArpParams,
  LegacyAddressPool,
  MetallbLbClassParams,
  MigrateLegacyConfigMapParams,
} from './metallbConfig';
export {
  kubeProxyStrictArpRemediation,
  metallbLbClassRemediation,
  migrateLegacyConfigMapRemediation,
} from './metallbConfig';
export type {
  ChiselLoadBalancerClassParams,
  CiliumRequireLbClassParams,
  KubeVipClassOnlyParams,
  PurelbClassOnlyParams,
  TailscaleNoDefaultLoadBalancerParams,
  WorkloadLocation,
} from './controllerSwitches';
export {
  calicoRequestedServicesOnlyRemediation,
  chiselLoadBalancerClassRemediation,
  ciliumRequireLbClassRemediation,
  inletsIgnoreRemediation,
  k3sDisableServicelbRemediation,
  kubeVipClassOnlyRemediation,
  kubeVipIgnoreRemediation,
  purelbClassOnlyRemediation,
  tailscaleNoDefaultLoadBalancerRemediation,
} from './controllerSwitches';
