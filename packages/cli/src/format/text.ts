/** Plain-text layout helpers for the table format. */

const ELLIPSIS = '…';

/** Cuts text to `width` columns, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return `${text.slice(0, width - 1)}${ELLIPSIS}`;
}

/**
 * Wraps text at spaces to lines of at most `width` columns, each prefixed with `indent`; words
 * longer than a line are split so that no line ever exceeds the width.
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  const room = Math.max(width - indent.length, 1);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (let word of paragraph.split(/\s+/).filter(Boolean)) {
      while (word.length > room) {
        if (line) lines.push(line);
        line = '';
        lines.push(word.slice(0, room));
        word = word.slice(room);
      }
      if (!line) line = word;
      else if (line.length + 1 + word.length <= room) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
  }
  return lines.map(l => indent + l);
}

/** Pads or truncates to exactly `width` columns. */
export function cell(text: string, width: number): string {
  return truncate(text, width).padEnd(width);
}
