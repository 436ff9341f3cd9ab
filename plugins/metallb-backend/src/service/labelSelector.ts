import { InputError } from '@backstage/errors';

type Requirement =
  | { op: 'exists' | 'notexists'; key: string }
  | { op: 'in' | 'notin'; key: string; values: string[] };

/** Splits on commas that are not inside `(...)`. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(Boolean);
}

/**
 * Parses a Kubernetes label selector string (`a=b,c!=d,e in (f,g),!h`), the syntax of the
 * `backstage.io/kubernetes-label-selector` annotation.
 */
export function parseLabelSelector(selector: string): Requirement[] {
  return splitTerms(selector).map(term => {
    let m = /^([^\s=!(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      return {
        op: m[2] as 'in' | 'notin',
        key: m[1],
        values: m[3]
          .split(',')
          .map(v => v.trim())
          .filter(Boolean),
      };
    }
    m = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(term);
    if (m) {
      return { op: m[2] === '!=' ? 'notin' : 'in', key: m[1], values: [m[3]] };
    }
    m = /^(!?)\s*([^\s=!(),]+)$/.exec(term);
    if (m) return { op: m[1] ? 'notexists' : 'exists', key: m[2] };
    throw new InputError(`Invalid label selector term "${term}"`);
  });
}

/** Whether labels satisfy every requirement (an empty selector matches nothing, on purpose). */
export function matchesSelector(
  requirements: Requirement[],
  labels: Record<string, string>,
): boolean {
  if (requirements.length === 0) return false;
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key]);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]);
      default:
        return false;
    }
  });
}

export type LabelSelectorRequirements = Requirement[];
