export { TrendChart, aggregateHistory } from './TrendChart';
export type { TrendChartProps } from './TrendChart';
