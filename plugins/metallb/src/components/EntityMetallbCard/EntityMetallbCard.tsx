import { InfoCard } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { isMetallbAvailable } from '../../conditions';
import { ENTITY_TAB_PATH } from '../../routes';
import { ReportPermissionGate } from '../ReportPermissionGate';
import { EntityHealthSummary } from './EntityHealthSummary';

/**
 * Overview-page card: a compact health summary of the entity's LoadBalancer Services that links
 * to the Load Balancers tab.
 * @public
 */
export function EntityMetallbCard() {
  const { entity } = useEntity();
  const entityRoute = useRouteRef(entityRouteRef);
  // The tab lives at a fixed path below the entity page so that runbooks can link to it too.
  const tabLink = `${entityRoute(
    entityRouteParams(entity),
  )}/${ENTITY_TAB_PATH}`;
  const available = isMetallbAvailable(entity);
  return (
    <InfoCard
      title="Load balancers"
      deepLink={
        available ? { title: 'View load balancers', link: tabLink } : undefined
      }
    >
      {available ? (
        <ReportPermissionGate>
          <EntityHealthSummary entity={entity} />
        </ReportPermissionGate>
      ) : (
        'Add the backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector annotation to see this entity’s load balancers.'
      )}
    </InfoCard>
  );
}
