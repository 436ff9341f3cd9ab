import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { REPORT_FILTER_KEYS, type ReportFilters } from '../api';

type FilterKey = (typeof REPORT_FILTER_KEYS)[number];

/**
 * The report's filters live in the URL's search params, so a filtered view can be pasted into
 * chat or a runbook and opens the same for the reader.
 */
export function useReportFilters(): {
  filters: ReportFilters;
  setFilter: (key: FilterKey, value: string | undefined) => void;
} {
  const [searchParams, setSearchParams] = useSearchParams();

  const filters = useMemo(() => {
    const result: Record<string, string> = {};
    for (const key of REPORT_FILTER_KEYS) {
      const value = searchParams.get(key);
      if (value) result[key] = value;
    }
    // Values are checked by the backend; an unknown rule or severity just matches nothing.
    return result as ReportFilters;
  }, [searchParams]);

  const setFilter = useCallback(
    (key: FilterKey, value: string | undefined) => {
      setSearchParams(
        previous => {
          const next = new URLSearchParams(previous);
          if (value) next.set(key, value);
          else next.delete(key);
          return next;
        },
        // Typing in a text filter should not leave one history entry per keystroke.
        { replace: true },
      );
    },
    [setSearchParams],
  );

  return { filters, setFilter };
}
