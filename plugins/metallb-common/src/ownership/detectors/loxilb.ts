import type { Service } from '../../model/kubernetes';
import type { OwnershipContext } from '../types';
import {
  type FilterVerdict,
  installedEntry,
  installedRef,
  standardFilter,
} from '../classFilter';
import { LOXILB_CLASS } from '../installed/workloadControllers';
import { annotationMarks, annotationPrefixMarks, writerMarks } from '../marks';
import { loadBalancerClassOf } from '../read';
import { createDetector } from './createDetector';

const MULTUS = 'loxilb.io/multus-nets';

/** kube-loxilb ignores class-less Services except those attached to Multus networks. */
function loxilbFilter(
  service: Service,
  context: OwnershipContext,
): FilterVerdict {
  const verdict = standardFilter(service, context, 'loxilb', [LOXILB_CLASS]);
  const entry = installedEntry(context, 'loxilb');
  const multus = annotationMarks(service, [MULTUS]);
  if (
    verdict.kind === 'excluded' &&
    entry &&
    loadBalancerClassOf(service) === undefined &&
    multus.length > 0
  ) {
    return {
      kind: 'serves',
      evidence: [
        `installed (${installedRef(entry)}) and takes Multus Services`,
        ...multus,
      ],
    };
  }
  return verdict;
}

/** kube-loxilb: its class and its status writes; its `loxilb.io/*` annotations support the finding. @public */
export const loxilbDetector = createDetector({
  id: 'loxilb',
  filter: loxilbFilter,
  marks: (service, context) => writerMarks(service, context, 'loxilb'),
  supporting: service => annotationPrefixMarks(service, 'loxilb.io/'),
});
