/*
 * Loads the real @kubernetes/client-node with Node's own require (Node >= 22 can require ES
 * modules), outside Jest's module registry. Jest can only evaluate the package's ES modules with
 * --experimental-vm-modules, which `backstage-cli package test` does not pass; see jest.config.js.
 */
const nodeModule = process.getBuiltinModule('node:module');

module.exports = nodeModule.createRequire(__filename)(
  '@kubernetes/client-node',
);
