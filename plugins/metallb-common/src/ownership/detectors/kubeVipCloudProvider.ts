import { standardFilter } from '../classFilter';
import { eventEvidence } from '../events';
import { KUBE_VIP_CLASS } from '../installed/workloadControllers';
import { annotationMarks, labelMarks, writerMarks } from '../marks';
import { createDetector } from './createDetector';
import { sharedCcmMarks } from './ccmShared';

/** kube-vip-cloud-provider: its label and annotations, spec writes, and the cloud-provider service controller marks. @public */
export const kubeVipCloudProviderDetector = createDetector({
  id: 'kube-vip-cloud-provider',
  filter: (service, context) =>
    standardFilter(service, context, 'kube-vip-cloud-provider', [
      KUBE_VIP_CLASS,
    ]),
  marks: (service, context) => [
    ...labelMarks(service, ['implementation'], 'kube-vip'),
    ...annotationMarks(service, ['kube-vip.io/requestedIP']),
    ...writerMarks(service, context, 'kube-vip-cloud-provider'),
    // In class mode it runs its own controller, recording Events as service-lbc-controller.
    ...eventEvidence(context.events, ['service-lbc-controller']),
    ...sharedCcmMarks(service, context, 'kube-vip-cloud-provider'),
  ],
  supporting: service =>
    annotationMarks(service, [
      'kube-vip.io/loadbalancerIPs',
      'kube-vip.io/serviceInterface',
    ]),
});
