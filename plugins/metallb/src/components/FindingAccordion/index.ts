export { FindingAccordion } from './FindingAccordion';
export type { FindingAccordionProps } from './FindingAccordion';
