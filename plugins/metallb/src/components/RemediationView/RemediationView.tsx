import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Remediation } from '@lb-doctor/plugin-metallb-common';
import { CodeBlock } from '../CodeBlock';

/** @public */
export interface RemediationViewProps {
  remediation: Remediation;
}

/** One fix: why it works, then the manifest and the commands, each copyable. */
export function RemediationView(props: RemediationViewProps) {
  const { remediation } = props;
  return (
    <Box mt={2}>
      <Typography variant="subtitle1" component="h4">
        {remediation.title}
      </Typography>
      <Typography variant="body2">{remediation.description}</Typography>
      {remediation.yaml ? (
        <CodeBlock
          code={remediation.yaml}
          title={`YAML: ${remediation.title}`}
        />
      ) : null}
      {remediation.commands?.length ? (
        <CodeBlock
          code={remediation.commands.join('\n')}
          title={`Commands: ${remediation.title}`}
        />
      ) : null}
    </Box>
  );
}
