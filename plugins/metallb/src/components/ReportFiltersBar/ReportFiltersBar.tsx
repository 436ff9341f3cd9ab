import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import { RULES, type ControllerId } from '@lb-doctor/plugin-metallb-common';
import type { REPORT_FILTER_KEYS, ReportFilters } from '../../api';

type FilterKey = (typeof REPORT_FILTER_KEYS)[number];

/** The controllers the engine can name (mirrors `ControllerId`, checked by the type below). */
const CONTROLLERS: ControllerId[] = [
  'metallb',
  'chisel-operator',
  'kube-vip',
  'kube-vip-cloud-provider',
  'k3s-servicelb',
  'cilium',
  'calico',
  'purelb',
  'openelb',
  'tailscale',
  'inlets',
  'loxilb',
  'aws-lbc',
  'cloud-provider',
  'unknown',
];

/** @public */
export interface ReportFiltersBarProps {
  filters: ReportFilters;
  clusters: string[];
  onChange: (key: FilterKey, value: string | undefined) => void;
}

interface Option {
  value: string;
  label: string;
}

/**
 * The report's filters. Native selects: they are keyboard and screen-reader friendly on every
 * platform, and each has a visible label tied to it by id.
 */
export function ReportFiltersBar(props: ReportFiltersBarProps) {
  const { filters, clusters, onChange } = props;

  const select = (key: FilterKey, label: string, options: Option[]) => (
    <Grid item xs={12} sm={6} md={2}>
      <TextField
        select
        fullWidth
        id={`metallb-filter-${key}`}
        label={label}
        value={filters[key] ?? ''}
        onChange={e => onChange(key, e.target.value || undefined)}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
      >
        <option value="">All</option>
        {options.map(o => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </TextField>
    </Grid>
  );

  const text = (key: FilterKey, label: string, placeholder: string) => (
    <Grid item xs={12} sm={6} md={2}>
      <TextField
        fullWidth
        id={`metallb-filter-${key}`}
        label={label}
        placeholder={placeholder}
        value={filters[key] ?? ''}
        onChange={e => onChange(key, e.target.value || undefined)}
        InputLabelProps={{ shrink: true }}
      />
    </Grid>
  );

  return (
    <Grid
      container
      spacing={2}
      component="form"
      role="search"
      aria-label="Report filters"
      onSubmit={e => e.preventDefault()}
    >
      {select(
        'cluster',
        'Cluster',
        clusters.map(c => ({ value: c, label: c })),
      )}
      {text('namespace', 'Namespace', 'e.g. shop')}
      {select(
        'rule',
        'Rule',
        RULES.map(r => ({ value: r.id, label: r.title })),
      )}
      {select('severity', 'Severity', [
        { value: 'error', label: 'Error' },
        { value: 'warning', label: 'Warning' },
        { value: 'info', label: 'Info' },
      ])}
      {select(
        'controller',
        'Controller',
        CONTROLLERS.map(c => ({ value: c, label: c })),
      )}
      {text('entity', 'Owner entity', 'component:default/web')}
    </Grid>
  );
}
