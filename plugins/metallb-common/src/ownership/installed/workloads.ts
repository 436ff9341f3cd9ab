import type { ClusterSnapshot } from '../../model/snapshot';
import {
  at,
  isRecord,
  labelsOf,
  nameOf,
  namespaceOf,
  records,
  str,
} from '../read';

/** One container of a Deployment or DaemonSet, read defensively. @internal */
export interface ContainerInfo {
  image: string;
  /** The image's repository path without registry, tag or digest, e.g. `fyralabs/chisel-operator`. */
  path: string;
  /** command followed by args, strings only. */
  argv: string[];
  /** Literal env values; `valueFrom` entries are absent because their value is not in the snapshot. */
  env: Record<string, string>;
}

/** @internal */
export interface WorkloadInfo {
  kind: 'Deployment' | 'DaemonSet';
  /** `namespace/name`. */
  ref: string;
  namespace?: string;
  name?: string;
  labels: Record<string, string>;
  /** Labels of the pod template. */
  podLabels: Record<string, string>;
  containers: ContainerInfo[];
}

/**
 * The repository path of an image reference: registry host (a first segment with a dot, a colon or
 * `localhost`), tag and digest removed, so mirrors of the same image compare equal.
 * @internal
 */
export function imagePath(image: string): string {
  const noDigest = image.split('@')[0];
  const segments = noDigest.split('/');
  const last = segments[segments.length - 1];
  const colon = last.indexOf(':');
  segments[segments.length - 1] = colon < 0 ? last : last.slice(0, colon);
  const first = segments[0];
  if (
    segments.length > 1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost')
  ) {
    segments.shift();
  }
  return segments.join('/').toLowerCase();
}

/** The last segment of an image path, e.g. `chisel-operator`. @internal */
export function imageName(container: ContainerInfo): string {
  const segments = container.path.split('/');
  return segments[segments.length - 1];
}

function containerInfo(raw: Record<string, unknown>): ContainerInfo {
  const image = typeof raw.image === 'string' ? raw.image : '';
  const argv = [raw.command, raw.args].flatMap(list =>
    Array.isArray(list)
      ? list.filter((a): a is string => typeof a === 'string')
      : [],
  );
  const env: Record<string, string> = {};
  for (const entry of records(raw.env)) {
    const name = str(entry.name);
    if (name === undefined) continue;
    if (typeof entry.value === 'string') env[name] = entry.value;
    else if (
      typeof entry.value === 'number' ||
      typeof entry.value === 'boolean'
    )
      env[name] = String(entry.value);
    else if (entry.value === undefined && !isRecord(entry.valueFrom))
      env[name] = '';
  }
  return { image, path: imagePath(image), argv, env };
}

/** Containers and init containers of every Deployment and DaemonSet. @internal */
export function workloadsOf(snapshot: ClusterSnapshot): WorkloadInfo[] {
  const out: WorkloadInfo[] = [];
  const lists: Array<['Deployment' | 'DaemonSet', unknown]> = [
    ['Deployment', snapshot.deployments],
    ['DaemonSet', snapshot.daemonSets],
  ];
  for (const [kind, list] of lists) {
    for (const workload of records(list)) {
      const podSpec = at(workload, 'spec', 'template', 'spec');
      const containers = [
        ...records(at(podSpec, 'containers')),
        ...records(at(podSpec, 'initContainers')),
      ].map(containerInfo);
      const namespace = namespaceOf(workload);
      const name = nameOf(workload);
      out.push({
        kind,
        ref: `${namespace ?? 'default'}/${name ?? '?'}`,
        namespace,
        name,
        labels: labelsOf(workload),
        podLabels: labelsOf(at(workload, 'spec', 'template')),
        containers,
      });
    }
  }
  return out;
}

/**
 * The value of a command-line flag in any of the spellings Go programs accept: `--x=v`, `--x v`,
 * `-x=v`, `-x v`. A flag given alone (or followed by another flag) reads as `"true"`.
 * @internal
 */
export function flagValue(
  argv: readonly string[],
  flag: string,
): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    for (const prefix of [`--${flag}`, `-${flag}`]) {
      const arg = argv[i];
      if (arg.startsWith(`${prefix}=`)) return arg.slice(prefix.length + 1);
      if (arg === prefix) {
        const next = argv[i + 1];
        return next === undefined || next.startsWith('-') ? 'true' : next;
      }
    }
  }
  return undefined;
}

/** The version in an image tag (`v0.7.1` gives `[0, 7, 1]`), `undefined` when the tag names none. @internal */
export function imageVersion(
  image: string,
): [number, number, number] | undefined {
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  if (colon < 0) return undefined;
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(noDigest.slice(colon + 1));
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Whether version `v` is older than `major.minor`. @internal */
export function olderThan(
  v: [number, number, number] | undefined,
  major: number,
  minor: number,
): boolean {
  if (!v) return false;
  return v[0] < major || (v[0] === major && v[1] < minor);
}

const cache = new WeakMap<object, WorkloadInfo[]>();

/** workloadsOf, computed once per snapshot object (detectors ask for every Service). @internal */
export function cachedWorkloadsOf(snapshot: ClusterSnapshot): WorkloadInfo[] {
  if (typeof snapshot !== 'object' || snapshot === null) return [];
  let workloads = cache.get(snapshot);
  if (!workloads) {
    workloads = workloadsOf(snapshot);
    cache.set(snapshot, workloads);
  }
  return workloads;
}
