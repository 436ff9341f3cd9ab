import type {
  FleetReport,
  InputProblem,
} from '@lb-doctor/plugin-metallb-common';
import type { LocationIndex } from '../input/locations';

/** What formatters know besides the report. */
export interface FormatContext {
  /** lb-doctor's version, for tool metadata. */
  version: string;
  /** Non-fatal input problems, shown where the format has room for them. */
  problems: readonly InputProblem[];
  /** Source locations of Services and clusters; absent when formatting a report from elsewhere. */
  locations?: LocationIndex;
}

export type Formatter = (report: FleetReport, context: FormatContext) => string;
