export { RemediationView } from './RemediationView';
export type { RemediationViewProps } from './RemediationView';
