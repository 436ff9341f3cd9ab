import type { LabelSelector } from '../model/kubernetes';

/** A compiled label selector; `matches` follows `metav1.LabelSelectorAsSelector` semantics. @public */
export interface CompiledSelector {
  matches(labels: Record<string, string> | undefined): boolean;
  /** The selector as `kubectl` prints it, e.g. `app=web,tier in (a,b)`. */
  text: string;
}

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Compiles a LabelSelector. Returns an error text for selectors Kubernetes rejects (unknown
 * operator, values with Exists, invalid keys): MetalLB then rejects the whole configuration.
 * An empty selector matches everything, as in Kubernetes.
 * @public
 */
export function compileSelector(
  selector: unknown,
): CompiledSelector | { error: string } {
  if (selector === null || selector === undefined) return everything();
  if (!isStringMap(selector))
    return { error: 'label selector is not an object' };
  const { matchLabels, matchExpressions } = selector as LabelSelector;
  const checks: Array<(labels: Record<string, string>) => boolean> = [];
  const parts: string[] = [];
  if (matchLabels !== undefined) {
    if (!isStringMap(matchLabels)) return { error: 'matchLabels is not a map' };
    for (const [key, value] of Object.entries(matchLabels).sort()) {
      if (!KEY.test(key)) return { error: `invalid label key "${key}"` };
      if (typeof value !== 'string' || !VALUE.test(value)) {
        return {
          error: `invalid label value: "${String(value)}" for key "${key}"`,
        };
      }
      checks.push(labels => labels[key] === value);
      parts.push(`${key}=${value}`);
    }
  }
  if (matchExpressions !== undefined) {
    if (!Array.isArray(matchExpressions))
      return { error: 'matchExpressions is not a list' };
    for (const expression of matchExpressions) {
      if (!isStringMap(expression))
        return { error: 'a matchExpressions entry is not an object' };
      const key = expression.key;
      const operator = expression.operator;
      const values: unknown = (expression as { values?: unknown }).values;
      if (typeof key !== 'string' || !KEY.test(key))
        return { error: `invalid label key "${String(key)}"` };
      const list = Array.isArray(values) ? values.map(String) : [];
      switch (operator) {
        case 'In':
        case 'NotIn': {
          if (list.length === 0) {
            return {
              error: `for 'in', 'notin' operators, values set can't be empty`,
            };
          }
          const set = new Set(list);
          const isIn = operator === 'In';
          checks.push(
            labels => (key in labels && set.has(labels[key])) === isIn,
          );
          parts.push(
            `${key} ${isIn ? 'in' : 'notin'} (${[...set].sort().join(',')})`,
          );
          break;
        }
        case 'Exists':
        case 'DoesNotExist': {
          if (list.length > 0) {
            return {
              error: `values set must be empty for exists and does not exist`,
            };
          }
          const exists = operator === 'Exists';
          checks.push(labels => key in labels === exists);
          parts.push(exists ? key : `!${key}`);
          break;
        }
        default:
          return {
            error: `"${String(
              operator,
            )}" is not a valid label selector operator`,
          };
      }
    }
  }
  return {
    text: parts.join(','),
    matches: labels => {
      const safe = isStringMap(labels) ? labels : {};
      return checks.every(check => check(safe));
    },
  };
}

function everything(): CompiledSelector {
  return { text: '', matches: () => true };
}

/** Whether compileSelector failed. @public */
export function isSelectorError(
  value: CompiledSelector | { error: string },
): value is { error: string } {
  return 'error' in value;
}

/** `labels.Set(m).String()`: sorted `k=v` pairs joined by commas (MetalLB's backend key). @public */
export function labelSetString(
  labels: Record<string, string> | undefined,
): string {
  if (!isStringMap(labels)) return '';
  return Object.keys(labels)
    .sort()
    .map(k => `${k}=${labels[k]}`)
    .join(',');
}
