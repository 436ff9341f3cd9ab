import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Entity } from '@backstage/catalog-model';
import { EmptyState, Progress } from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { useEntityReport } from '../../hooks/useEntityReport';
import { BackendErrorPanel } from '../BackendErrorPanel';
import { BrowserAnalysis } from '../BrowserAnalysis';
import { ClusterProblems } from '../ClusterProblems';
import { FindingsList } from '../FindingsList';
import { ScanButton } from '../ScanButton';
import { ServicesTable } from '../ServicesTable';

/** @public */
export interface EntityLoadBalancersProps {
  entity: Entity;
}

/** The tab's body once the entity is known to be annotated and the user may read reports. */
export function EntityLoadBalancers(props: EntityLoadBalancersProps) {
  const { value, loading, error, retry } = useEntityReport(props.entity);

  // Keep showing old data while a retry after "Scan now" runs, so the page does not flash.
  if (loading && !value) {
    return <Progress />;
  }
  if (error) {
    return <BackendErrorPanel error={error} onRetry={retry} />;
  }
  if (!value) {
    return null;
  }
  if (value.missingAnnotation) {
    return <MissingAnnotationEmptyState annotation={value.missingAnnotation} />;
  }

  const clusterNames = value.clusters.map(c => c.name);

  return (
    <Box>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        mb={2}
      >
        <Typography variant="body2" color="textSecondary">
          {value.scannedAt
            ? `Last scan: ${new Date(value.scannedAt).toLocaleString()}`
            : 'Not scanned yet'}
        </Typography>
        <ScanButton clusters={clusterNames} onScanned={retry} />
      </Box>
      <ClusterProblems clusters={value.clusters} />
      {value.services.length === 0 ? (
        <EmptyState
          missing="data"
          title="No LoadBalancer Services"
          description={
            clusterNames.length
              ? `No Service of type LoadBalancer belongs to this entity in ${clusterNames.join(
                  ', ',
                )}.`
              : 'No Service of type LoadBalancer belongs to this entity in any scanned cluster.'
          }
        />
      ) : (
        <>
          <FindingsList services={value.services} />
          <Typography variant="h6" component="h2" gutterBottom>
            Services
          </Typography>
          <ServicesTable services={value.services} />
        </>
      )}
      <BrowserAnalysis entity={props.entity} />
    </Box>
  );
}
