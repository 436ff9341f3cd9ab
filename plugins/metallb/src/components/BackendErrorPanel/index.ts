export { BackendErrorPanel } from './BackendErrorPanel';
export type { BackendErrorPanelProps } from './BackendErrorPanel';
