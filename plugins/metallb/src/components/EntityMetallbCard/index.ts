export { EntityMetallbCard } from './EntityMetallbCard';
