export { MetallbReportPage } from './MetallbReportPage';
export type { MetallbReportPageProps } from './MetallbReportPage';
