/**
 * The LB Doctor engine: reads a Kubernetes cluster snapshot and says what MetalLB will do with
 * each LoadBalancer Service, who owns it, what is wrong and how to fix it.
 *
 * @packageDocumentation
 */

export * from './model/kubernetes';
export * from './model/snapshot';
export * from './model/report';
export * from './analyze';
export * from './snapshot';
export * from './metallb/install';
export type * from './ownership/types';
export * from './permissions';
export { RULES, ruleDescriptor } from './rules/catalog';
export type { RuleDescriptor } from './rules/catalog';
export * from './ownership';
export * from './remediation';
export { NEWEST_METALLB_VERSION, featuresOf } from './metallb/version';
export type { MetallbFeatures } from './metallb/version';
export * from './ip';
