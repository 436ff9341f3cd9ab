import { createRouteRef } from '@backstage/core-plugin-api';

/** The fleet report page, mounted at `/metallb` by convention. @public */
export const rootRouteRef = createRouteRef({ id: 'metallb' });

/** The entity tab, mounted at `/load-balancers` of the entity page by convention. @public */
export const entityContentRouteRef = createRouteRef({
  id: 'metallb:entity-content',
});

/**
 * Path of the entity tab below the entity page. Runbooks and chat messages link to
 * `/catalog/<ns>/<kind>/<name>/load-balancers`, so the card and the report build links with it.
 */
export const ENTITY_TAB_PATH = 'load-balancers';

/** Path of the fleet report page. */
export const REPORT_PAGE_PATH = '/metallb';
