import { BUILTIN_RESOURCES } from './resources';
import { ClusterStore } from './store';
import { KubeObject } from './types';

const EVENT_TYPE = BUILTIN_RESOURCES.find(
  r => r.plural === 'events' && r.group === '',
)!;

export interface EventInput {
  involved: KubeObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** `source.component`, e.g. `metallb-controller`. */
  component: string;
  /** Field manager of the writing binary (derived from its User-Agent), e.g. `controller`. */
  manager: string;
}

interface CoreEvent extends KubeObject {
  involvedObject: Record<string, string>;
  reason: string;
  message: string;
  type: string;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  source: { component: string; host?: string };
}

/**
 * Records an Event the way client-go's EventRecorder does: an identical event (same source, object,
 * type, reason and message) already stored is patched with `count + 1` and a new `lastTimestamp`;
 * otherwise a new Event named `<object>.<hex nanoseconds>` is created.
 */
export function recordEvent(
  store: ClusterStore,
  input: EventInput,
): KubeObject | undefined {
  const inv = input.involved;
  const ns = inv.metadata.namespace ?? 'default';
  const involvedObject: Record<string, string> = {
    kind: inv.kind ?? '',
    namespace: ns,
    name: inv.metadata.name,
    uid: inv.metadata.uid ?? '',
    apiVersion: inv.apiVersion ?? 'v1',
    resourceVersion: inv.metadata.resourceVersion ?? '',
  };
  const now = store.clock.iso();
  const existing = (store.listSorted('events') as CoreEvent[]).find(
    e =>
      e.metadata.namespace === ns &&
      e.source?.component === input.component &&
      e.involvedObject?.uid === involvedObject.uid &&
      e.involvedObject?.name === involvedObject.name &&
      e.involvedObject?.kind === involvedObject.kind &&
      e.type === input.type &&
      e.reason === input.reason &&
      e.message === input.message,
  );
  if (existing) {
    const next = structuredClone(existing);
    next.count = (existing.count ?? 1) + 1;
    next.lastTimestamp = now;
    return store.write(EVENT_TYPE, next, { manager: input.manager });
  }
  const nanos =
    BigInt(store.clock.now().getTime()) * 1000000n +
    BigInt(store.resourceVersion % 1000000);
  const ev: CoreEvent = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${inv.metadata.name}.${nanos.toString(16)}`,
      namespace: ns,
    },
    involvedObject,
    reason: input.reason,
    message: input.message,
    source: { component: input.component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type: input.type,
    eventTime: null,
    reportingComponent: input.component,
    reportingInstance: '',
  };
  return store.write(EVENT_TYPE, ev, { manager: input.manager });
}

/** The events.k8s.io/v1 view of a core/v1 Event (the server converts between the two). */
export function toEventsV1(ev: KubeObject): KubeObject {
  const e = ev as Partial<CoreEvent> & KubeObject;
  const out: KubeObject = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: (e.eventTime as string | null | undefined) ?? null,
    reportingController:
      (e.reportingComponent as string | undefined) || e.source?.component || '',
    reportingInstance: (e.reportingInstance as string | undefined) ?? '',
    regarding: e.involvedObject,
    reason: e.reason,
    note: e.message,
    type: e.type,
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
  };
  return out;
}
