import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { MetallbClient, metallbApiRef } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';

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
