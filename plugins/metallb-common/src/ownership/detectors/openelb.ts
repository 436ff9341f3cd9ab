import type { Service } from '../../model/kubernetes';
import type { OwnershipContext } from '../types';
import {
  EXCLUDED,
  type FilterVerdict,
  UNKNOWN,
  installedEntry,
  installedRef,
} from '../classFilter';
import { eventEvidence } from '../events';
import { OPENELB_EIP_LABEL, OPENELB_FINALIZERS } from '../managers';
import {
  annotationMarks,
  finalizerMarks,
  labelMarks,
  writerMarks,
} from '../marks';
import { createDetector } from './createDetector';

const OPT_IN = 'lb.kubesphere.io/v1alpha1';
const REQUEST_ANNOTATIONS = [
  OPT_IN,
  'eip.openelb.kubesphere.io/v1alpha1',
  'eip.openelb.kubesphere.io/v1alpha2',
  'protocol.openelb.kubesphere.io/v1alpha1',
  'node-proxy.openelb.kubesphere.io/type',
];

/** OpenELB ignores loadBalancerClass; it takes exactly the Services that opt in (annotation or its Eip label). */
function openelbFilter(
  service: Service,
  context: OwnershipContext,
): FilterVerdict {
  const entry = installedEntry(context, 'openelb');
  if (!entry) return UNKNOWN;
  const optIn = [
    ...annotationMarks(service, [OPT_IN], 'openelb'),
    ...labelMarks(service, [OPENELB_EIP_LABEL]),
  ];
  if (optIn.length === 0) return EXCLUDED;
  return {
    kind: 'serves',
    evidence: [
      `installed (${installedRef(entry)}) and the Service opts in`,
      ...optIn,
    ],
  };
}

/** OpenELB: opt-in annotation, its Eip label, finalizers, Events and status writes. @public */
export const openelbDetector = createDetector({
  id: 'openelb',
  filter: openelbFilter,
  marks: (service, context) => [
    ...labelMarks(service, [OPENELB_EIP_LABEL]),
    ...finalizerMarks(service, OPENELB_FINALIZERS),
    ...writerMarks(service, context, 'openelb'),
    ...eventEvidence(context.events, ['OpenELBController']),
  ],
  supporting: service => annotationMarks(service, REQUEST_ANNOTATIONS),
});
