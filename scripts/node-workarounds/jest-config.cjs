/*
 * The Jest config of a Node package whose tests run the real kubernetes backend plugin:
 * Backstage's own node-package config (as `backstage-cli package test` builds it), with two fixes.
 *
 * - The kubernetes plugin loads @kubernetes/client-node (an ES module) with `await import(...)`,
 *   which Jest only evaluates with --experimental-vm-modules (the Backstage CLI does not set it).
 *   Its dist files are compiled with dynamic imports turned into `require`, and the package is
 *   mapped to client-node-native.cjs, which loads the real library with Node's native require
 *   (no mock).
 * - retain-sqlite-objects.cjs works around a better-sqlite3/Node 24 crash at garbage collection
 *   between test contexts (scripts/start loads it into the dev backend too).
 *
 * `dynamicImportsIn`: folders of the package's own sources whose `import()` calls must also be
 * compiled to `require` (the demo backend's feature list).
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

function createJestConfig({ packageDir, displayName, dynamicImportsIn = [] }) {
  const ownSources = Object.fromEntries(
    dynamicImportsIn.map(folder => [
      `^${escapeRegExp(path.resolve(packageDir, folder))}/.*\\.ts$`,
      [
        swcTransform,
        {
          module: { ignoreDynamic: false, exportInteropAnnotation: true },
          jsc: { parser: { syntax: 'typescript' } },
        },
      ],
    ]),
  );
  return {
    displayName,
    rootDir: path.resolve(packageDir, 'src'),
    testMatch: ['**/*.test.{ts,js,tsx,jsx,mts,cts,mjs,cjs}'],
    testEnvironment: getJestNodeEnvironment(),
    setupFiles: [path.resolve(__dirname, 'retain-sqlite-objects.cjs')],
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
        'client-node-native.cjs',
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
      ...ownSources,
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
}

module.exports = { createJestConfig };
