import { Document } from 'yaml';
import { emitYamlDocument } from './yamlEmitter';

/*
 * Internal helpers shared by the remediation builders. Inputs come from live objects, dumps and
 * hand-written manifests, so every reader here checks types instead of trusting them.
 */

/** A JSON value as it appears in a manifest. @public */
export type ManifestValue =
  | string
  | number
  | boolean
  | null
  | ManifestValue[]
  | { [key: string]: ManifestValue };

/** A JSON object as it appears in a manifest. @public */
export type ManifestObject = { [key: string]: ManifestValue };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** A trimmed non-empty string, or `undefined`. */
export function nonEmptyString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * Label and annotation maps must hold strings; a dump written by hand may hold `true` or `80`,
 * which kubectl would have quoted, so those are kept as their text rather than dropped.
 */
export function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [key, v] of Object.entries(value)) {
    if (key === '') continue;
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[key] = String(v);
    else if (typeof v === 'boolean') out[key] = String(v);
  }
  return out;
}

export function stringArray(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string');
}

/**
 * Deep copy that keeps only what JSON (and so YAML for kubectl) can carry: functions, symbols,
 * `undefined` and non-finite numbers would otherwise produce snippets kubectl rejects.
 */
export function toJsonValue(
  value: unknown,
  depth = 0,
): ManifestValue | undefined {
  if (depth > 32) return undefined;
  if (value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    const items: ManifestValue[] = [];
    for (const item of value) {
      const converted = toJsonValue(item, depth + 1);
      if (converted !== undefined) items.push(converted);
    }
    return items;
  }
  if (isRecord(value)) {
    const out: ManifestObject = {};
    for (const [key, v] of Object.entries(value)) {
      const converted = toJsonValue(v, depth + 1);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  }
  return undefined;
}

/** Quotes a word for a POSIX shell only when it needs it, so common commands stay readable. */
export function shellQuote(word: string): string {
  if (
    word !== '' &&
    /^[A-Za-z0-9_.,:/@%+=-]+$/.test(word) &&
    !word.startsWith('-')
  ) {
    return word;
  }
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A file-name-safe slug; names may hold any character, file names in commands must not. */
export function fileSlug(text: string, fallback = 'service'): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60)
    .replace(/[-.]+$/g, '');
  return slug === '' ? fallback : slug;
}

/** One YAML document to emit, with an optional comment printed above it. */
export interface YamlDocument {
  object: ManifestObject;
  comment?: string;
}

/**
 * Serialises documents with the YAML 1.1 schema: kubectl reads manifests as YAML 1.1, where
 * unquoted `on`, `yes`, `0755` or `1:20` are not strings, so those values must come out quoted.
 */
export function toYaml(documents: YamlDocument[]): string {
  return documents
    .map(({ object, comment }) => {
      const fast = emitYamlDocument(object, comment);
      if (fast !== undefined) return fast;
      const doc = new Document(object, { version: '1.1' });
      if (comment) {
        doc.commentBefore = comment
          .split('\n')
          .map(line => ` ${line}`)
          .join('\n');
      }
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

/** `kubectl -n NS VERB KIND NAME`, quoted for the shell. */
export function kubectl(
  verb: string,
  kind: string,
  namespace: string,
  name: string,
  ...rest: string[]
): string {
  return [
    'kubectl',
    verb,
    kind,
    shellQuote(name),
    '-n',
    shellQuote(namespace),
    ...rest,
  ].join(' ');
}

/** A `kubectl patch --type=merge` command; `null` values in a merge patch delete the field. */
export function mergePatchCommand(
  kind: string,
  namespace: string,
  name: string,
  patch: ManifestObject,
): string {
  return kubectl(
    'patch',
    kind,
    namespace,
    name,
    '--type=merge',
    '-p',
    shellQuote(JSON.stringify(patch)),
  );
}

/** A `kubectl patch --type=json` command (RFC 6902 operations). */
export function jsonPatchCommand(
  kind: string,
  namespace: string,
  name: string,
  operations: ManifestObject[],
): string {
  return kubectl(
    'patch',
    kind,
    namespace,
    name,
    '--type=json',
    '-p',
    shellQuote(JSON.stringify(operations)),
  );
}

/** Escapes a key for a JSON Pointer (RFC 6901), needed for annotation keys that contain `/`. */
export function jsonPointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export type IpFamily = 'IPv4' | 'IPv6';

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(text: string): boolean {
  if (!text.includes(':') || text.includes(':::')) return false;
  let rest = text;
  let groupsForV4 = 0;
  const lastColon = rest.lastIndexOf(':');
  const tail = rest.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!IPV4.test(tail)) return false;
    rest = `${rest.slice(0, lastColon + 1)}0`;
    groupsForV4 = 1;
  }
  const halves = rest.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const all = halves.flatMap(groups);
  if (!all.every(g => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = all.length + groupsForV4;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** The family of a textual IP address, `null` when it is not one. */
export function ipFamily(text: string): IpFamily | null {
  if (IPV4.test(text)) return 'IPv4';
  if (isIpv6(text)) return 'IPv6';
  return null;
}

/** Joins phrases into one sentence list: `a`, `a and b`, `a, b and c`. */
export function listPhrase(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A list given as an array or as comma-separated text, trimmed, without empty items. */
export function commaList(value: unknown): string[] {
  let items: unknown[] = [];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string') items = value.split(',');
  return items
    .filter((v): v is string => typeof v === 'string')
    .map(v => v.trim())
    .filter(v => v !== '');
}
