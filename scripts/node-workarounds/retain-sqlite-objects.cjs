/*
 * Loaded by jest.config.js and, with `--require`, by the dev backend of scripts/start, which crashed
 * the same way at startup ("Assertion failed: (env) != nullptr" in Statement::~Statement).
 *
 * Works around a native crash, not a behaviour of our code: better-sqlite3 12 objects built with
 * Node 24's ObjectWrap remove an environment cleanup hook in their destructor, and when V8 collects
 * one while no JS context is entered (which happens between Jest's test contexts) Node aborts with
 * "Assertion failed: (env) != nullptr". Keeping every Database and Statement reachable for the life
 * of the test process means none is collected mid-run. The list lives on a real builtin module so
 * it outlives each test file's sandbox.
 */
const Database = require('better-sqlite3');

const holder = process.getBuiltinModule('node:os');
const retained =
  holder.lbDoctorRetainedSqlite ?? (holder.lbDoctorRetainedSqlite = []);

if (!Database.prototype.prepare.lbDoctorRetaining) {
  const prepare = Database.prototype.prepare;
  const retaining = function retainingPrepare(...args) {
    const statement = prepare.apply(this, args);
    retained.push(this, statement);
    return statement;
  };
  retaining.lbDoctorRetaining = true;
  Database.prototype.prepare = retaining;
}
