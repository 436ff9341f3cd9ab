import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { Finding } from '@lb-doctor/plugin-metallb-common';
import { describeRule } from '../../utils/severity';
import { RemediationView } from '../RemediationView';
import { StatusChip } from '../StatusChip';

/** @public */
export interface FindingAccordionProps {
  finding: Finding;
  /** Where the finding is, e.g. `prod: shop/web`. */
  subject: string;
  /** Unique within the page, to tie the summary to its panel for screen readers. */
  id: string;
}

/**
 * A finding that opens to the plain-language explanation, the evidence and every remediation.
 * MUI's Accordion summary is a button with aria-expanded, so it is keyboard reachable as is.
 */
export function FindingAccordion(props: FindingAccordionProps) {
  const { finding, subject, id } = props;
  const rule = describeRule(finding.rule);
  return (
    <Accordion TransitionProps={{ unmountOnExit: true }}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls={`${id}-content`}
        id={`${id}-header`}
      >
        <Box display="flex" alignItems="center" style={{ gap: 12 }}>
          <StatusChip status={finding.severity} />
          <Box>
            <Typography variant="subtitle2" component="span">
              {rule.title}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {subject}: {finding.message}
            </Typography>
          </Box>
        </Box>
      </AccordionSummary>
      <AccordionDetails id={`${id}-content`}>
        <Box width="100%">
          {rule.description ? (
            <Typography variant="body1" paragraph>
              {rule.description}
            </Typography>
          ) : null}
          <Typography variant="body2" paragraph>
            Rule <code>{finding.rule}</code>: {finding.message}
          </Typography>
          {finding.evidence.length ? (
            <>
              <Typography variant="subtitle1" component="h4">
                Evidence
              </Typography>
              <ul>
                {finding.evidence.map(line => (
                  <li key={line}>
                    <Typography variant="body2">{line}</Typography>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {finding.remediations.length ? (
            <Typography variant="subtitle1" component="h4">
              How to fix it
            </Typography>
          ) : null}
          {finding.remediations.map(remediation => (
            <RemediationView key={remediation.id} remediation={remediation} />
          ))}
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}
