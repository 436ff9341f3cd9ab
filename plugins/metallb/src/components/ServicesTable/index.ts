export { ServicesTable } from './ServicesTable';
export type { ServicesTableProps } from './ServicesTable';
