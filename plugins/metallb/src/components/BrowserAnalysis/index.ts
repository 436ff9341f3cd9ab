export { BrowserAnalysis } from './BrowserAnalysis';
export type { BrowserAnalysisProps } from './BrowserAnalysis';
