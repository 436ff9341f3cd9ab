import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../model/kubernetes';
import { flattenDocument, type FlattenSink } from './flatten';
import { jsonItemOffsets } from './jsonItemOffsets';
import { lineIndex } from './lines';
import type { InputProblem, ManifestLocation } from './types';

/** @public */
export interface ParseManifestsOptions {
  /**
   * Texts longer than this many characters are refused rather than parsed, so a stray dump of
   * unrelated data cannot exhaust memory. Default 128 Mi characters.
   */
  maxLength?: number;
  /** Limit on YAML alias expansion (billion-laughs guard). Default 100. */
  maxAliasCount?: number;
}

/** @public */
export interface ParsedManifests {
  /** Every object found, Lists flattened into their items, in input order. */
  objects: KubeObject[];
  /** Where each object came from (keyed by the objects in `objects`). */
  locations: Map<KubeObject, ManifestLocation>;
  problems: InputProblem[];
}

const DEFAULT_MAX_LENGTH = 128 * 1024 * 1024;
const DEFAULT_MAX_ALIAS_COUNT = 100;

/**
 * Parses YAML (one or many documents) or JSON text into Kubernetes objects, flattening `kind: List`
 * and typed lists such as `ServiceList`. Never throws: unreadable parts become problems with
 * severity `error`, documents that are not objects become `warning`s.
 * @public
 */
export function parseManifests(
  text: string,
  source: string,
  options: ParseManifestsOptions = {},
): ParsedManifests {
  const sink: FlattenSink = { objects: [], locations: new Map(), problems: [] };
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    sink.problems.push({
      severity: 'error',
      source,
      message: `input is ${text.length} characters, more than the limit of ${maxLength}`,
    });
    return sink;
  }
  // Strip a byte-order mark: editors on Windows add one and both parsers choke on it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!parseJson(body, source, sink)) {
    parseYaml(
      body,
      source,
      options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT,
      sink,
    );
  }
  return sink;
}

/**
 * JSON.parse is an order of magnitude faster than a YAML parser on large `kubectl get -o json`
 * dumps. Returns false when the text is not JSON, so the caller falls back to YAML (which also
 * accepts JSON-like flow mappings and gives positioned errors).
 */
function parseJson(text: string, source: string, sink: FlattenSink): boolean {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return false;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  const offsets = jsonItemOffsets(text);
  const lineOf = lineIndex(text);
  const start = lineOf(text.length - text.trimStart().length);
  flattenDocument(value, { source, document: 1, line: start }, sink, index =>
    offsets?.[index] === undefined ? undefined : lineOf(offsets[index]),
  );
  return true;
}

function parseYaml(
  text: string,
  source: string,
  maxAliasCount: number,
  sink: FlattenSink,
): void {
  const lineCounter = new LineCounter();
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  let documents;
  try {
    // merge keys: Kubernetes' YAML decoder (go-yaml) honours `<<`, so manifests may use them.
    documents = parseAllDocuments(text, {
      lineCounter,
      prettyErrors: false,
      merge: true,
    });
  } catch (error) {
    sink.problems.push({
      severity: 'error',
      source,
      message: `cannot parse: ${messageOf(error)}`,
    });
    return;
  }
  documents.forEach((doc, index) => {
    const document = index + 1;
    if (doc.errors.length > 0) {
      const error = doc.errors[0];
      sink.problems.push({
        severity: 'error',
        source,
        document,
        line: lineAt(error.pos[0]),
        message: `invalid YAML: ${firstLine(error.message)}`,
      });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (error) {
      sink.problems.push({
        severity: 'error',
        source,
        document,
        line: lineAt(doc.range[0]),
        message: `cannot read document: ${messageOf(error)}`,
      });
      return;
    }
    // A document with only comments or `---` decodes to null and is not an error.
    if (value === null || value === undefined) return;
    const contents = doc.contents;
    const itemsNode = isMap(contents) ? contents.get('items', true) : contents;
    const itemNodes = isSeq(itemsNode) ? itemsNode.items : [];
    const startOf = (node: unknown): number | undefined => {
      const range = (node as { range?: [number, number, number] } | null)
        ?.range;
      return range ? lineAt(range[0]) : undefined;
    };
    flattenDocument(
      value,
      { source, document, line: startOf(contents) ?? lineAt(doc.range[0]) },
      sink,
      i => startOf(itemNodes[i]),
    );
  });
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0].trim();
}

function messageOf(error: unknown): string {
  return firstLine(error instanceof Error ? error.message : String(error));
}
