/**
 * LB Doctor frontend: the Load Balancers entity tab, an overview card and the fleet report page,
 * for the legacy frontend system. The new frontend system plugin is the default export of
 * `@lb-doctor/plugin-metallb/alpha`.
 *
 * @packageDocumentation
 */

export {
  metallbPlugin,
  EntityMetallbContent,
  EntityMetallbCard,
  MetallbReportPage,
  MetallbFreeIpPickerFieldExtension,
} from './plugin';
export { FreeIpPicker, FREE_IP_PICKER_NAME } from './components/FreeIpPicker';
export type { FreeIpPickerUiOptions } from './components/FreeIpPicker';
export { isMetallbAvailable } from './conditions';
export { rootRouteRef, entityContentRouteRef } from './routes';
export { MetallbIcon } from './icon';
export { MetallbClient, metallbApiRef, REPORT_FILTER_KEYS } from './api';
export type {
  MetallbApi,
  EntityReport,
  EntityClusterState,
  ClusterScanError,
  ClusterServiceReport,
  ReportFilters,
  ReportQuery,
  ReportSummary,
  ReportItem,
  FleetReportResponse,
  ExportFormat,
  ClusterInfo,
  HistoryPoint,
  HistoryQuery,
  ScanRun,
  FreeIps,
  FreeIpsQuery,
} from './api';
