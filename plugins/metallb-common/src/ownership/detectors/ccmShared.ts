import type { Service } from '../../model/kubernetes';
import type { ControllerId } from '../../model/report';
import type { OwnershipContext } from '../types';
import { ccmFamilyTargets } from '../ccmFamily';
import { eventEvidence } from '../events';
import { CCM_FINALIZER } from '../managers';
import { finalizerMarks } from '../marks';

/** Events of the upstream cloud-provider service controller. */
const SERVICE_CONTROLLER = 'service-controller';

/**
 * The cloud-provider service controller's finalizer and Events, when they belong to `id` (see
 * ccmFamily for how the family member is chosen).
 * @internal
 */
export function sharedCcmMarks(
  service: Service,
  context: OwnershipContext,
  id: ControllerId,
): string[] {
  const marks = [
    ...finalizerMarks(service, [CCM_FINALIZER]),
    ...eventEvidence(context.events, [SERVICE_CONTROLLER]),
  ];
  if (marks.length === 0 || !ccmFamilyTargets(service, context).includes(id))
    return [];
  return marks;
}
