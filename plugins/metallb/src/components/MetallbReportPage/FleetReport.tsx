import type { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { metallbApiRef } from '../../api';
import { useReportFilters } from '../../hooks/useReportFilters';
import { BackendErrorPanel } from '../BackendErrorPanel';
import { AsyncBlock } from './AsyncBlock';
import { ClustersTable } from '../ClustersTable';
import { ExportLinks } from '../ExportLinks';
import { FindingsTable } from '../FindingsTable';
import { ReportFiltersBar } from '../ReportFiltersBar';
import { ScanButton } from '../ScanButton';
import { SummaryTiles } from '../SummaryTiles';
import { TrendChart } from '../TrendChart';

/**
 * Enough for a whole mid-sized fleet in one request; the table sorts and pages in the browser,
 * and the title says when the filters should be narrowed.
 */
const REPORT_LIMIT = 500;

function Section(props: { title: string; id: string; children: ReactNode }) {
  return (
    <Box component="section" mb={3} aria-labelledby={props.id}>
      <Typography variant="h6" component="h2" id={props.id} gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

/** The report's body: each section loads on its own so one slow endpoint does not blank the page. */
export function FleetReport() {
  const api = useApi(metallbApiRef);
  const { filters, setFilter } = useReportFilters();

  const report = useAsyncRetry(
    () => api.getReport({ ...filters, limit: REPORT_LIMIT }),
    [api, filters],
  );
  const clusters = useAsyncRetry(() => api.getClusters(), [api]);
  const history = useAsyncRetry(
    () => api.getHistory({ cluster: filters.cluster }),
    [api, filters.cluster],
  );

  const reloadAll = () => {
    report.retry();
    clusters.retry();
    history.retry();
  };

  return (
    <Box>
      <Box
        display="flex"
        justifyContent="space-between"
        alignItems="center"
        flexWrap="wrap"
        mb={2}
      >
        <ExportLinks filters={filters} />
        <ScanButton
          clusters={filters.cluster ? [filters.cluster] : undefined}
          onScanned={reloadAll}
        />
      </Box>

      {report.error ? (
        <BackendErrorPanel error={report.error} onRetry={report.retry} />
      ) : null}

      <Section title="Summary" id="metallb-summary">
        {report.value ? (
          <SummaryTiles summary={report.value.summary} />
        ) : (
          !report.error && <Progress />
        )}
      </Section>

      <Section title="Clusters" id="metallb-clusters">
        <AsyncBlock state={clusters}>
          {value => <ClustersTable clusters={value.items} />}
        </AsyncBlock>
      </Section>

      <Section title="Trend" id="metallb-trend">
        <AsyncBlock state={history}>
          {value => <TrendChart points={value.points} />}
        </AsyncBlock>
      </Section>

      <Section title="Findings" id="metallb-findings">
        <Box mb={2}>
          <ReportFiltersBar
            filters={filters}
            clusters={clusters.value?.items.map(c => c.name) ?? []}
            onChange={setFilter}
          />
        </Box>
        {report.value ? (
          <FindingsTable
            items={report.value.items}
            totalItems={report.value.totalItems}
          />
        ) : (
          !report.error && <Progress />
        )}
      </Section>
    </Box>
  );
}
