import type { Service } from '../../model/kubernetes';
import { standardFilter } from '../classFilter';
import { eventEvidence } from '../events';
import { TAILSCALE_CLASS } from '../installed/workloadControllers';
import { TAILSCALE_CONDITION, TAILSCALE_FINALIZERS } from '../managers';
import {
  annotationMarks,
  conditionMarks,
  finalizerMarks,
  labelMarks,
  writerMarks,
} from '../marks';
import { ingressOf } from '../read';
import { createDetector } from './createDetector';

const REQUEST_ANNOTATIONS = [
  'tailscale.com/hostname',
  'tailscale.com/tags',
  'tailscale.com/proxy-group',
  'tailscale.com/proxy-class',
];

/** The operator publishes the proxy's MagicDNS name, which ends in `.ts.net`. */
function tailnetHostMarks(service: Service): string[] {
  return ingressOf(service)
    .filter(
      ({ entry }) =>
        typeof entry.hostname === 'string' &&
        entry.hostname.endsWith('.ts.net'),
    )
    .map(
      ({ index, entry }) =>
        `status.loadBalancer.ingress[${index}].hostname ${entry.hostname} is a tailnet (MagicDNS) name`,
    );
}

/** Tailscale operator: its class, finalizers, proxy condition, MagicDNS status and Events. @public */
export const tailscaleDetector = createDetector({
  id: 'tailscale',
  filter: (service, context) =>
    standardFilter(service, context, 'tailscale', [TAILSCALE_CLASS]),
  marks: (service, context) => [
    ...finalizerMarks(service, TAILSCALE_FINALIZERS),
    ...conditionMarks(service, [TAILSCALE_CONDITION]),
    ...tailnetHostMarks(service),
    ...writerMarks(service, context, 'tailscale'),
    ...eventEvidence(context.events, ['tailscale-operator']),
  ],
  supporting: service => [
    ...annotationMarks(service, REQUEST_ANNOTATIONS),
    ...labelMarks(service, ['tailscale.com/proxy-class']),
  ],
});
