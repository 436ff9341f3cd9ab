import type { KubeEvent, KubeObject } from '../model/kubernetes';
import { isRecord } from './flatten';

/**
 * Converts an events.k8s.io Event to the core/v1 field names the engine reads, the way the API
 * server converts between the two versions. Returns a new object; the input is left untouched so
 * its source location stays attached to it.
 */
export function normaliseEvent(event: KubeObject): KubeEvent {
  const {
    regarding,
    note,
    deprecatedCount,
    deprecatedFirstTimestamp,
    deprecatedLastTimestamp,
    deprecatedSource,
    reportingController,
    series,
    ...rest
  } = event;
  const out: KubeEvent = { ...rest, apiVersion: 'v1', kind: 'Event' };
  if (isRecord(regarding))
    out.involvedObject = regarding as KubeEvent['involvedObject'];
  if (typeof note === 'string') out.message = note;

  const seriesCount = isRecord(series) ? series.count : undefined;
  const count = typeof seriesCount === 'number' ? seriesCount : deprecatedCount;
  if (typeof count === 'number') out.count = count;

  if (typeof deprecatedFirstTimestamp === 'string')
    out.firstTimestamp = deprecatedFirstTimestamp;
  const lastObserved = isRecord(series) ? series.lastObservedTime : undefined;
  const last =
    typeof deprecatedLastTimestamp === 'string'
      ? deprecatedLastTimestamp
      : lastObserved;
  if (typeof last === 'string') out.lastTimestamp = last;

  const source: NonNullable<KubeEvent['source']> = isRecord(deprecatedSource)
    ? { ...(deprecatedSource as KubeEvent['source']) }
    : {};
  if (typeof reportingController === 'string') {
    source.component ??= reportingController;
    out.reportingComponent = reportingController;
  }
  if (Object.keys(source).length > 0) out.source = source;
  return out;
}
