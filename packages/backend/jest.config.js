/*
 * Jest config of the demo backend: Backstage's node-package config (as `backstage-cli package
 * test` builds it), with the two fixes plugins/metallb-backend/jest.config.js explains, so that
 * src/demo.test.ts can run the real kubernetes and catalog backend plugins:
 *
 * - The kubernetes plugin loads @kubernetes/client-node (an ES module) with `await import(...)`,
 *   which Jest only evaluates with --experimental-vm-modules (the Backstage CLI does not set it).
 *   Its dist files are compiled with dynamic imports turned into `require`, and the package is
 *   mapped to a shim that loads the real library with Node's native require (no mock).
 * - scripts/node-workarounds/retain-sqlite-objects.cjs works around a better-sqlite3/Node 24 crash at garbage
 *   collection between test contexts (scripts/start loads it into the dev backend too).
 *
 * Both helpers live in scripts/node-workarounds/, shared with plugins/metallb-backend.
 */
const path = require('node:path');
const {
  getJestNodeEnvironment,
} = require('@backstage/cli/config/getJestEnvironment');

const escapeRegExp = text => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const swcTransform = require.resolve('@backstage/cli/config/jestSwcTransform');
const nodeModuleOptions = {
  module: { ignoreDynamic: true, exportInteropAnnotation: true },
};

module.exports = {
  displayName: 'backend',
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
    // This package's own sources: the feature list in src/features.ts is `import()` calls, which
    // Jest cannot run as native dynamic imports; compiled to `require` they load as usual.
    [`^${escapeRegExp(path.resolve(__dirname, 'src'))}/.*\\.ts$`]: [
      swcTransform,
      {
        module: { ignoreDynamic: false, exportInteropAnnotation: true },
        jsc: { parser: { syntax: 'typescript' } },
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
