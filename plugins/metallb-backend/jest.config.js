// Backstage's node-package Jest config, fixed to run the real kubernetes backend plugin:
// scripts/node-workarounds/jest-config.cjs says how and why.
const path = require('node:path');

// A path, not a package: the helper is repository tooling, not a workspace dependency.
const { createJestConfig } = require(path.resolve(
  __dirname,
  '../../scripts/node-workarounds/jest-config.cjs',
));

module.exports = createJestConfig({
  packageDir: __dirname,
  displayName: '@lb-doctor/plugin-metallb-backend',
});
