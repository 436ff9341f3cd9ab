import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  MetallbOutcome,
  RequestSource,
} from '@lb-doctor/plugin-metallb-common';
import type { ClusterServiceReport } from '../../api';
import { OwnerChips } from '../OwnerChips';
import { StatusChip } from '../StatusChip';

/** Where a requested IP comes from, worded so the deprecated ones stand out. */
const SOURCE_LABELS: Record<RequestSource, string> = {
  'spec.loadBalancerIP': 'spec.loadBalancerIP (deprecated field)',
  'metallb.universe.tf/loadBalancerIPs':
    'annotation metallb.universe.tf/loadBalancerIPs (deprecated)',
  'metallb.io/loadBalancerIPs': 'annotation metallb.io/loadBalancerIPs',
};

const OUTCOME_LABELS: Record<MetallbOutcome, string> = {
  keep: 'Keeps the current IPs',
  assign: 'Assigns new IPs',
  clear: 'Removes the IPs',
  fail: 'Cannot assign an IP',
  ignore: 'Does not handle it',
  unknown: 'Unknown (config not read)',
};

/** @public */
export interface ServicesTableProps {
  services: ClusterServiceReport[];
}

/** Per Service: what it asks for, what it has, who acts on it and what MetalLB will do. */
export function ServicesTable(props: ServicesTableProps) {
  const { services } = props;
  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label="LoadBalancer Services">
        <TableHead>
          <TableRow>
            <TableCell>Cluster</TableCell>
            <TableCell>Service</TableCell>
            <TableCell>Requested IPs</TableCell>
            <TableCell>Assigned IPs</TableCell>
            <TableCell>Owners</TableCell>
            <TableCell>MetalLB verdict</TableCell>
            <TableCell>Status</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {services.map(service => (
            <TableRow
              key={`${service.cluster}/${service.namespace}/${service.name}`}
            >
              <TableCell>{service.cluster}</TableCell>
              <TableCell>
                {service.namespace}/{service.name}
                {service.loadBalancerClass ? (
                  <Typography variant="caption" display="block">
                    class {service.loadBalancerClass}
                  </Typography>
                ) : null}
              </TableCell>
              <TableCell>
                {service.requested.length === 0
                  ? 'any'
                  : service.requested.map(request => (
                      <div key={`${request.source}-${request.value}`}>
                        {request.value}
                        <Typography variant="caption" display="block">
                          from {SOURCE_LABELS[request.source] ?? request.source}
                        </Typography>
                      </div>
                    ))}
              </TableCell>
              <TableCell>
                {service.ingress.length ? service.ingress.join(', ') : 'none'}
              </TableCell>
              <TableCell>
                <OwnerChips owners={service.owners} />
              </TableCell>
              <TableCell>
                {OUTCOME_LABELS[service.metallb.outcome] ??
                  service.metallb.outcome}
                {service.metallb.ips.length ? (
                  <Typography variant="caption" display="block">
                    IPs {service.metallb.ips.join(', ')}
                  </Typography>
                ) : null}
                <Typography variant="caption" display="block">
                  pool {service.metallb.pool ?? 'none'}
                </Typography>
                {service.metallb.event ? (
                  <Typography variant="caption" display="block">
                    {service.metallb.event.reason}:{' '}
                    {service.metallb.event.message}
                  </Typography>
                ) : null}
              </TableCell>
              <TableCell>
                <StatusChip status={service.status} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
