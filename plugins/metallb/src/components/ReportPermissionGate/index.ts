export { ReportPermissionGate } from './ReportPermissionGate';
export type { ReportPermissionGateProps } from './ReportPermissionGate';
