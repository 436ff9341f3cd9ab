// Backstage's node-package Jest config, fixed to run the real kubernetes backend plugin:
// scripts/node-workarounds/jest-config.cjs says how and why.
const {
  createJestConfig,
} = require('../../scripts/node-workarounds/jest-config.cjs');

module.exports = createJestConfig({
  packageDir: __dirname,
  displayName: '@lb-doctor/plugin-metallb-backend',
});
