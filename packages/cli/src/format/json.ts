import type { FleetReport } from '@lb-doctor/plugin-metallb-common';

/**
 * The report exactly as the engine returns it, for scripts. Keys keep the engine's order, which is
 * deterministic (object literals built in the declared field order), so diffs of two runs only show
 * real changes. Input warnings go to stderr, never into this document.
 */
export function formatJson(report: FleetReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
