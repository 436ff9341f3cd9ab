import { scopedMemo } from '../../analysisScope';
import type { Service } from '../../model/kubernetes';
import type { ClusterSnapshot } from '../../model/snapshot';
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

interface Announcement {
  kind: string;
  status: Record<string, unknown>;
  /** The Service's namespace the status names, if it names one. */
  namespace: string | undefined;
}

/**
 * The ServiceL2Status and ServiceBGPStatus objects of a snapshot by the Service name they name, in
 * list order (L2 first). Built once per analysis: scanning them for every Service is quadratic on
 * a cluster where the speakers keep one status per announced Service.
 */
const announcementsByName = scopedMemo((snapshot: ClusterSnapshot) => {
  const index = new Map<string, Announcement[]>();
  const lists: Array<[string, unknown]> = [
    ['ServiceL2Status', snapshot.serviceL2Statuses],
    ['ServiceBGPStatus', snapshot.serviceBGPStatuses],
  ];
  for (const [kind, list] of lists) {
    for (const status of records(list)) {
      const labels = labelsOf(status);
      const svcName =
        str(at(status, 'status', 'serviceName')) ??
        labels['metallb.io/service-name'];
      if (svcName === undefined) continue;
      const namespace =
        str(at(status, 'status', 'serviceNamespace')) ??
        labels['metallb.io/service-namespace'];
      const entries = index.get(svcName);
      const entry = { kind, status, namespace };
      if (entries) entries.push(entry);
      else index.set(svcName, [entry]);
    }
  }
  return index;
});

/** ServiceL2Status / ServiceBGPStatus objects the speakers keep for the Service they announce. */
function announcementMarks(
  service: Service,
  context: OwnershipContext,
): string[] {
  const name = nameOf(service);
  const namespace = namespaceOf(service) ?? 'default';
  if (!name) return [];
  const snapshot = context.snapshot;
  if (
    typeof snapshot !== 'object' ||
    snapshot === null ||
    (!Array.isArray(snapshot.serviceL2Statuses) &&
      !Array.isArray(snapshot.serviceBGPStatuses))
  )
    return [];
  const out: string[] = [];
  for (const { kind, status, namespace: svcNamespace } of announcementsByName(
    snapshot,
  ).get(name) ?? []) {
    if ((svcNamespace ?? namespace) !== namespace) continue;
    const node = str(at(status, 'status', 'node'));
    out.push(
      `${kind} ${refOf(status)} shows MetalLB announcing it${
        node ? ` from node ${node}` : ''
      }`,
    );
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
