import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { ENTITY_TAB_PATH } from '../routes';

/**
 * Builds links to an entity's page and its Load Balancers tab. Returns undefined when the app has
 * no catalog entity route (a bare test app, or an app without the catalog), so callers can fall
 * back to plain text instead of crashing the report.
 */
export function useEntityLinks():
  | ((entityRef: string) => { entity: string; tab: string })
  | undefined {
  let entityRoute:
    | ((params: { kind: string; namespace: string; name: string }) => string)
    | undefined;
  try {
    // Called on every render, in the same order; the try only catches "route not bound".
    // eslint-disable-next-line react-hooks/rules-of-hooks
    entityRoute = useRouteRef(entityRouteRef);
  } catch {
    entityRoute = undefined;
  }
  if (!entityRoute) return undefined;
  const route = entityRoute;
  return (entityRef: string) => {
    const entity = route(entityRouteParams(entityRef));
    return { entity, tab: `${entity}/${ENTITY_TAB_PATH}` };
  };
}
