import {
  eventComponent,
  Finding,
  KubeEvent,
  Service,
  ServiceReport,
  ServiceStatus,
} from '@lb-doctor/plugin-metallb-common';

/** What is remembered of a Service between scans to measure churn. */
export interface ServiceObservation {
  observedAt: string;
  ingress: string[];
  resourceVersion?: string;
  /** Sum of `count` of MetalLB's Events about the Service; `null` when Events were not read. */
  metallbEvents: number | null;
}

function isMetallbEvent(event: KubeEvent): boolean {
  const component = eventComponent(event) ?? '';
  return component.toLowerCase().includes('metallb');
}

/** Records the churn-relevant state of a Service at scan time. */
export function observeService(
  service: Service,
  report: ServiceReport,
  events: KubeEvent[] | undefined,
  observedAt: string,
): ServiceObservation {
  let metallbEvents: number | null = null;
  if (events) {
    const uid = service.metadata?.uid;
    metallbEvents = 0;
    for (const event of events) {
      const involved = event.involvedObject;
      if (!involved || (involved.kind && involved.kind !== 'Service')) continue;
      if (
        (involved.namespace ?? 'default') !== report.namespace ||
        involved.name !== report.name
      )
        continue;
      if (uid && involved.uid && involved.uid !== uid) continue;
      if (!isMetallbEvent(event)) continue;
      metallbEvents +=
        typeof event.count === 'number' && event.count > 0 ? event.count : 1;
    }
  }
  return {
    observedAt,
    ingress: [...report.ingress].sort(),
    resourceVersion: service.metadata?.resourceVersion,
    metallbEvents,
  };
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

function formatRate(perMinute: number): string {
  return perMinute >= 10 ? String(Math.round(perMinute)) : perMinute.toFixed(2);
}

/**
 * A `write-loop` finding measured across two consecutive scans, or `undefined`. It fires when the
 * ingress changed while two controllers own the Service (they overwrite each other), or when
 * MetalLB's Event counts about it grew (MetalLB keeps re-reconciling it).
 */
export function churnFinding(
  previous: ServiceObservation | undefined,
  current: ServiceObservation,
  report: ServiceReport,
): Finding | undefined {
  if (!previous) return undefined;
  const minutes =
    (Date.parse(current.observedAt) - Date.parse(previous.observedAt)) / 60000;
  if (!(minutes > 0)) return undefined;
  const controllers = new Set(report.owners.map(o => o.controller));
  const ingressChanged = !sameSet(previous.ingress, current.ingress);
  const eventGrowth =
    previous.metallbEvents !== null && current.metallbEvents !== null
      ? Math.max(0, current.metallbEvents - previous.metallbEvents)
      : 0;
  const contested = ingressChanged && controllers.size >= 2;
  if (!contested && eventGrowth === 0) return undefined;

  const writes = Math.max(eventGrowth, ingressChanged ? 1 : 0);
  const perMinute = writes / minutes;
  const span =
    minutes < 1 ? `${Math.round(minutes * 60)} s` : `${minutes.toFixed(1)} min`;
  const evidence: string[] = [];
  if (ingressChanged) {
    evidence.push(
      `status.loadBalancer.ingress changed between scans: [${previous.ingress.join(
        ', ',
      )}] -> [${current.ingress.join(', ')}] (controllers: ${[
        ...controllers,
      ].join(', ')})`,
    );
  }
  if (eventGrowth > 0) {
    evidence.push(
      `MetalLB Event count about the Service grew by ${eventGrowth} (${previous.metallbEvents} -> ${current.metallbEvents})`,
    );
  }
  const prevRv = Number(previous.resourceVersion);
  const currRv = Number(current.resourceVersion);
  if (Number.isFinite(prevRv) && Number.isFinite(currRv) && currRv !== prevRv) {
    evidence.push(
      `metadata.resourceVersion moved ${previous.resourceVersion} -> ${current.resourceVersion}`,
    );
  }
  evidence.push(
    `Measured over ${span} between scans at ${previous.observedAt} and ${current.observedAt}`,
  );
  const contention = report.findings.find(
    f => f.rule === 'controller-contention',
  );
  return {
    rule: 'write-loop',
    severity: 'error',
    message: `Service ${report.namespace}/${
      report.name
    } is being rewritten: ${writes} write${
      writes === 1 ? '' : 's'
    } in ${span} (${formatRate(perMinute)} writes/min)`,
    evidence,
    remediations: contention ? contention.remediations : [],
  };
}

const RANK: Record<ServiceStatus, number> = {
  ok: 0,
  info: 1,
  warning: 2,
  error: 3,
};

/** Adds a measured finding to a Service report and updates its status. */
export function withChurnFinding(
  report: ServiceReport,
  finding: Finding | undefined,
): ServiceReport {
  if (!finding) return report;
  // The engine may already have seen the loop in Events: one write-loop finding, with the rate
  // measured between scans first and the engine's evidence after it.
  const existing = report.findings.find(f => f.rule === finding.rule);
  const merged: Finding = existing
    ? {
        ...finding,
        evidence: [...new Set([...finding.evidence, ...existing.evidence])],
        remediations:
          finding.remediations.length > 0
            ? finding.remediations
            : existing.remediations,
      }
    : finding;
  const findings = [merged, ...report.findings.filter(f => f !== existing)];
  const status = findings.reduce<ServiceStatus>(
    (worst, f) => (RANK[f.severity] > RANK[worst] ? f.severity : worst),
    'ok',
  );
  return { ...report, findings, status };
}
