import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { OwnershipDetector } from '@lb-doctor/plugin-metallb-common';

/**
 * Lets backend modules teach LB Doctor about more load-balancer controllers.
 * @public
 */
export interface MetallbOwnershipDetectorsExtensionPoint {
  /** Adds detectors that run after the built-in ones, in every scan and validation. */
  addDetectors(...detectors: OwnershipDetector[]): void;
}

/** @public */
export const metallbOwnershipDetectorsExtensionPoint =
  createExtensionPoint<MetallbOwnershipDetectorsExtensionPoint>({
    id: 'metallb.ownership-detectors',
  });
