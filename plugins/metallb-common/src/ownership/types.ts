import type { ClusterSnapshot } from '../model/snapshot';
import type { KubeEvent, Service } from '../model/kubernetes';
import type { ControllerId, Owner } from '../model/report';

/** A load-balancer controller found installed in a cluster. @public */
export interface InstalledController {
  controller: ControllerId;
  /** What shows it is installed: workloads, objects, ConfigMaps (each naming the object). */
  evidence: string[];
  /** The loadBalancerClass values it serves. */
  classes: string[];
  /** Whether it takes Services without a loadBalancerClass; `null` when its settings are unknown. */
  takesClassless: boolean | null;
}

/** What a detector may look at besides the Service itself. @public */
export interface OwnershipContext {
  snapshot: ClusterSnapshot;
  installed: InstalledController[];
  /** Events whose involvedObject is the Service (matched by uid, else namespace and name). */
  events: KubeEvent[];
  metallb: {
    /** `null` when unknown. */
    installed: boolean | null;
    /** MetalLB's `--lb-class`, `null` when unset. */
    lbClass: string | null;
  };
}

/**
 * Recognises one controller's marks on a Service. Returns the controller with its evidence when it
 * acts, or may act, on the Service; `undefined` when it does not. Other plugins add detectors
 * through the backend's extension point.
 * @public
 */
export interface OwnershipDetector {
  /** Unique id, e.g. `chisel-operator`. */
  id: string;
  detect(service: Service, context: OwnershipContext): Owner | undefined;
}
