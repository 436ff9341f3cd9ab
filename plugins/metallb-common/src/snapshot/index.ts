export { parseManifests } from './parseManifests';
export type { ParseManifestsOptions, ParsedManifests } from './parseManifests';
export { snapshotFromObjects } from './snapshotFromObjects';
export type {
  SnapshotFromObjectsOptions,
  SnapshotFromObjectsResult,
} from './snapshotFromObjects';
export { formatInputProblem } from './types';
export type { InputProblem, ManifestLocation } from './types';
