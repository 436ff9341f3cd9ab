import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import { navModule } from './modules/nav';

/*
 * The plugins the demo is built around are listed explicitly, so the app is complete even where
 * `app.packages: all` is not set (tests, other configs). LB Doctor's plugin
 * (@lb-doctor/plugin-metallb/alpha) is left to discovery on purpose: the demo shows that
 * installing the package is all an adopter has to do. That includes its scaffolder field
 * `MetallbFreeIpPicker` (extension scaffolder-form-field:metallb/free-ip-picker), which the LB
 * template's IP parameter uses. Features found both ways are installed once.
 */
export default createApp({
  features: [
    catalogPlugin,
    kubernetesPlugin,
    scaffolderPlugin,
    userSettingsPlugin,
    navModule,
  ],
});
