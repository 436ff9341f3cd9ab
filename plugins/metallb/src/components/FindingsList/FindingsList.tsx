import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { ClusterServiceReport } from '../../api';
import { compareSeverity } from '../../utils/severity';
import { FindingAccordion } from '../FindingAccordion';

/** @public */
export interface FindingsListProps {
  services: ClusterServiceReport[];
}

/** Every finding of the given Services, worst first, so the thing to fix first is on top. */
export function FindingsList(props: FindingsListProps) {
  const rows = props.services
    .flatMap(service =>
      service.findings.map((finding, index) => ({
        finding,
        subject: `${service.cluster}: ${service.namespace}/${service.name}`,
        key: `${service.cluster}-${service.namespace}-${service.name}-${finding.rule}-${index}`,
      })),
    )
    // Array.prototype.sort is stable, so the engine's root-cause order survives within a severity.
    .sort((a, b) => compareSeverity(a.finding.severity, b.finding.severity));

  return (
    <Box mb={3} component="section" aria-labelledby="metallb-findings-heading">
      <Typography variant="h6" component="h2" id="metallb-findings-heading">
        Findings ({rows.length})
      </Typography>
      {rows.length === 0 ? (
        <Typography variant="body2">
          No findings: every LoadBalancer Service of this entity looks healthy.
        </Typography>
      ) : (
        rows.map((row, index) => (
          <FindingAccordion
            key={row.key}
            id={`metallb-finding-${index}`}
            finding={row.finding}
            subject={row.subject}
          />
        ))
      )}
    </Box>
  );
}
