/**
 * Contracts for backend plugins and modules that extend or call LB Doctor: the cluster client
 * seam, the LB status service and the ownership-detector extension point.
 *
 * @packageDocumentation
 */

export * from './api';
export {
  DefaultKubernetesClusterClient,
  KubernetesRequestError,
  kubernetesClusterClientServiceRef,
  scannability,
} from './kubernetes';
export type {
  KubernetesClusterClient,
  KubernetesClusterInfo,
  KubernetesGetOptions,
  KubernetesRequestErrorKind,
} from './kubernetes';
export {
  DefaultMetallbService,
  MetallbServiceError,
  metallbServiceRef,
  parseEntityRef,
} from './service';
export type { MetallbService, MetallbServiceRequestOptions } from './service';
export { metallbOwnershipDetectorsExtensionPoint } from './extensions';
export type { MetallbOwnershipDetectorsExtensionPoint } from './extensions';
