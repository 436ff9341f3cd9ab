import type { Service } from '../../model/kubernetes';
import type { OwnershipContext } from '../types';
import { svclbFor } from '../ccmFamily';
import { standardFilter } from '../classFilter';
import { eventEvidence } from '../events';
import { annotationPrefixMarks, labelMarks, writerMarks } from '../marks';
import { at, nameOf, records, str } from '../read';
import { createDetector } from './createDetector';
import { sharedCcmMarks } from './ccmShared';
import { ingressMatching } from './ingressMatch';

/** ServiceLB publishes the addresses of the nodes running its svclb pods. */
function nodeAddressMarks(
  service: Service,
  context: OwnershipContext,
): string[] {
  const out: string[] = [];
  for (const node of records(context.snapshot?.nodes)) {
    const addresses = new Set(
      records(at(node, 'status', 'addresses'))
        .map(a => str(a.address))
        .filter((a): a is string => a !== undefined),
    );
    for (const match of ingressMatching(service, addresses)) {
      out.push(
        `${match.field} ${match.value} is an address of Node ${
          nameOf(node) ?? '?'
        } (ServiceLB publishes node addresses)`,
      );
    }
  }
  return out;
}

/** k3s ServiceLB (klipper-lb): its svclb DaemonSet for the Service, its status writes and Events. @public */
export const k3sServicelbDetector = createDetector({
  id: 'k3s-servicelb',
  filter: (service, context) =>
    standardFilter(service, context, 'k3s-servicelb', []),
  marks: (service, context) => [
    ...svclbFor(service, context),
    ...writerMarks(service, context, 'k3s-servicelb'),
    ...eventEvidence(context.events, ['service-lb-controller']),
    ...sharedCcmMarks(service, context, 'k3s-servicelb'),
  ],
  supporting: (service, context) => [
    ...labelMarks(service, ['svccontroller.k3s.cattle.io/lbpool']),
    ...annotationPrefixMarks(service, 'svccontroller.k3s.cattle.io/'),
    ...nodeAddressMarks(service, context),
  ],
});
