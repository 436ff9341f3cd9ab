import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { metallbScanCreatePermission } from '@lb-doctor/plugin-metallb-common';
import { metallbApiRef } from '../../api';

/** @public */
export interface ScanButtonProps {
  /** Clusters to scan; empty or absent scans every cluster. */
  clusters?: string[];
  /** Called after the scans finished, to reload the data. */
  onScanned?: () => void;
}

/** "Scan now", rendered only for users allowed to start scans (they cost API-server load). */
export function ScanButton(props: ScanButtonProps) {
  const { clusters, onScanned } = props;
  const api = useApi(metallbApiRef);
  const { allowed } = usePermission({
    permission: metallbScanCreatePermission,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  if (!allowed) {
    return null;
  }

  const onClick = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (clusters?.length) {
        await Promise.all(clusters.map(cluster => api.scan({ cluster })));
      } else {
        await api.scan();
      }
      onScanned?.();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box display="inline-flex" alignItems="center" style={{ gap: 8 }}>
      <Button
        variant="outlined"
        color="primary"
        startIcon={<RefreshIcon />}
        onClick={onClick}
        disabled={busy}
      >
        {busy ? 'Scanning…' : 'Scan now'}
      </Button>
      {error ? (
        <Typography variant="body2" color="error" role="alert">
          Scan failed: {error}
        </Typography>
      ) : null}
    </Box>
  );
}
