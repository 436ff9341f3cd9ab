export { EntityMetallbContent } from './EntityMetallbContent';
