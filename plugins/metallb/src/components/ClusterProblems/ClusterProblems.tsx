import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { WarningPanel } from '@backstage/core-components';
import type { EntityClusterState } from '../../api';
import { CodeBlock } from '../CodeBlock';

/** @public */
export interface ClusterProblemsProps {
  clusters: EntityClusterState[];
}

/**
 * Clusters that could not be scanned, or whose data is old. Shown above the results because
 * missing data from a cluster means "no findings" there proves nothing.
 */
export function ClusterProblems(props: ClusterProblemsProps) {
  const failing = props.clusters.filter(c => c.error);
  const stale = props.clusters.filter(c => !c.error && c.stale);
  if (failing.length === 0 && stale.length === 0) {
    return null;
  }
  return (
    <Box mb={2}>
      {failing.map(cluster => (
        <Box mb={1} key={cluster.name}>
          <WarningPanel
            severity="error"
            title={`Cluster ${cluster.name} could not be scanned`}
            message={cluster.error?.message}
            defaultExpanded
          >
            <Box width="100%">
              {cluster.error?.action ? (
                <Typography variant="body2">{cluster.error.action}</Typography>
              ) : null}
              {cluster.error?.yaml ? (
                <CodeBlock
                  code={cluster.error.yaml}
                  title={`RBAC for ${cluster.name}`}
                />
              ) : null}
            </Box>
          </WarningPanel>
        </Box>
      ))}
      {stale.map(cluster => (
        <Typography variant="body2" key={cluster.name} role="status">
          Results from cluster {cluster.name} are stale
          {cluster.scannedAt
            ? ` (last scan ${new Date(cluster.scannedAt).toLocaleString()})`
            : ''}
          .
        </Typography>
      ))}
    </Box>
  );
}
