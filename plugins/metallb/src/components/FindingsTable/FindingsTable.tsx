import { Link, Table, type TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import type { Severity } from '@lb-doctor/plugin-metallb-common';
import type { ReportItem } from '../../api';
import { useEntityLinks } from '../../hooks/useEntityLinks';
import { compareSeverity, describeRule } from '../../utils/severity';
import { StatusChip } from '../StatusChip';

/** One finding of one Service: the table's row. */
interface FindingRow {
  id: string;
  cluster: string;
  namespace: string;
  service: string;
  rule: string;
  ruleTitle: string;
  message: string;
  severity: Severity;
  controllers: string;
  entityRefs: string[];
  /** The refs joined, so the column sorts and the table's own filter can match them. */
  owners: string;
}

/** @public */
export interface FindingsTableProps {
  items: ReportItem[];
  totalItems: number;
}

/** Flattens Services into one row per finding; Services without findings have nothing to list. */
export function toFindingRows(items: ReportItem[]): FindingRow[] {
  return items.flatMap(item =>
    item.service.findings.map((finding, index) => ({
      id: `${item.cluster}/${item.service.namespace}/${item.service.name}/${finding.rule}/${index}`,
      cluster: item.cluster,
      namespace: item.service.namespace,
      service: item.service.name,
      rule: finding.rule,
      ruleTitle: describeRule(finding.rule).title,
      message: finding.message,
      severity: finding.severity,
      controllers: item.service.owners.map(o => o.controller).join(', '),
      entityRefs: item.entityRefs,
      owners: item.entityRefs.join(', '),
    })),
  );
}

/**
 * Links to the entity pages. Without a catalog route in the app (a bare test app) the refs stay
 * plain text rather than breaking the table.
 */
function OwnerEntities(props: { refs: string[]; linked: boolean }) {
  const { refs, linked } = props;
  if (refs.length === 0) return <>not mapped</>;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 2 }}>
      {refs.map(ref =>
        linked ? (
          // The full ref as text: unambiguous, and what the Owner entity filter takes.
          <EntityRefLink key={ref} entityRef={ref}>
            {ref}
          </EntityRefLink>
        ) : (
          <span key={ref}>{ref}</span>
        ),
      )}
    </Box>
  );
}

/** The fleet's findings, sortable by every column; filtering happens in the URL-driven filters. */
export function FindingsTable(props: FindingsTableProps) {
  const { items, totalItems } = props;
  const links = useEntityLinks();
  const rows = toFindingRows(items);

  const columns: TableColumn<FindingRow>[] = [
    { title: 'Cluster', field: 'cluster' },
    { title: 'Namespace', field: 'namespace' },
    {
      title: 'Service',
      field: 'service',
      render: row =>
        row.entityRefs.length > 0 && links ? (
          <Link to={links(row.entityRefs[0]).tab}>{row.service}</Link>
        ) : (
          row.service
        ),
    },
    {
      title: 'Rule',
      field: 'ruleTitle',
      render: row => (
        <span title={row.message}>
          {row.ruleTitle}
          <br />
          <code>{row.rule}</code>
        </span>
      ),
    },
    {
      title: 'Severity',
      field: 'severity',
      defaultSort: 'asc',
      customSort: (a, b) => compareSeverity(a.severity, b.severity),
      render: row => <StatusChip status={row.severity} />,
    },
    { title: 'Controller', field: 'controllers' },
    {
      title: 'Owner entity',
      field: 'owners',
      render: row => <OwnerEntities refs={row.entityRefs} linked={!!links} />,
    },
  ];

  const shown =
    items.length < totalItems
      ? ` (first ${items.length} of ${totalItems} Services; narrow the filters or export for all)`
      : '';

  return (
    <Table<FindingRow>
      title={`Findings${shown}`}
      columns={columns}
      data={rows}
      options={{ paging: true, pageSize: 20, search: false, padding: 'dense' }}
    />
  );
}
