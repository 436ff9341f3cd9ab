/**
 * The lb-doctor command. Everything lives in modules so tests can call `main` in-process; this file
 * only wires it to the real process.
 */
import { processIo } from './io';
import { main } from './main';

main(process.argv.slice(2), processIo()).then(code => {
  // exitCode rather than exit(): a large report may still be flushing to a pipe.
  process.exitCode = code;
});
