/*
 * Preloaded (`--require`) into the test app's backend. A plain create-app backend on Node 24 with
 * better-sqlite3 12 aborts a few seconds after start ("Assertion failed: (env) != nullptr" in
 * Statement::~Statement) when V8 collects a statement outside a JS context: the native crash that
 * scripts/node-workarounds/retain-sqlite-objects.cjs describes for the monorepo. That file patches
 * the monorepo's copy of better-sqlite3; this one patches the app's (resolved from the working
 * directory, the app's packages/backend), keeping every Database and Statement reachable for the
 * short life of the test backend.
 */
const { createRequire } = require('node:module');
const path = require('node:path');

const appRequire = createRequire(path.join(process.cwd(), 'package.json'));
const Database = appRequire('better-sqlite3');
const retained = [];
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function retainingPrepare(...args) {
  const statement = prepare.apply(this, args);
  retained.push(this, statement);
  return statement;
};
