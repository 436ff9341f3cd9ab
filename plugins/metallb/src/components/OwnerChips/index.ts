export { OwnerChips } from './OwnerChips';
export type { OwnerChipsProps } from './OwnerChips';
