import type { Service } from '../../model/kubernetes';
import type { OwnershipContext } from '../types';
import { gkeFinalizers } from '../ccmFamily';
import {
  EXCLUDED,
  type FilterVerdict,
  installedEntry,
  standardFilter,
} from '../classFilter';
import { GKE_CLASSES } from '../installed/cloud';
import { writerMarks } from '../marks';
import { ingressOf } from '../read';
import { requestsAwsLbc } from './awsLbc';
import { createDetector } from './createDetector';
import { sharedCcmMarks } from './ccmShared';

/** The AWS CCM hands Services that ask for AWS LBC over to it (ImplementedElsewhere). */
function cloudFilter(
  service: Service,
  context: OwnershipContext,
): FilterVerdict {
  if (requestsAwsLbc(service)) return EXCLUDED;
  return standardFilter(service, context, 'cloud-provider', GKE_CLASSES);
}

/** Classic ELBs and NLBs the AWS CCM creates are named `a<32 hex>` (from the Service uid). */
function cloudHostMarks(service: Service): string[] {
  return ingressOf(service)
    .filter(
      ({ entry }) =>
        typeof entry.hostname === 'string' &&
        /^a[0-9a-f]{32}(-\d+)?\.(elb\.)?[a-z0-9.-]*amazonaws\.com(\.cn)?$/.test(
          entry.hostname,
        ),
    )
    .map(
      ({ index, entry }) =>
        `status.loadBalancer.ingress[${index}].hostname ${entry.hostname} is a load balancer of the AWS cloud controller manager`,
    );
}

function proxyModeMarks(service: Service): string[] {
  return ingressOf(service)
    .filter(({ entry }) => entry.ipMode === 'Proxy')
    .map(
      ({ index }) =>
        `status.loadBalancer.ingress[${index}].ipMode is Proxy (set explicitly by the provider)`,
    );
}

/** Which cloud controller manager: the installation evidence names it, else say it is not identified. */
function whichCcm(context: OwnershipContext): string[] {
  const entry = installedEntry(context, 'cloud-provider');
  if (entry && entry.evidence.length > 0) return entry.evidence;
  return [
    'cloud controller manager not identified (no CCM workload or Node spec.providerID in the snapshot)',
  ];
}

/** Cloud controller managers (AWS, GCP, Azure, OpenStack, ...): the service controller's marks and their writes. @public */
export const cloudProviderDetector = createDetector({
  id: 'cloud-provider',
  filter: cloudFilter,
  marks: (service, context) => [
    ...sharedCcmMarks(service, context, 'cloud-provider'),
    ...gkeFinalizers(service).map(f => `finalizer ${f} (GKE)`),
    ...writerMarks(service, context, 'cloud-provider'),
    ...cloudHostMarks(service),
  ],
  supporting: (service, context) => [
    ...proxyModeMarks(service),
    ...whichCcm(context),
  ],
});
