import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  METALLB_ENTITY_ANNOTATIONS,
  isMetallbAvailable,
} from '../../conditions';
import { ReportPermissionGate } from '../ReportPermissionGate';
import { EntityLoadBalancers } from './EntityLoadBalancers';

/**
 * The "Load Balancers" entity tab. The annotation check runs before any request: without one
 * the backend cannot find the entity's Services, and the user needs to know which to add.
 * @public
 */
export function EntityMetallbContent() {
  const { entity } = useEntity();
  if (!isMetallbAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={[...METALLB_ENTITY_ANNOTATIONS]}
      />
    );
  }
  return (
    <ReportPermissionGate>
      <EntityLoadBalancers entity={entity} />
    </ReportPermissionGate>
  );
}
