import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  metallbReportReadPermission,
  metallbScanCreatePermission,
} from '@lb-doctor/plugin-metallb-common';

/**
 * The demo identity that shows LB Doctor's permissions at work. Sign in as it by starting the
 * backend with `auth.providers.guest.userEntityRef: user:default/viewer` (see the README of
 * this package, or `APP_CONFIG_auth_providers_guest_userEntityRef=user:default/viewer scripts/start`).
 */
export const VIEWER_USER_REF = 'user:default/viewer';

/** The permissions the viewer is refused: the fleet report and on-demand scans. */
const VIEWER_DENIED = new Set([
  metallbReportReadPermission.name,
  metallbScanCreatePermission.name,
]);

function userEntityRefOf(user: PolicyQueryUser | undefined) {
  // `user.info` is deprecated; the principal of the credentials carries the same reference.
  const principal = user?.credentials.principal as
    | { type?: string; userEntityRef?: string }
    | undefined;
  return principal?.type === 'user' ? principal.userEntityRef : undefined;
}

/**
 * Allows everything (as the create-app allow-all policy does), except LB Doctor's report and scan
 * permissions for the viewer, so the demo can show the "not allowed" states of the UI and the 403s
 * of `/api/metallb`.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (
      VIEWER_DENIED.has(request.permission.name) &&
      userEntityRefOf(user) === VIEWER_USER_REF
    ) {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link DemoPermissionPolicy} into the permission backend. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'lb-doctor-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DemoPermissionPolicy());
      },
    });
  },
});
