export { ReportFiltersBar } from './ReportFiltersBar';
export type { ReportFiltersBarProps } from './ReportFiltersBar';
