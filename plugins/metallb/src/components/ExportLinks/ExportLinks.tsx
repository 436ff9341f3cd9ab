import type { MouseEvent } from 'react';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import {
  metallbApiRef,
  type ExportFormat,
  type ReportFilters,
} from '../../api';

const FORMATS: Array<{ format: ExportFormat; label: string; ext: string }> = [
  { format: 'csv', label: 'CSV', ext: 'csv' },
  { format: 'json', label: 'JSON', ext: 'json' },
  { format: 'markdown', label: 'Markdown', ext: 'md' },
];

/** @public */
export interface ExportLinksProps {
  filters: ReportFilters;
}

/**
 * Export links for the current filters. The href is the real endpoint (copyable into scripts);
 * a click downloads through fetchApi instead, because a plain navigation would not carry the
 * user's Backstage token.
 */
export function ExportLinks(props: ExportLinksProps) {
  const { filters } = props;
  const api = useApi(metallbApiRef);
  const alertApi = useApi(alertApiRef);
  const { value: urls } = useAsync(async () => {
    const entries = await Promise.all(
      FORMATS.map(
        async f =>
          [f.format, await api.getExportUrl(f.format, filters)] as const,
      ),
    );
    return Object.fromEntries(entries) as Record<ExportFormat, string>;
  }, [api, filters]);

  const download = async (
    event: MouseEvent,
    format: ExportFormat,
    ext: string,
  ) => {
    // Blob URLs are not available everywhere (e.g. some test DOMs); then the link is followed.
    if (typeof URL.createObjectURL !== 'function') return;
    event.preventDefault();
    try {
      const blob = await api.exportReport(format, filters);
      const objectUrl = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = objectUrl;
      anchor.download = `lb-doctor-report.${ext}`;
      anchor.click();
      URL.revokeObjectURL(objectUrl);
    } catch (e) {
      alertApi.post({
        message: `Export failed: ${e instanceof Error ? e.message : String(e)}`,
        severity: 'error',
      });
    }
  };

  return (
    <Box display="flex" alignItems="center" style={{ gap: 12 }}>
      <Typography variant="body2">Export:</Typography>
      {FORMATS.map(f => (
        <Link
          key={f.format}
          href={urls?.[f.format] ?? '#'}
          aria-label={`Export ${f.label}`}
          onClick={(event: MouseEvent) => download(event, f.format, f.ext)}
        >
          {f.label}
        </Link>
      ))}
    </Box>
  );
}
