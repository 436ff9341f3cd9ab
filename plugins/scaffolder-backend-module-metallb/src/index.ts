/**
 * Scaffolder actions that write LoadBalancer Services the target cluster's MetalLB accepts, and
 * check manifests against LB Doctor's latest scan of the cluster.
 *
 * @packageDocumentation
 */

export { scaffolderModuleMetallb as default } from './module';
export { createMetallbServiceCreateAction } from './actions/create';
export type { MetallbServiceCreateActionOptions } from './actions/create';
export { createMetallbServiceValidateAction } from './actions/validate';
export type { MetallbServiceValidateActionOptions } from './actions/validate';
export type {
  MetallbServiceCreateAction,
  MetallbServiceCreateInput,
  MetallbServiceCreateOutput,
  MetallbServicePortInput,
  MetallbServiceValidateAction,
  MetallbServiceValidateFinding,
  MetallbServiceValidateInput,
  MetallbServiceValidateOutput,
  MetallbServiceValidateVerdict,
} from './actions/types';
