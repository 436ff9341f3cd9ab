import Button from '@material-ui/core/Button';
import { ErrorPanel } from '@backstage/core-components';

/** @public */
export interface BackendErrorPanelProps {
  error: Error;
  onRetry?: () => void;
}

/** The backend did not answer (or answered with an error): say so, show why, offer a retry. */
export function BackendErrorPanel(props: BackendErrorPanelProps) {
  const { error, onRetry } = props;
  return (
    <ErrorPanel
      title="Could not load data from the LB Doctor backend"
      error={error}
    >
      {onRetry ? (
        <Button variant="outlined" onClick={onRetry}>
          Retry
        </Button>
      ) : null}
    </ErrorPanel>
  );
}
