import type { Finding, FleetReport } from '@lb-doctor/plugin-metallb-common';

/** @public */
export type FailOn = 'error' | 'warning' | 'never';

/** Exit statuses, as documented in the usage text. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_UNUSABLE_INPUT = 2;

/** Every finding of the report: fleet, cluster and Service level. */
export function allFindings(report: FleetReport): Finding[] {
  return [
    ...report.findings,
    ...report.clusters.flatMap(c => [
      ...c.findings,
      ...c.services.flatMap(s => s.findings),
    ]),
  ];
}

/** 1 when a finding reaches the `--fail-on` threshold, else 0. Info findings never fail. */
export function exitCodeFor(report: FleetReport, failOn: FailOn): number {
  if (failOn === 'never') return EXIT_OK;
  const failing = allFindings(report).some(
    f =>
      f.severity === 'error' ||
      (failOn === 'warning' && f.severity === 'warning'),
  );
  return failing ? EXIT_FINDINGS : EXIT_OK;
}
