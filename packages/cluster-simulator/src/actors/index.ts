import type { SimulatedCluster } from '../cluster';
import { ActorSpec } from '../types';
import { chiselSpecWriter, chiselStatusWriter } from './chisel';
import { kubeVip } from './kubeVip';
import { metallbController } from './metallb';

/** A behaviour that acts on a cluster's objects when its tick comes. */
export interface Actor {
  type: string;
  every: number;
  phase: number;
  run(cluster: SimulatedCluster): void;
}

export type ActorParams = Record<string, unknown>;
export type ActorFactory = (
  params: ActorParams,
) => (cluster: SimulatedCluster) => void;

export const ACTOR_TYPES: Record<string, ActorFactory> = {
  'chisel-status-writer': chiselStatusWriter,
  'chisel-spec-writer': chiselSpecWriter,
  'metallb-controller': metallbController,
  'kube-vip': kubeVip,
};

export function createActor(spec: ActorSpec): Actor {
  const factory = ACTOR_TYPES[spec.type];
  if (!factory) {
    throw new Error(
      `unknown actor type "${spec.type}" (known: ${Object.keys(
        ACTOR_TYPES,
      ).join(', ')})`,
    );
  }
  const every = spec.every ?? 1;
  if (!Number.isInteger(every) || every < 1)
    throw new Error(`actor ${spec.type}: every must be a positive integer`);
  return {
    type: spec.type,
    every,
    phase: spec.phase ?? 0,
    run: factory(spec.params ?? {}),
  };
}
