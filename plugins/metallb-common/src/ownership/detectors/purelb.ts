import { standardFilter } from '../classFilter';
import { eventEvidence } from '../events';
import { PURELB_CLASSES } from '../installed/workloadControllers';
import { annotationMarks, annotationPrefixMarks, writerMarks } from '../marks';
import { createDetector } from './createDetector';

const REQUEST_ANNOTATIONS = [
  'purelb.io/service-group',
  'purelb.io/addresses',
  'purelb.io/allow-shared-ip',
  'purelb.io/allow-local',
  'purelb.io/multi-pool',
];

/** PureLB: its classes, the annotations its allocator and node agents write, their Events. @public */
export const purelbDetector = createDetector({
  id: 'purelb',
  filter: (service, context) =>
    standardFilter(service, context, 'purelb', PURELB_CLASSES),
  marks: (service, context) => [
    ...annotationMarks(service, ['purelb.io/allocated-by'], 'PureLB'),
    ...annotationMarks(service, [
      'purelb.io/allocated-from',
      'purelb.io/pool-type',
    ]),
    ...annotationPrefixMarks(service, 'purelb.io/announcing-'),
    ...writerMarks(service, context, 'purelb'),
    // Distinguish PureLB's AllocationFailed (same reason and text as MetalLB's) by its component.
    ...eventEvidence(context.events, [
      'purelb-allocator',
      'purelb-lbnodeagent',
    ]),
  ],
  supporting: service => annotationMarks(service, REQUEST_ANNOTATIONS),
});
