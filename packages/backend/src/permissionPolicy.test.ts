import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  metallbReportReadPermission,
  metallbScanCreatePermission,
} from '@lb-doctor/plugin-metallb-common';
import { DemoPermissionPolicy } from './permissionPolicy';

const as = (userEntityRef: string) => ({
  credentials: mockCredentials.user(userEntityRef),
  info: { userEntityRef, ownershipEntityRefs: [userEntityRef] },
});

/** Any permission of another plugin. */
const catalogEntityReadPermission = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
});

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy();

  it.each([metallbReportReadPermission, metallbScanCreatePermission])(
    'denies $name to the viewer',
    async permission => {
      await expect(
        policy.handle({ permission }, as('user:default/viewer')),
      ).resolves.toEqual({ result: AuthorizeResult.DENY });
    },
  );

  it('allows the viewer everything else', async () => {
    await expect(
      policy.handle(
        { permission: catalogEntityReadPermission },
        as('user:default/viewer'),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('allows the guest the LB Doctor permissions', async () => {
    for (const permission of [
      metallbReportReadPermission,
      metallbScanCreatePermission,
    ]) {
      await expect(
        policy.handle({ permission }, as('user:default/guest')),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    }
  });
});
