/*
 * Jest config of this package: Backstage's own node-package config (as `backstage-cli package test`
 * builds it), with one change so that integration tests can run the real kubernetes backend plugin.
 *
 * The kubernetes plugin loads @kubernetes/client-node (an ES module) with `await import(...)`.
 * Inside Jest that needs Node's --experimental-vm-modules flag, which the Backstage CLI does not set.
 * So its dist files are compiled with dynamic imports turned into `require`, and the package
 * is mapped to a shim that loads the real library with Node's native require (no mock).
 * scripts/node-workarounds/retain-sqlite-objects.cjs works around a better-sqlite3/Node 24 crash at garbage collection.
 */
const path = require('node:path');
const {
  getJestNodeEnvironment,
} = require('@backstage/cli/config/getJestEnvironment');

const swcTransform = require.resolve('@backstage/cli/config/jestSwcTransform');
const nodeModuleOptions = {
  module: { ignoreDynamic: true, exportInteropAnnotation: true },
};

module.exports = {
  displayName: '@lb-doctor/plugin-metallb-backend',
  rootDir: path.resolve(__dirname, 'src'),
  testMatch: ['**/*.test.{ts,js,tsx,jsx,mts,cts,mjs,cjs}'],
  testEnvironment: getJestNodeEnvironment(),
  setupFiles: [
    path.resolve(
      __dirname,
      '../../scripts/node-workarounds/retain-sqlite-objects.cjs',
    ),
  ],
  moduleFileExtensions: [
    'ts',
    'js',
    'tsx',
    'jsx',
    'mts',
    'cts',
    'mjs',
    'cjs',
    'json',
    'node',
  ],
  moduleNameMapper: {
    '^@kubernetes/client-node$': path.resolve(
      __dirname,
      '../../scripts/node-workarounds/client-node-native.cjs',
    ),
  },
  transformIgnorePatterns: [
    '/node_modules/(?:@material-ui|ajv|core-js|jest-.*|jsdom|knex|react|react-dom|highlight\\.js|prismjs|json-schema|react-use/lib|typescript)/',
  ],
  transform: {
    // First match wins: the kubernetes plugin's dist, with dynamic imports compiled to require.
    '/@backstage/plugin-kubernetes-backend/dist/.*\\.js$': [
      swcTransform,
      {
        module: { ignoreDynamic: false },
        jsc: { parser: { syntax: 'ecmascript' } },
      },
    ],
    '\\.(mjs|cjs|js)$': [
      swcTransform,
      { ...nodeModuleOptions, jsc: { parser: { syntax: 'ecmascript' } } },
    ],
    '\\.(mts|cts|ts)$': [
      swcTransform,
      { ...nodeModuleOptions, jsc: { parser: { syntax: 'typescript' } } },
    ],
    '\\.(yaml)$': require.resolve('@backstage/cli/config/jestYamlTransform'),
  },
};
