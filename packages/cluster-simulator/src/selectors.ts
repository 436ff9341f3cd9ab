import { badRequest } from './status';

/**
 * Label and field selectors as the API server parses them from query strings. Labels support
 * `=`, `==`, `!=`, `in (...)`, `notin (...)`, `key` and `!key`; fields support `=`, `==`, `!=`.
 */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_./]*[a-z0-9A-Z])?)$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses (the separators of `in (a,b)` lists). */
function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

function checkKey(key: string, raw: string): string {
  if (!KEY.test(key)) {
    throw badRequest(
      `unable to parse requirement: invalid label key "${key}" in "${raw}"`,
    );
  }
  return key;
}

function checkValue(value: string, raw: string): string {
  if (!VALUE.test(value)) {
    throw badRequest(
      `unable to parse requirement: invalid label value "${value}" in "${raw}"`,
    );
  }
  return value;
}

export function parseLabelSelector(raw: string | null): LabelRequirement[] {
  if (!raw) return [];
  return splitTopLevel(raw).map(part => {
    let m = part.match(/^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/);
    if (m) {
      const values = m[3]
        .split(',')
        .map(v => v.trim())
        .filter(v => v !== '')
        .map(v => checkValue(v, part));
      return { key: checkKey(m[1], part), op: m[2] as 'in' | 'notin', values };
    }
    m = part.match(/^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/);
    if (m) {
      return {
        key: checkKey(m[1], part),
        op: m[2] === '!=' ? 'neq' : 'eq',
        value: checkValue(m[3], part),
      };
    }
    m = part.match(/^(!?)\s*([^!=\s()]+)$/);
    if (m) {
      return { key: checkKey(m[2], part), op: m[1] ? 'notexists' : 'exists' };
    }
    throw badRequest(
      `unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`,
    );
  });
}

export function matchLabels(
  reqs: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return reqs.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value;
      case 'neq':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      default:
        return !has;
    }
  });
}

export interface FieldRequirement {
  field: string;
  op: 'eq' | 'neq';
  value: string;
}

export function parseFieldSelector(raw: string | null): FieldRequirement[] {
  if (!raw) return [];
  return splitTopLevel(raw).map(part => {
    const m = part.match(/^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) {
      throw badRequest(
        `invalid selector: '${raw}'; can't understand '${part}'`,
      );
    }
    return {
      field: m[1],
      op: m[2] === '!=' ? 'neq' : 'eq',
      value: m[3].trim(),
    };
  });
}

/** Field selectors each resource's registry strategy exposes (`GetAttrs`/`SelectableFields`). */
const EVENT_FIELDS = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
];
const EVENTS_V1_FIELDS = [
  'regarding.kind',
  'regarding.namespace',
  'regarding.name',
  'regarding.uid',
  'regarding.apiVersion',
  'regarding.resourceVersion',
  'regarding.fieldPath',
  'reason',
  'reportingController',
  'type',
];

export function supportedFields(group: string, plural: string): string[] {
  const base = ['metadata.name', 'metadata.namespace'];
  if (plural === 'events') {
    return base.concat(
      group === 'events.k8s.io' ? EVENTS_V1_FIELDS : EVENT_FIELDS,
    );
  }
  if (plural === 'services' && group === '')
    return base.concat(['spec.clusterIP', 'spec.type']);
  if (plural === 'pods' && group === '') {
    return base.concat([
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ]);
  }
  return base;
}

export function validateFieldSelector(
  reqs: FieldRequirement[],
  group: string,
  plural: string,
): void {
  const allowed = supportedFields(group, plural);
  for (const r of reqs) {
    if (!allowed.includes(r.field)) {
      throw badRequest(`field label not supported: ${r.field}`);
    }
  }
}

function readField(obj: Record<string, unknown>, field: string): string {
  // `source` on core events is the component name, as in the registry's GetAttrs.
  if (field === 'source') return readField(obj, 'source.component');
  let cur: unknown = obj;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return String(cur);
}

export function matchFields(
  reqs: FieldRequirement[],
  obj: Record<string, unknown>,
): boolean {
  return reqs.every(r =>
    r.op === 'eq'
      ? readField(obj, r.field) === r.value
      : readField(obj, r.field) !== r.value,
  );
}
