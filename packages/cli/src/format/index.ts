import type { Formatter } from './context';
import { formatJson } from './json';
import { formatMarkdown } from './markdown';
import { formatSarif } from './sarif';
import { formatTable } from './table';

export type { FormatContext, Formatter } from './context';

export const FORMAT_NAMES = ['table', 'json', 'markdown', 'sarif'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

const FORMATTERS: Record<FormatName, Formatter> = {
  table: formatTable,
  json: formatJson,
  markdown: formatMarkdown,
  sarif: formatSarif,
};

export function formatReport(
  name: FormatName,
  ...args: Parameters<Formatter>
): string {
  return FORMATTERS[name](...args);
}
