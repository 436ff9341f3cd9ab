/**
 * LB Doctor backend plugin (plugin id `metallb`).
 *
 * @packageDocumentation
 */

export { metallbPlugin as default } from './plugin';
