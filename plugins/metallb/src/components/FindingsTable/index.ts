export { FindingsTable, toFindingRows } from './FindingsTable';
export type { FindingsTableProps } from './FindingsTable';
