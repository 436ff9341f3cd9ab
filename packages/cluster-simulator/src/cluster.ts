import { createActor, Actor } from './actors';
import { FaultInjector } from './faults';
import { ALLOW_ALL_READ, DEFAULT_USER } from './rbac';
import {
  BUILTIN_RESOURCES,
  groupVersion,
  resolveCrds,
  ResourceType,
} from './resources';
import { Clock, ClusterStore, stableUid } from './store';
import { KubeObject, RbacRule, Scenario } from './types';

export const DEFAULT_TOKEN = 'lb-doctor-demo-token';

/** Managers that wrote the objects of a scenario before the simulation starts. */
const INITIAL_MANAGER = 'kubectl-client-side-apply';

/** One simulated cluster: its resource types, objects, credentials, faults and actors. */
export class SimulatedCluster {
  readonly name: string;
  readonly token: string;
  readonly user: string;
  readonly rbac: RbacRule[];
  readonly types: ResourceType[];
  readonly store: ClusterStore;
  readonly faults: FaultInjector;
  readonly tickSeconds: number;
  private readonly actors: Actor[];
  private ticks = 0;

  constructor(readonly scenario: Scenario, clock: Clock) {
    this.name = scenario.name;
    this.token = scenario.token ?? DEFAULT_TOKEN;
    this.user = scenario.user ?? DEFAULT_USER;
    this.rbac = scenario.rbac ?? ALLOW_ALL_READ;
    this.types = [...BUILTIN_RESOURCES, ...resolveCrds(scenario.crds)];
    this.store = new ClusterStore(scenario.name, clock);
    this.faults = new FaultInjector(scenario.faults ?? [], scenario.seed ?? 1);
    this.tickSeconds = scenario.tickSeconds ?? 3;
    this.actors = (scenario.actors ?? []).map(spec => createActor(spec));
    this.load(scenario.objects);
    this.store.markLoaded();
  }

  /** The resource type an object belongs to, from its apiVersion and kind. */
  typeOf(obj: {
    apiVersion?: string;
    kind?: string;
  }): ResourceType | undefined {
    return this.types.find(
      t =>
        groupVersion(t) === obj.apiVersion &&
        t.kind === obj.kind &&
        !(t.group === 'events.k8s.io'),
    );
  }

  typeByPlural(group: string, plural: string): ResourceType | undefined {
    return this.types.find(t => t.group === group && t.plural === plural);
  }

  private load(objects: KubeObject[]): void {
    // Events last, so their involvedObject can be completed from the objects they refer to.
    const isEvent = (o: KubeObject) => o.kind === 'Event';
    for (const obj of [
      ...objects.filter(o => !isEvent(o)),
      ...objects.filter(isEvent),
    ]) {
      const type = this.typeOf(obj);
      if (!type) {
        throw new Error(
          `object ${obj.kind ?? '?'} "${
            obj.metadata?.name ?? '?'
          }" has apiVersion ${
            obj.apiVersion ?? '?'
          } which this scenario does not serve (missing from crds?)`,
        );
      }
      // Shallow: only top-level fields and metadata are changed here, and the store copies on write.
      const copy: KubeObject = { ...obj, metadata: { ...obj.metadata } };
      const ns = type.namespaced
        ? copy.metadata.namespace ?? 'default'
        : undefined;
      copy.metadata.uid ??= stableUid(
        this.name,
        type.storageKey,
        ns ?? '',
        copy.metadata.name,
      );
      const statusManager = popStatusManager(copy);
      if (isEvent(copy)) this.completeInvolvedObject(copy);
      if (
        Array.isArray(copy.metadata.managedFields) &&
        copy.metadata.managedFields.length > 0
      ) {
        // Explicit managedFields in the scenario file are kept verbatim.
        this.store.write(type, copy, { manager: INITIAL_MANAGER });
        continue;
      }
      // Otherwise: the spec as a client applied it, then the status as its controller wrote it.
      const status = copy.status;
      delete copy.status;
      const time = copy.metadata.creationTimestamp;
      this.store.write(type, copy, { manager: INITIAL_MANAGER, time });
      if (status !== undefined && Object.keys(status as object).length > 0) {
        const withStatus = { ...copy, status };
        this.store.write(type, withStatus, {
          manager: statusManager ?? defaultStatusManager(type),
          subresource: 'status',
          time,
        });
      }
    }
  }

  private completeInvolvedObject(ev: KubeObject): void {
    const ref = ev.involvedObject as Record<string, string> | undefined;
    if (!ref) return;
    const type = this.typeOf({
      apiVersion: ref.apiVersion ?? 'v1',
      kind: ref.kind,
    });
    const target = type
      ? this.store.get(type, ref.namespace, ref.name)
      : undefined;
    if (!target) return;
    ref.apiVersion ??= target.apiVersion ?? 'v1';
    ref.uid ??= target.metadata.uid ?? '';
    ref.resourceVersion ??= target.metadata.resourceVersion ?? '';
    if (type?.namespaced)
      ref.namespace ??= target.metadata.namespace ?? 'default';
  }

  apply(objects: unknown[]): void {
    for (const raw of objects) {
      const obj = raw as KubeObject;
      const type =
        obj && typeof obj === 'object' ? this.typeOf(obj) : undefined;
      if (!type || !obj.metadata?.name) {
        throw new Error(
          `cannot apply object without a known apiVersion/kind and a name in cluster ${this.name}`,
        );
      }
      const existing = this.store.get(
        type,
        obj.metadata.namespace,
        obj.metadata.name,
      );
      const next = structuredClone(obj);
      if (existing) {
        next.metadata.managedFields = existing.metadata.managedFields;
        next.metadata.uid = existing.metadata.uid;
      } else {
        delete next.metadata.managedFields;
      }
      this.store.write(type, next, { manager: INITIAL_MANAGER });
    }
  }

  /** Runs the actors due on the next tick, in scenario order. */
  tick(): void {
    this.ticks += 1;
    for (const actor of this.actors) {
      if (this.ticks % actor.every === actor.phase % actor.every)
        actor.run(this);
    }
  }
}

/** `x-status-manager` lets a scenario name the controller that wrote an object's status. */
function popStatusManager(obj: KubeObject): string | undefined {
  const v = obj['x-status-manager'];
  delete obj['x-status-manager'];
  return typeof v === 'string' ? v : undefined;
}

function defaultStatusManager(type: ResourceType): string {
  if (type.kind === 'Service') return 'controller';
  if (type.kind === 'Node') return 'kubelet';
  if (type.group === 'apps') return 'kube-controller-manager';
  return 'controller';
}
