#!/usr/bin/env node
/*
 * Launcher of the backend benchmark (bench/index.ts): `node packages/backend/bench/run.cjs`.
 * Runs TypeScript through Backstage's transform hook (swc, no type check), as the dev backend does.
 * node is re-started once with --expose-gc, so the scan's peak memory is measured from a collected
 * heap, with a larger heap limit for 50 clusters of 2,000 Services, and with the transform hook as a
 * `--require` option as `backstage-cli package start` passes it: worker threads (the metallb
 * plugin's analysis workers) inherit node options, not hooks registered at run time.
 */
const path = require('node:path');

if (typeof global.gc !== 'function') {
  const { spawnSync } = require('node:child_process');
  const result = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=6144',
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ...process.execArgv,
      __filename,
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  if (result.error) {
    console.error(`bench: cannot start node: ${result.error.message}`);
    process.exit(1);
  }
  process.exit(result.status === null ? 1 : result.status);
}

// The dev backend's workaround for better-sqlite3 on Node 24 (see the file).
const sqliteWorkaround = path.resolve(
  __dirname,
  '../../../scripts/node-workarounds/retain-sqlite-objects.cjs',
);
const entry = process.argv[2] === '--simulator' ? 'simulator.ts' : 'index.ts';

require(sqliteWorkaround);
require('@backstage/cli/config/nodeTransform.cjs');

require(path.resolve(__dirname, entry));
