import type { Service } from '../../model/kubernetes';
import type { OwnershipContext } from '../types';
import {
  type FilterVerdict,
  installedEntry,
  installedRef,
  standardFilter,
} from '../classFilter';
import { CALICO_CLASS } from '../installed/ipamPools';
import { annotationMarks, writerMarks } from '../marks';
import { loadBalancerClassOf } from '../read';
import { createDetector } from './createDetector';

const REQUEST_ANNOTATIONS = [
  'projectcalico.org/loadBalancerIPs',
  'projectcalico.org/ipv4pools',
  'projectcalico.org/ipv6pools',
];

/** With assignIPs RequestedServicesOnly, Calico still takes class-less Services that carry its annotations. */
function calicoFilter(
  service: Service,
  context: OwnershipContext,
): FilterVerdict {
  const verdict = standardFilter(service, context, 'calico', [CALICO_CLASS]);
  const entry = installedEntry(context, 'calico');
  const requests = annotationMarks(service, REQUEST_ANNOTATIONS);
  if (
    verdict.kind === 'excluded' &&
    entry &&
    loadBalancerClassOf(service) === undefined &&
    requests.length > 0
  ) {
    return {
      kind: 'serves',
      evidence: [
        `installed (${installedRef(
          entry,
        )}) and the Service requests Calico addresses`,
        ...requests,
      ],
    };
  }
  return verdict;
}

/** Calico LB IPAM (kube-controllers): its class, its annotations when requested-only, its status writes. @public */
export const calicoDetector = createDetector({
  id: 'calico',
  filter: calicoFilter,
  marks: (service, context) => writerMarks(service, context, 'calico'),
  supporting: service => annotationMarks(service, REQUEST_ANNOTATIONS),
});
