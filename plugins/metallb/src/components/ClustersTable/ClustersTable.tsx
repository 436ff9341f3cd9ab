import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ClusterInfo } from '../../api';

/** @public */
export interface ClustersTableProps {
  clusters: ClusterInfo[];
}

function scanState(cluster: ClusterInfo): string {
  if (!cluster.scannable)
    return `Not scannable${cluster.reason ? `: ${cluster.reason}` : ''}`;
  if (!cluster.lastScan) return 'Never scanned';
  if (!cluster.lastScan.finishedAt) return 'Scanning';
  if (cluster.lastScan.partial) {
    // The Services were read and analysed; only some other kinds were missing.
    return `Partial${
      cluster.lastScan.error ? `: ${cluster.lastScan.error}` : ''
    }`;
  }
  if (!cluster.lastScan.ok)
    return `Failed${
      cluster.lastScan.error ? `: ${cluster.lastScan.error}` : ''
    }`;
  return cluster.stale ? 'Stale' : 'OK';
}

/** Scan state per cluster: a cluster that fails to scan hides its problems, so it is listed. */
export function ClustersTable(props: ClustersTableProps) {
  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label="Clusters">
        <TableHead>
          <TableRow>
            <TableCell>Cluster</TableCell>
            <TableCell>Scan state</TableCell>
            <TableCell>Last scan</TableCell>
            <TableCell align="right">LB Services</TableCell>
            <TableCell align="right">Errors</TableCell>
            <TableCell align="right">Warnings</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.clusters.map(cluster => (
            <TableRow key={cluster.name}>
              <TableCell>
                {cluster.title ?? cluster.name}
                {cluster.title ? (
                  <Typography variant="caption" display="block">
                    {cluster.name}
                  </Typography>
                ) : null}
              </TableCell>
              <TableCell>{scanState(cluster)}</TableCell>
              <TableCell>
                {cluster.lastScan
                  ? new Date(cluster.lastScan.startedAt).toLocaleString()
                  : '—'}
              </TableCell>
              <TableCell align="right">{cluster.services}</TableCell>
              <TableCell align="right">{cluster.errors}</TableCell>
              <TableCell align="right">{cluster.warnings}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
