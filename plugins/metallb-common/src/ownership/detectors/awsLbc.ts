import type { Service } from '../../model/kubernetes';
import type { OwnershipContext } from '../types';
import {
  type FilterVerdict,
  installedEntry,
  installedRef,
  standardFilter,
} from '../classFilter';
import { eventEvidence } from '../events';
import { AWS_LBC_CLASS } from '../installed/workloadControllers';
import { AWS_LBC_FINALIZER } from '../managers';
import { annotationMarks, finalizerMarks, writerMarks } from '../marks';
import { annotationsOf, ingressOf, loadBalancerClassOf } from '../read';
import { createDetector } from './createDetector';

const TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';
const TARGET_TYPE =
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type';
/** Its Events come from the generic component `service`, so only its own reasons count. */
const REASONS = [
  'SuccessfullyReconciled',
  'FailedBuildModel',
  'FailedDeployModel',
  'FailedAddFinalizer',
  'FailedRemoveFinalizer',
  'FailedUpdateStatus',
  'FailedCleanupStatus',
];

/** Whether a class-less Service asks for AWS LBC by annotation (`external` + target type, or legacy `nlb-ip`). @internal */
export function requestsAwsLbc(service: Service): boolean {
  const annotations = annotationsOf(service);
  const type = annotations[TYPE];
  return (
    type === 'nlb-ip' ||
    (type === 'external' &&
      ['ip', 'instance'].includes(annotations[TARGET_TYPE] ?? ''))
  );
}

function awsLbcFilter(
  service: Service,
  context: OwnershipContext,
): FilterVerdict {
  const verdict = standardFilter(service, context, 'aws-lbc', [AWS_LBC_CLASS]);
  const entry = installedEntry(context, 'aws-lbc');
  if (
    verdict.kind === 'excluded' &&
    entry &&
    loadBalancerClassOf(service) === undefined &&
    requestsAwsLbc(service)
  ) {
    return {
      kind: 'serves',
      evidence: [
        `installed (${installedRef(entry)}) and the Service asks for it`,
        ...annotationMarks(service, [TYPE]),
      ],
    };
  }
  return verdict;
}

/** NLBs it creates are named `k8s-<namespace>-<name>-<hash>`. */
function nlbHostMarks(service: Service): string[] {
  return ingressOf(service)
    .filter(
      ({ entry }) =>
        typeof entry.hostname === 'string' &&
        /^k8s-[^.]*\.elb\.[a-z0-9.-]*amazonaws\.com(\.cn)?$/.test(
          entry.hostname,
        ),
    )
    .map(
      ({ index, entry }) =>
        `status.loadBalancer.ingress[${index}].hostname ${entry.hostname} is an NLB named by AWS Load Balancer Controller`,
    );
}

/** AWS Load Balancer Controller: its class or annotation, finalizer, NLB name, Events, status writes. @public */
export const awsLbcDetector = createDetector({
  id: 'aws-lbc',
  filter: awsLbcFilter,
  marks: (service, context) => [
    ...finalizerMarks(service, [AWS_LBC_FINALIZER]),
    ...nlbHostMarks(service),
    ...writerMarks(service, context, 'aws-lbc'),
    ...eventEvidence(context.events, ['service'], REASONS),
  ],
  supporting: service => annotationMarks(service, [TYPE, TARGET_TYPE]),
});
