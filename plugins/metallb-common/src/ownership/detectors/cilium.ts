import { standardFilter } from '../classFilter';
import { CILIUM_CLASSES } from '../installed/ipamPools';
import { CILIUM_CONDITIONS } from '../managers';
import { annotationMarks, conditionMarks, writerMarks } from '../marks';
import { createDetector } from './createDetector';

const REQUEST_ANNOTATIONS = [
  'lbipam.cilium.io/ips',
  'lbipam.cilium.io/sharing-key',
  'lbipam.cilium.io/sharing-cross-namespace',
  'io.cilium/lb-ipam-ips',
  'io.cilium/lb-ipam-sharing-key',
  'io.cilium/lb-ipam-sharing-cross-namespace',
  'io.cilium.nodeipam/match-node-labels',
];

/** Cilium LB-IPAM: its classes, its status condition and its `cilium-operator-lb-ipam` writes. @public */
export const ciliumDetector = createDetector({
  id: 'cilium',
  filter: (service, context) =>
    standardFilter(service, context, 'cilium', CILIUM_CLASSES),
  marks: (service, context) => [
    ...conditionMarks(service, CILIUM_CONDITIONS),
    ...writerMarks(service, context, 'cilium'),
  ],
  supporting: service => annotationMarks(service, REQUEST_ANNOTATIONS),
});
