export { SummaryTiles } from './SummaryTiles';
export type { SummaryTilesProps } from './SummaryTiles';
