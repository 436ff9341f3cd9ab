import type { KubeEvent, Service } from '../model/kubernetes';
import type { ClusterSnapshot } from '../model/snapshot';
import {
  NO_MARKS,
  at,
  isRecord,
  nameOf,
  namespaceOf,
  records,
  str,
  uidOf,
} from './read';

/** The component that recorded an Event (core/v1 `source.component`, else events.k8s.io `reportingComponent`). @public */
export function eventComponent(event: KubeEvent): string | undefined {
  return (
    str(at(event, 'source', 'component')) ??
    str(at(event, 'reportingComponent'))
  );
}

/**
 * The Events about one Service: matched by uid when both sides have one (a re-created Service with
 * the same name is a different object), else by kind, namespace and name.
 * @public
 */
export function eventsForService(
  service: Service,
  snapshot: ClusterSnapshot,
): KubeEvent[] {
  const uid = uidOf(service);
  const name = nameOf(service);
  const namespace = namespaceOf(service) ?? 'default';
  return (records(snapshot.events) as KubeEvent[]).filter(event => {
    const involved = isRecord(event.involvedObject) ? event.involvedObject : {};
    const kind = str(involved.kind);
    if (kind !== undefined && kind !== 'Service') return false;
    const eventUid = str(involved.uid);
    if (uid && eventUid) return uid === eventUid;
    return (
      name !== undefined &&
      str(involved.name) === name &&
      (str(involved.namespace) ?? 'default') === namespace
    );
  });
}

/**
 * Evidence lines `Event <reason> from <component>` for the Events recorded by the given components,
 * optionally only with the given reasons (for components with generic names).
 * @internal
 */
export function eventEvidence(
  events: unknown,
  components: readonly string[],
  reasons?: readonly string[],
): string[] {
  // Every detector asks, for every Service; most Services have few or no Events.
  if (!Array.isArray(events) || events.length === 0) return NO_MARKS;
  const out: string[] = [];
  for (const item of events as unknown[]) {
    if (!isRecord(item)) continue;
    const event = item as KubeEvent;
    const component = eventComponent(event);
    const reason = str(event.reason);
    if (!component || !components.includes(component)) continue;
    if (reasons && (!reason || !reasons.includes(reason))) continue;
    out.push(`Event ${reason ?? '(no reason)'} from ${component}`);
  }
  if (out.length === 0) return NO_MARKS;
  return out.length > 1 ? [...new Set(out)] : out;
}
