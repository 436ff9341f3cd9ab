import fs from 'node:fs';
import path from 'node:path';
import {
  formatInputProblem,
  parseManifests,
  type InputProblem,
  type KubeObject,
  type ManifestLocation,
} from '@lb-doctor/plugin-metallb-common';
import { InputError } from '../errors';
import { expandPath, reason, type InputFile } from './expandPath';
import { groupInputs } from './inputArgs';

/** Everything read for one cluster. */
export interface LoadedCluster {
  name: string;
  objects: KubeObject[];
  locations: Map<KubeObject, ManifestLocation>;
  /** The arguments that make up this cluster, as given. */
  inputs: string[];
}

export interface LoadedInputs {
  clusters: LoadedCluster[];
  /** Non-fatal problems (severity warning), in input order. */
  problems: InputProblem[];
}

export interface LoadOptions {
  cwd: string;
  /** Tried for a relative path that does not exist under `cwd`. */
  fallbackCwd?: string;
  defaultCluster: string;
  readStdin(): Promise<string>;
  /** Largest file read, in bytes (default 128 MiB). */
  maxBytes?: number;
}

export const STDIN_NAME = '<stdin>';
const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

/**
 * Reads every `[NAME=]PATH` argument into per-cluster object lists.
 *
 * Throws InputError (exit status 2) for input that would make the analysis wrong rather than
 * partial: an unreadable path, YAML or JSON that does not parse, or a cluster without any object.
 * Objects that parse but are not usable come back as warnings.
 */
export async function loadInputs(
  raw: readonly string[],
  options: LoadOptions,
): Promise<LoadedInputs> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const resolve = (arg: string) =>
    resolveArg(arg, options.cwd, options.fallbackCwd);
  const args = groupInputs(
    raw,
    options.defaultCluster,
    p => p !== '-' && exists(resolve(p)),
  );
  const clusters = new Map<string, LoadedCluster>();
  const problems: InputProblem[] = [];

  for (const arg of args) {
    let cluster = clusters.get(arg.cluster);
    if (!cluster) {
      cluster = {
        name: arg.cluster,
        objects: [],
        locations: new Map(),
        inputs: [],
      };
      clusters.set(arg.cluster, cluster);
    }
    cluster.inputs.push(arg.path);
    const texts: Array<{ source: string; text: string }> =
      arg.path === '-'
        ? [{ source: STDIN_NAME, text: await options.readStdin() }]
        : expandPath(arg.path, resolve(arg.path)).map(file => ({
            source: file.display,
            text: readFile(file, maxBytes),
          }));
    for (const { source, text } of texts) {
      const parsed = parseManifests(text, source, { maxLength: maxBytes });
      const fatal = parsed.problems.find(p => p.severity === 'error');
      if (fatal) throw new InputError(formatInputProblem(fatal));
      problems.push(...parsed.problems);
      if (parsed.objects.length === 0) {
        problems.push({
          severity: 'warning',
          source,
          message: 'no Kubernetes objects',
        });
      }
      for (const object of parsed.objects) {
        cluster.objects.push(object);
        const location = parsed.locations.get(object);
        if (location) cluster.locations.set(object, location);
      }
    }
  }

  for (const cluster of clusters.values()) {
    if (cluster.objects.length === 0) {
      throw new InputError(
        `${cluster.inputs.join(', ')}: no Kubernetes objects found`,
      );
    }
  }
  return { clusters: [...clusters.values()], problems };
}

function readFile(file: InputFile, maxBytes: number): string {
  if (file.size > maxBytes) {
    throw new InputError(
      `${file.display}: ${file.size} bytes, more than the limit of ${maxBytes}`,
    );
  }
  try {
    return fs.readFileSync(file.absolute, 'utf8');
  } catch (error) {
    throw new InputError(`${file.display}: ${reason(error)}`);
  }
}

/** The absolute path of an argument; messages keep naming it as the user wrote it. */
function resolveArg(arg: string, cwd: string, fallbackCwd?: string): string {
  const primary = path.resolve(cwd, arg);
  if (!fallbackCwd || path.isAbsolute(arg) || exists(primary)) return primary;
  const fallback = path.resolve(fallbackCwd, arg);
  return exists(fallback) ? fallback : primary;
}

function exists(absolute: string): boolean {
  try {
    fs.statSync(absolute);
    return true;
  } catch {
    return false;
  }
}
