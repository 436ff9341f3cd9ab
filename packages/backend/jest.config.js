// Backstage's node-package Jest config, fixed to run the real kubernetes and catalog backend
// plugins (scripts/node-workarounds/jest-config.cjs says how and why). src/features.ts is a list
// of `import()` calls, which Jest cannot run as native dynamic imports: compiled to `require`.
const path = require('node:path');

// A path, not a package: the helper is repository tooling, not a workspace dependency.
const { createJestConfig } = require(path.resolve(
  __dirname,
  '../../scripts/node-workarounds/jest-config.cjs',
));

module.exports = createJestConfig({
  packageDir: __dirname,
  displayName: 'backend',
  dynamicImportsIn: ['src'],
});
