export type {
  InstalledController,
  OwnershipContext,
  OwnershipDetector,
} from './types';
export { detectInstalledControllers } from './installed';
export { detectOwners, defaultOwnershipDetectors } from './detectOwners';
export { createOwnershipContext } from './context';
export { eventsForService, eventComponent } from './events';
export { evidenceStrength, ownerStrength } from './evidence';
export { isUserTool, recognizeWriter } from './managers';
export type { WriterClaim } from './managers';
export {
  describeWriter,
  managedFieldsOf,
  ownsAnnotation,
  ownsCondition,
  ownsField,
  ownsFinalizer,
  ownsIngress,
  ownsLabel,
  ownsLoadBalancerIP,
} from './managedFields';
export type { ManagedFieldsWriter } from './managedFields';
export * from './detectors';
