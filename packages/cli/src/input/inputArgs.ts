import { InputError } from '../errors';

/** One `[NAME=]PATH` argument, resolved to its cluster. */
export interface InputArg {
  cluster: string;
  /** The path as the user wrote it, or `-` for standard input. */
  path: string;
}

/** A cluster name must start like an identifier, so `./a=b.yaml` and `/x=y` stay paths. */
const NAMED = /^([A-Za-z0-9][^=\s]*)=(.*)$/s;

/**
 * Splits `NAME=PATH` arguments. An argument that names an existing path is a path even if it
 * contains `=`, so files like `a=b.yaml` stay readable.
 *
 * Named and unnamed arguments cannot be mixed: whether an unnamed file belongs to every cluster or
 * to a cluster of its own would be a guess.
 */
export function groupInputs(
  raw: readonly string[],
  defaultCluster: string,
  pathExists: (path: string) => boolean,
): InputArg[] {
  if (raw.length === 0)
    throw new InputError('no input: give files, folders or - for stdin');
  const args = raw.map(arg => {
    const match = pathExists(arg) ? null : NAMED.exec(arg);
    if (!match) return { named: false, cluster: defaultCluster, path: arg };
    if (match[2] === '')
      throw new InputError(`${arg}: no path after ${match[1]}=`);
    return { named: true, cluster: match[1], path: match[2] };
  });
  const named = args.filter(a => a.named);
  if (named.length > 0 && named.length < args.length) {
    const unnamed = args.find(a => !a.named)!;
    throw new InputError(
      `${unnamed.path}: give every input a cluster name (NAME=PATH) or none, not some`,
    );
  }
  if (args.filter(a => a.path === '-').length > 1) {
    throw new InputError('-: standard input can be read only once');
  }
  return args.map(({ cluster, path }) => ({ cluster, path }));
}
