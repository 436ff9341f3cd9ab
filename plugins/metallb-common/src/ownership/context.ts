import type { Service } from '../model/kubernetes';
import type { ClusterSnapshot } from '../model/snapshot';
import type { InstalledController, OwnershipContext } from './types';
import { eventsForService } from './events';
import { detectInstalledControllers, safeMetallbInstall } from './installed';

/**
 * The context detectors need for one Service. Pass `installed` when building contexts for many
 * Services of the same snapshot, so the cluster is scanned once.
 * @public
 */
export function createOwnershipContext(
  service: Service,
  snapshot: ClusterSnapshot,
  installed: InstalledController[] = detectInstalledControllers(snapshot),
): OwnershipContext {
  const metallb = safeMetallbInstall(snapshot);
  return {
    snapshot,
    installed,
    events: eventsForService(service, snapshot),
    metallb: { installed: metallb.installed, lbClass: metallb.lbClass },
  };
}
