export { ExportLinks } from './ExportLinks';
export type { ExportLinksProps } from './ExportLinks';
