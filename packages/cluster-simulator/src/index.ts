/**
 * A local server speaking the Kubernetes REST API over scenario clusters, for LB Doctor demos and
 * integration tests.
 *
 * @packageDocumentation
 */
export { startSimulator } from './server';
export type {
  RunningSimulator,
  SimulatedClusterInfo,
  SimulatorOptions,
} from './server';
export { generateCluster } from './generator';
export { loadScenario, builtinScenarioNames } from './scenarios';
export { runCli } from './cli';
export type {
  ActorSpec,
  CrdDefinition,
  FaultSpec,
  KubeObject,
  ManagedFieldsEntry,
  ObjectMeta,
  RbacRule,
  Scenario,
} from './types';
