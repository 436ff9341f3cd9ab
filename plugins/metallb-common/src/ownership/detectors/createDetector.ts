import type { Service } from '../../model/kubernetes';
import type { ControllerId, Owner } from '../../model/report';
import type { OwnershipContext, OwnershipDetector } from '../types';
import type { FilterVerdict } from '../classFilter';
import { uniqueEvidence } from '../evidence';
import { isLoadBalancer } from '../read';

/** How one controller is recognised. @internal */
export interface DetectorSpec {
  id: ControllerId;
  /** The controller's class filter applied to a LoadBalancer Service. */
  filter(service: Service, context: OwnershipContext): FilterVerdict;
  /** Facts on the Service (or objects made for it) that show the controller acted on it. */
  marks(service: Service, context: OwnershipContext): string[];
  /** Facts that only support an ownership shown otherwise (request annotations the controller reads). */
  supporting?(service: Service, context: OwnershipContext): string[];
}

/**
 * Turns a spec into a detector with the common rules: a known class filter that excludes the Service
 * wins over everything; otherwise the controller owns the Service when its filter takes it or when
 * marks show it acted. Non-LoadBalancer Services are only owned through marks.
 * @internal
 */
export function createDetector(spec: DetectorSpec): OwnershipDetector {
  return {
    id: spec.id,
    detect(service: Service, context: OwnershipContext): Owner | undefined {
      const verdict: FilterVerdict = isLoadBalancer(service)
        ? spec.filter(service, context)
        : { kind: 'unknown' };
      if (verdict.kind === 'excluded') return undefined;
      const marks = spec.marks(service, context);
      if (verdict.kind !== 'serves' && marks.length === 0) return undefined;
      const evidence =
        verdict.kind === 'serves' ? [...verdict.evidence, ...marks] : marks;
      if (evidence.length === 0) return undefined;
      const supporting = spec.supporting?.(service, context) ?? [];
      return {
        controller: spec.id,
        evidence: uniqueEvidence(
          supporting.length > 0 ? [...evidence, ...supporting] : evidence,
        ),
      };
    },
  };
}
