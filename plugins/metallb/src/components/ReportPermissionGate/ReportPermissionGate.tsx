import type { ReactNode } from 'react';
import { Progress, WarningPanel } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { metallbReportReadPermission } from '@lb-doctor/plugin-metallb-common';

/** @public */
export interface ReportPermissionGateProps {
  children: ReactNode;
}

/**
 * Shows the children only to users allowed to read LB Doctor reports. A denied user gets a
 * panel that says so, instead of an empty page or a bare 403 from the backend.
 */
export function ReportPermissionGate(props: ReportPermissionGateProps) {
  const { loading, allowed } = usePermission({
    permission: metallbReportReadPermission,
  });
  if (loading) {
    return <Progress />;
  }
  if (!allowed) {
    return (
      <WarningPanel
        title="Not allowed to read load balancer reports"
        message="You lack the metallb.report.read permission. Ask your Backstage administrators to grant it."
      />
    );
  }
  return <>{props.children}</>;
}
