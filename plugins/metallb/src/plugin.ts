import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { MetallbClient, metallbApiRef } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';
import { FREE_IP_PICKER_NAME, FreeIpPicker } from './components/FreeIpPicker';

/**
 * LB Doctor's frontend plugin for the legacy frontend system.
 * @public
 */
export const metallbPlugin = createPlugin({
  id: 'metallb',
  apis: [
    createApiFactory({
      api: metallbApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MetallbClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
});

/**
 * The "Load Balancers" entity tab. Mount it with
 * `<EntityLayout.Route path="/load-balancers" title="Load Balancers" if={isMetallbAvailable}>`.
 * @public
 */
export const EntityMetallbContent = metallbPlugin.provide(
  createRoutableExtension({
    name: 'EntityMetallbContent',
    component: () =>
      import('./components/EntityMetallbContent').then(
        m => m.EntityMetallbContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * Overview card with the entity's load balancer health.
 * @public
 */
export const EntityMetallbCard = metallbPlugin.provide(
  createComponentExtension({
    name: 'EntityMetallbCard',
    component: {
      lazy: () =>
        import('./components/EntityMetallbCard').then(m => m.EntityMetallbCard),
    },
  }),
);

/**
 * The fleet report page; mount it at `/metallb`.
 * @public
 */
export const MetallbReportPage = metallbPlugin.provide(
  createRoutableExtension({
    name: 'MetallbReportPage',
    component: () =>
      import('./components/MetallbReportPage').then(m => m.MetallbReportPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Scaffolder field `MetallbFreeIpPicker`: the free addresses of the pool chosen earlier in the form.
 * Add it inside `<ScaffolderFieldExtensions>` of the app's `ScaffolderPage`.
 * @public
 */
export const MetallbFreeIpPickerFieldExtension = metallbPlugin.provide(
  createScaffolderFieldExtension({
    name: FREE_IP_PICKER_NAME,
    component: FreeIpPicker,
  }),
);
