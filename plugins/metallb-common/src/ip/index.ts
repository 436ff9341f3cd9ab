export * from './address';
export {
  cidrContains,
  cidrLast,
  cidrSize,
  cidrsOverlap,
  formatCidr,
  parseCidr,
  parsePoolAddresses,
  summarizeRange,
  usableCount,
} from './cidr';
export type { Cidr, ParseResult } from './cidr';
