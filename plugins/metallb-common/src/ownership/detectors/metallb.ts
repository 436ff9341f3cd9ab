import type { Service } from '../../model/kubernetes';
import type { OwnershipContext } from '../types';
import { metallbFilter } from '../classFilter';
import { eventEvidence } from '../events';
import { METALLB_POOL_ANNOTATIONS } from '../managers';
import { annotationMarks, writerMarks } from '../marks';
import {
  at,
  labelsOf,
  nameOf,
  namespaceOf,
  records,
  refOf,
  str,
} from '../read';
import { createDetector } from './createDetector';

const REQUEST_ANNOTATIONS = [
  'loadBalancerIPs',
  'address-pool',
  'allow-shared-ip',
].flatMap(key => [`metallb.io/${key}`, `metallb.universe.tf/${key}`]);

/** ServiceL2Status / ServiceBGPStatus objects the speakers keep for the Service they announce. */
function announcementMarks(
  service: Service,
  context: OwnershipContext,
): string[] {
  const name = nameOf(service);
  const namespace = namespaceOf(service) ?? 'default';
  if (!name) return [];
  const lists: Array<[string, unknown]> = [
    ['ServiceL2Status', context.snapshot?.serviceL2Statuses],
    ['ServiceBGPStatus', context.snapshot?.serviceBGPStatuses],
  ];
  const out: string[] = [];
  for (const [kind, list] of lists) {
    for (const status of records(list)) {
      const labels = labelsOf(status);
      const svcName =
        str(at(status, 'status', 'serviceName')) ??
        labels['metallb.io/service-name'];
      const svcNamespace =
        str(at(status, 'status', 'serviceNamespace')) ??
        labels['metallb.io/service-namespace'];
      if (svcName !== name || (svcNamespace ?? namespace) !== namespace)
        continue;
      const node = str(at(status, 'status', 'node'));
      out.push(
        `${kind} ${refOf(status)} shows MetalLB announcing it${
          node ? ` from node ${node}` : ''
        }`,
      );
    }
  }
  return out;
}

/** MetalLB: its pool annotation, its `controller` status writes, its Events and announcement statuses. @public */
export const metallbDetector = createDetector({
  id: 'metallb',
  filter: metallbFilter,
  marks: (service, context) => [
    ...annotationMarks(service, METALLB_POOL_ANNOTATIONS),
    ...writerMarks(service, context, 'metallb'),
    ...eventEvidence(context.events, ['metallb-controller', 'metallb-speaker']),
    ...announcementMarks(service, context),
  ],
  supporting: service => annotationMarks(service, REQUEST_ANNOTATIONS),
});
