export { MetallbClient } from './MetallbClient';
export * from './types';
export { analyzeClusterInBrowser } from './browserAnalysis';
export type {
  BrowserAnalysisOptions,
  BrowserAnalysisResult,
} from './browserAnalysis';
