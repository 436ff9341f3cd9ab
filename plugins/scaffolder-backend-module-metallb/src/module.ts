import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { metallbServiceRef } from '@lb-doctor/plugin-metallb-node';
import { createMetallbServiceCreateAction } from './actions/create';
import { createMetallbServiceValidateAction } from './actions/validate';

/**
 * Adds `metallb:service:create` and `metallb:service:validate` to the scaffolder. Both reach LB
 * Doctor through the metallb-node client, so they see what the metallb backend stored.
 * @public
 */
export const scaffolderModuleMetallb = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'metallb',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        metallb: metallbServiceRef,
      },
      async init({ scaffolder, metallb }) {
        scaffolder.addActions(
          createMetallbServiceCreateAction({ metallb }),
          createMetallbServiceValidateAction({ metallb }),
        );
      },
    });
  },
});
