import {
  compatWrapper,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { MetallbClient, metallbApiRef } from './api';
import { isMetallbAvailable } from './conditions';
import { MetallbIcon } from './icon';
import {
  ENTITY_TAB_PATH,
  REPORT_PAGE_PATH,
  entityContentRouteRef,
  rootRouteRef,
} from './routes';

/** @alpha */
export const metallbApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: metallbApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MetallbClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * Shown only for entities with one of the kubernetes annotations, like the Kubernetes tab; the
 * tab itself still explains a missing annotation if an app config removes this filter.
 * @alpha
 */
export const metallbEntityContent = EntityContentBlueprint.make({
  params: {
    path: `/${ENTITY_TAB_PATH}`,
    title: 'Load Balancers',
    group: 'deployment',
    routeRef: convertLegacyRouteRefs({ entityContentRouteRef })
      .entityContentRouteRef,
    filter: isMetallbAvailable,
    loader: () =>
      import('./components/EntityMetallbContent').then(m =>
        compatWrapper(<m.EntityMetallbContent />),
      ),
  },
});

/** @alpha */
export const metallbEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isMetallbAvailable,
    loader: () =>
      import('./components/EntityMetallbCard').then(m =>
        compatWrapper(<m.EntityMetallbCard />),
      ),
  },
});

/**
 * The fleet report page; its title and icon also make the sidebar entry.
 * @alpha
 */
export const metallbReportPage = PageBlueprint.make({
  params: {
    path: REPORT_PAGE_PATH,
    title: 'Load balancers',
    icon: <MetallbIcon />,
    routeRef: convertLegacyRouteRefs({ rootRouteRef }).rootRouteRef,
    loader: () =>
      import('./components/MetallbReportPage').then(m =>
        // The app draws the plugin header around NFS pages, so the page leaves out its own.
        compatWrapper(<m.MetallbReportPage hideHeader />),
      ),
  },
});

/**
 * Scaffolder field `MetallbFreeIpPicker` (`ui:field`), attached to the scaffolder's form fields.
 * @alpha
 */
export const metallbFreeIpFormField = FormFieldBlueprint.make({
  name: 'free-ip-picker',
  params: {
    field: () =>
      import('./components/FreeIpPicker/formField').then(
        m => m.freeIpPickerFormField,
      ),
  },
});

/**
 * LB Doctor for the new frontend system: discovered through `app.packages: all`, or installed by
 * importing this default export.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'metallb',
  title: 'Load balancers',
  icon: <MetallbIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
  extensions: [
    metallbApi,
    metallbEntityContent,
    metallbEntityCard,
    metallbReportPage,
    metallbFreeIpFormField,
  ],
});
