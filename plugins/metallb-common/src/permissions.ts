import { createPermission } from '@backstage/plugin-permission-common';

/** Read the fleet-wide LoadBalancer report and scan state. @public */
export const metallbReportReadPermission = createPermission({
  name: 'metallb.report.read',
  attributes: { action: 'read' },
});

/** Start a scan on demand. @public */
export const metallbScanCreatePermission = createPermission({
  name: 'metallb.scan.create',
  attributes: { action: 'create' },
});

/** Every permission LB Doctor defines. @public */
export const metallbPermissions = [
  metallbReportReadPermission,
  metallbScanCreatePermission,
];
