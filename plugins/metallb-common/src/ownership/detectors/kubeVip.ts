import type { Service } from '../../model/kubernetes';
import { EXCLUDED, standardFilter } from '../classFilter';
import { KUBE_VIP_CLASS } from '../installed/workloadControllers';
import { annotationMarks, writerMarks } from '../marks';
import { annotationsOf, ingressOf, isTruthy } from '../read';
import { createDetector } from './createDetector';

/** Annotations the kube-vip data plane writes when it takes a VIP (ARP/BGP, DHCP). */
const WRITTEN_ANNOTATIONS = [
  'kube-vip.io/vipHost',
  'kube-vip.io/hwaddr',
  'kube-vip.io/requestedIP',
];
const REQUEST_ANNOTATIONS = [
  'kube-vip.io/loadbalancerIPs',
  'kube-vip.io/loadbalancerHostname',
  'kube-vip.io/serviceInterface',
];

/** kube-vip writes `ports` into every IP ingress entry; MetalLB and the CCMs with IPs do not. */
function portsMarks(service: Service): string[] {
  return ingressOf(service)
    .filter(
      ({ entry }) =>
        typeof entry.ip === 'string' &&
        Array.isArray(entry.ports) &&
        entry.ports.length > 0,
    )
    .map(
      ({ index }) =>
        `status.loadBalancer.ingress[${index}].ports is set (kube-vip writes ports)`,
    );
}

/** kube-vip's data plane (svc_enable): its class, its annotations, ports in status and its status writes. @public */
export const kubeVipDetector = createDetector({
  id: 'kube-vip',
  filter: (service, context) =>
    isTruthy(annotationsOf(service)['kube-vip.io/ignore'])
      ? EXCLUDED
      : standardFilter(service, context, 'kube-vip', [KUBE_VIP_CLASS]),
  marks: (service, context) => [
    ...annotationMarks(service, WRITTEN_ANNOTATIONS),
    ...portsMarks(service),
    ...writerMarks(service, context, 'kube-vip'),
  ],
  supporting: service => annotationMarks(service, REQUEST_ANNOTATIONS),
});
