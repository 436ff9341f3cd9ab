import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Entity } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import type { ServiceStatus } from '@lb-doctor/plugin-metallb-common';
import { useEntityReport } from '../../hooks/useEntityReport';
import { compareSeverity } from '../../utils/severity';
import { StatusChip } from '../StatusChip';

/** @public */
export interface EntityHealthSummaryProps {
  entity: Entity;
}

/** Counts by status and the worst status; details belong on the tab. */
export function EntityHealthSummary(props: EntityHealthSummaryProps) {
  const { value, loading, error } = useEntityReport(props.entity);
  if (loading) {
    return <Progress />;
  }
  if (error || !value) {
    return (
      <Typography color="error" role="alert">
        Could not load load balancer data: {error?.message ?? 'no data'}
      </Typography>
    );
  }
  const { services, clusters } = value;
  if (services.length === 0) {
    return <Typography>No LoadBalancer Services.</Typography>;
  }
  const count = (status: ServiceStatus) =>
    services.filter(s => s.status === status).length;
  const worst = services.map(s => s.status).sort(compareSeverity)[0];
  const findings = services.reduce((n, s) => n + s.findings.length, 0);
  const failing = clusters.filter(c => c.error).length;
  return (
    <Box>
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
        <StatusChip status={worst} />
        <Typography>
          {services.length} LoadBalancer Service
          {services.length === 1 ? '' : 's'}, {findings} finding
          {findings === 1 ? '' : 's'}
        </Typography>
      </Box>
      <Typography variant="body2">
        {count('error')} error · {count('warning')} warning · {count('info')}{' '}
        info · {count('ok')} ok
      </Typography>
      {failing ? (
        <Typography variant="body2" color="error">
          {failing} cluster{failing === 1 ? '' : 's'} could not be scanned
        </Typography>
      ) : null}
      {value.scannedAt ? (
        <Typography variant="caption" color="textSecondary">
          Last scan {new Date(value.scannedAt).toLocaleString()}
        </Typography>
      ) : null}
    </Box>
  );
}
