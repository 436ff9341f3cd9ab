import { Document } from 'yaml';
import type { ManifestObject, ManifestValue } from './util';

/*
 * A small YAML emitter for remediation manifests. Building a `yaml` Document for every failing
 * Service dominated the cost of a large analysis; manifests are plain maps, lists and scalars, so
 * they are written here directly, in exactly the text the library produces (YAML 1.1 schema, no
 * line folding). Whatever this emitter is not sure to render identically (an odd key, an empty
 * collection, a non-integer number, a list in a list, a multi-line string) makes it return
 * `undefined`, and the caller uses the library.
 */

/** Words YAML 1.1 reads as booleans or null; the library quotes them (in any of these cases). */
const YAML11_WORDS = new Set([
  'y',
  'n',
  'yes',
  'no',
  'true',
  'false',
  'on',
  'off',
  'null',
]);

/**
 * Starts with a letter and holds only characters no YAML 1.1 scalar type or indicator uses. Long
 * keys need YAML's explicit-key form (from 1024 characters), so the emitter stops well short.
 */
const SIMPLE = /^[A-Za-z][A-Za-z0-9._/-]{0,511}$/;

/** A float in YAML 1.1 even though it starts with a letter: `e4` (the mantissa is optional). */
const LETTER_FLOAT = /^[eE][0-9]+$/;

function isSimple(text: string): boolean {
  return (
    SIMPLE.test(text) &&
    !YAML11_WORDS.has(text.toLowerCase()) &&
    !LETTER_FLOAT.test(text)
  );
}

/**
 * Values the library also writes plain: a letter first, then colons allowed too (IPv6 addresses),
 * but not at the end; or an IPv4 address, optionally followed by more addresses after commas
 * (the loadBalancerIPs annotation). Every Service has its own addresses, so these are not left to
 * the per-string cache.
 */
const PLAIN_VALUE =
  /^(?:[A-Za-z][A-Za-z0-9._/:-]{0,511}|[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?:,[A-Za-z0-9.:]{0,64})*)$/;

function isPlainValue(text: string): boolean {
  return (
    PLAIN_VALUE.test(text) &&
    !text.endsWith(':') &&
    !text.endsWith(',') &&
    !YAML11_WORDS.has(text.toLowerCase()) &&
    !LETTER_FLOAT.test(text)
  );
}

/** Whether a comment line prints as `# line` (no blank, padded or control-character lines). */
function isPlainCommentLine(line: string): boolean {
  if (line === '' || line !== line.trim()) return false;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/** The library's rendering of other strings as map values, asked once per distinct string. */
const scalarTexts = new Map<string, string | null>();
const SCALAR_TEXTS_LIMIT = 1 << 14;

function libraryScalar(text: string): string | null {
  let rendered = scalarTexts.get(text);
  if (rendered === undefined) {
    const doc = new Document({ k: text }, { version: '1.1' }).toString({
      lineWidth: 0,
    });
    const body = doc.slice(3, -1);
    rendered =
      doc.startsWith('k: ') &&
      doc.endsWith('\n') &&
      body !== '' &&
      !body.includes('\n')
        ? body
        : null;
    if (scalarTexts.size >= SCALAR_TEXTS_LIMIT) scalarTexts.clear();
    scalarTexts.set(text, rendered);
  }
  return rendered;
}

/** A scalar as the library writes it, `undefined` when it is not a scalar this emitter handles. */
function scalar(value: ManifestValue): string | undefined {
  if (typeof value === 'string') {
    if (isPlainValue(value)) return value;
    return libraryScalar(value) ?? undefined;
  }
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && !Object.is(value, -0)
      ? String(value)
      : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  return undefined;
}

class Unsupported extends Error {}

function isNonEmptyMap(value: ManifestValue): value is ManifestObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0
  );
}

function isNonEmptyList(value: ManifestValue): value is ManifestValue[] {
  return Array.isArray(value) && value.length > 0;
}

/**
 * Writes a map's entries, each on its own line at `indent`; the first line starts with `first`
 * instead (how a map inside a list item begins on the `- ` line).
 */
function writeMap(
  out: string[],
  map: ManifestObject,
  indent: string,
  first: string,
): void {
  let lead = first;
  for (const key of Object.keys(map)) {
    if (!isSimple(key)) throw new Unsupported();
    const value = map[key];
    const inner = `${indent}  `;
    if (isNonEmptyMap(value)) {
      out.push(`${lead}${key}:\n`);
      writeMap(out, value, inner, inner);
    } else if (isNonEmptyList(value)) {
      out.push(`${lead}${key}:\n`);
      writeList(out, value, inner);
    } else {
      const text = scalar(value);
      if (text === undefined) throw new Unsupported();
      out.push(`${lead}${key}: ${text}\n`);
    }
    lead = indent;
  }
}

function writeList(out: string[], list: ManifestValue[], indent: string) {
  for (const item of list) {
    if (isNonEmptyMap(item)) {
      writeMap(out, item, `${indent}  `, `${indent}- `);
    } else {
      const text = scalar(item);
      if (text === undefined) throw new Unsupported();
      out.push(`${indent}- ${text}\n`);
    }
  }
}

/**
 * One document as `new Document(object, { version: '1.1' })` with `commentBefore` set to the
 * comment's lines (each prefixed with a space) prints it with `lineWidth: 0`; `undefined` when the
 * library must do it.
 */
export function emitYamlDocument(
  object: ManifestObject,
  comment?: string,
): string | undefined {
  if (!isNonEmptyMap(object)) return undefined;
  const out: string[] = [];
  if (comment) {
    for (const line of comment.split('\n')) {
      // Anything else is the library's to handle.
      if (!isPlainCommentLine(line)) return undefined;
      out.push(`# ${line}\n`);
    }
    out.push('\n');
  }
  try {
    writeMap(out, object, '', '');
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return out.join('');
}
