import {
  analyzeCluster,
  ClusterReport,
  KubeEvent,
  KubeObject,
  OwnershipDetector,
  ServiceReport,
  SnapshotListKey,
} from '@lb-doctor/plugin-metallb-common';
import { observeService, ServiceObservation } from './churn';
import { assembleSnapshot, storableSnapshot } from './snapshot';

/**
 * This module's own file (dist/scan/analysis.cjs.js when built, src/scan/analysis.ts in dev): the
 * analysis worker requires it by path, so a worker runs exactly the code the main thread would.
 */
export const ANALYSIS_MODULE = __filename;

/** What a worker needs to analyse one cluster read: plain data, copied to the worker. */
export interface AnalysisInput {
  cluster: string;
  objects: KubeObject[];
  known: SnapshotListKey[];
  /** ISO 8601 scan time: the snapshot's `collectedAt` and each observation's `observedAt`. */
  collectedAt: string;
}

/** One Service as analysed, before the churn comparison with the previous scan. */
export interface AnalysedService {
  report: ServiceReport;
  labels: Record<string, string>;
  observation: ServiceObservation;
}

/** The result of one cluster's analysis: plain data, copied back from the worker. */
export interface AnalysisResult {
  report: Omit<ClusterReport, 'services'>;
  services: AnalysedService[];
  /** The storable snapshot (see storableSnapshot), serialised once, where it was built. */
  snapshotJson: string;
}

/**
 * Everything of a scan that does not need the database: the engine's snapshot and analysis, the
 * per-Service observation for churn, and the snapshot to store. It runs in an analysis worker or,
 * without one, on the calling thread; both give the same result.
 */
export function analyzeRead(
  input: AnalysisInput,
  detectors: OwnershipDetector[] = [],
): AnalysisResult {
  const snapshot = assembleSnapshot(
    input.cluster,
    { objects: input.objects, known: input.known, problems: [] },
    input.collectedAt,
  );
  const { services: serviceReports, ...report } = analyzeCluster(snapshot, {
    detectors,
  });
  const events = snapshot.events;
  const byKey = new Map(
    (snapshot.services ?? []).map(s => [
      `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name ?? ''}`,
      s,
    ]),
  );
  // Events grouped by the object they are about once, not scanned again for every Service:
  // thousands of Services times thousands of Events would make the scan quadratic.
  const eventsByKey = new Map<string, KubeEvent[]>();
  for (const event of events ?? []) {
    const involved = event.involvedObject;
    if (!involved?.name) continue;
    const key = `${involved.namespace ?? 'default'}/${involved.name}`;
    const list = eventsByKey.get(key);
    if (list) list.push(event);
    else eventsByKey.set(key, [event]);
  }
  const services = serviceReports.map(serviceReport => {
    const key = `${serviceReport.namespace}/${serviceReport.name}`;
    const object = byKey.get(key) ?? {};
    return {
      report: serviceReport,
      labels: object.metadata?.labels ?? {},
      observation: observeService(
        object,
        serviceReport,
        events && (eventsByKey.get(key) ?? []),
        input.collectedAt,
      ),
    };
  });
  return {
    report,
    services,
    snapshotJson: JSON.stringify(storableSnapshot(snapshot)),
  };
}
