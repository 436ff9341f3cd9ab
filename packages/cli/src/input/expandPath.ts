import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** A file to read: where it is, and how messages should name it. */
export interface InputFile {
  absolute: string;
  /** The user's spelling: the argument, or the argument joined with the path inside a folder. */
  display: string;
  size: number;
}

export function isManifestFile(name: string): boolean {
  return MANIFEST_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

/**
 * Turns a file or folder argument into the files to read. Folders are walked recursively in
 * byte-wise sorted order (independent of locale, so output is the same on every machine), skipping
 * hidden entries such as `.git`; an explicitly named file is read whatever its extension.
 */
export function expandPath(arg: string, absolute: string): InputFile[] {
  const stat = statOrThrow(absolute, arg);
  if (!stat.isDirectory()) return [{ absolute, display: arg, size: stat.size }];
  const files: InputFile[] = [];
  walk(absolute, arg, files, new Set());
  if (files.length === 0)
    throw new InputError(`${arg}: folder has no .yaml, .yml or .json files`);
  return files;
}

function walk(
  dir: string,
  display: string,
  files: InputFile[],
  seen: Set<string>,
): void {
  // Symlinked folders may form cycles; visit each real folder once.
  const real = fs.realpathSync(dir);
  if (seen.has(real)) return;
  seen.add(real);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    throw new InputError(`${display}: ${reason(error)}`);
  }
  for (const name of names.filter(n => !n.startsWith('.')).sort(byteOrder)) {
    const absolute = path.join(dir, name);
    const shown = path.join(display, name);
    const stat = statOrThrow(absolute, shown);
    if (stat.isDirectory()) walk(absolute, shown, files, seen);
    else if (stat.isFile() && isManifestFile(name))
      files.push({ absolute, display: shown, size: stat.size });
  }
}

function byteOrder(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function statOrThrow(absolute: string, display: string): fs.Stats {
  try {
    return fs.statSync(absolute);
  } catch (error) {
    throw new InputError(`${display}: ${reason(error)}`);
  }
}

/** A short, lower-case reason for a file-system error, without Node's error-code prefix. */
export function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return (error instanceof Error ? error.message : String(error)).split(
        '\n',
      )[0];
  }
}
