export { parseManifests } from './parseManifests';
export type { ParseManifestsOptions, ParsedManifests } from './parseManifests';
export { snapshotFromObjects } from './snapshotFromObjects';
export type {
  SnapshotFromObjectsOptions,
  SnapshotFromObjectsResult,
} from './snapshotFromObjects';
export { formatInputProblem } from './types';
export type { InputProblem, ManifestLocation } from './types';
export {
  SNAPSHOT_CONFIG_MAPS,
  SNAPSHOT_LIST_SOURCES,
  snapshotListApiVersion,
  snapshotListPath,
} from './sources';
export type { SnapshotListSource } from './sources';
