export { ClusterProblems } from './ClusterProblems';
export type { ClusterProblemsProps } from './ClusterProblems';
