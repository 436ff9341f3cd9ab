export { MetallbClient } from './MetallbClient';
export * from './types';
