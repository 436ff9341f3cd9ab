import path from 'node:path';

/**
 * Everything the CLI touches outside its arguments, so that `main` can be tested in-process
 * without spawning a binary or capturing process streams.
 */
export interface CliIo {
  /** The directory relative PATH arguments are resolved against. */
  cwd: string;
  /** Where to look for a relative PATH that does not exist under `cwd` (see invocationDirs). */
  fallbackCwd?: string;
  writeOut(text: string): void;
  writeErr(text: string): void;
  readStdin(): Promise<string>;
}

/**
 * The directories relative PATH arguments resolve against.
 *
 * Outside a yarn script that is the process's cwd. `yarn lb-doctor` runs the workspace script with
 * cwd = packages/cli and INIT_CWD = the caller's directory, except that the root script goes through
 * `yarn workspace`, which resets INIT_CWD to packages/cli too. Then the caller's directory is lost;
 * the documented place to run from is the repo root (PROJECT_CWD), so paths resolve there first and
 * in packages/cli second. INIT_CWD counts only under our own script: it may be left over from an
 * enclosing yarn invocation otherwise.
 */
export function invocationDirs(
  env: NodeJS.ProcessEnv,
  cwd: string,
  packageDir: string,
): { cwd: string; fallbackCwd?: string } {
  const initCwd = env.INIT_CWD;
  if (env.npm_lifecycle_event !== 'lb-doctor' || !initCwd) return { cwd };
  const projectCwd = env.PROJECT_CWD;
  if (path.resolve(initCwd) === path.resolve(packageDir) && projectCwd) {
    return { cwd: projectCwd, fallbackCwd: initCwd };
  }
  return { cwd: initCwd };
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    // src/ in the monorepo, dist/ when built: the package root is one level up either way, so
    // the rule against __dirname (aimed at bundled backend plugins) does not apply here.
    ...invocationDirs(
      process.env,
      process.cwd(),
      // eslint-disable-next-line no-restricted-syntax
      path.resolve(__dirname, '..'),
    ),
    writeOut: text => process.stdout.write(text),
    writeErr: text => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
