/**
 * Finds where each element of the top-level `items` array starts in a JSON text, so that objects of
 * a `kubectl get -o json` List can be given line numbers without a position-tracking parser (which
 * would be far slower than JSON.parse on multi-megabyte dumps).
 *
 * Assumes the text is valid JSON (it runs after JSON.parse succeeded). Returns `undefined` when the
 * top level is not an object with an `items` array.
 */
export function jsonItemOffsets(text: string): number[] | undefined {
  let depth = 0;
  let lastString = '';
  let key = '';
  let inItems = false;
  let expectElement = false;
  let offsets: number[] | undefined;

  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
    if (offsets && inItems && depth === 2 && expectElement && c !== ']') {
      offsets.push(i);
      expectElement = false;
    }
    if (c === '"') {
      const start = i + 1;
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') i++;
      }
      // Only top-level keys matter; skip building strings elsewhere.
      lastString = depth === 1 ? text.slice(start, i) : '';
      continue;
    }
    switch (c) {
      case ':':
        if (depth === 1) key = lastString;
        break;
      case '{':
        depth++;
        break;
      case '[':
        depth++;
        if (depth === 2 && key === 'items' && offsets === undefined) {
          inItems = true;
          expectElement = true;
          offsets = [];
        }
        break;
      case '}':
      case ']':
        depth--;
        if (inItems && depth === 1) inItems = false;
        break;
      case ',':
        if (inItems && depth === 2) expectElement = true;
        if (depth === 1) key = '';
        break;
      default:
        break;
    }
  }
  return offsets;
}
