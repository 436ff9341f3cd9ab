import type { Service } from '../model/kubernetes';
import type { ControllerId } from '../model/report';
import type { OwnershipContext } from './types';
import { installedEntry, standardFilter } from './classFilter';
import { CCM_FINALIZER } from './managers';
import { svclbDaemonSetsFor } from './installed/k3s';
import { cachedWorkloadsOf } from './installed/workloads';
import { finalizersOf, labelsOf, nameOf, namespaceOf, uidOf } from './read';
import { GKE_CLASSES } from './installed/cloud';

/*
 * k3s ServiceLB, kube-vip-cloud-provider and cloud CCMs all run the upstream cloud-provider service
 * controller, so they leave the same finalizer and Event source on a Service. These marks are given
 * to the member of that family the Service or the cluster points at, and to "a cloud controller
 * manager" when nothing does.
 */

const FAMILY: ControllerId[] = [
  'k3s-servicelb',
  'kube-vip-cloud-provider',
  'cloud-provider',
];

/** The GKE finalizers (`gke.networking.io/l4-*`). @internal */
export function gkeFinalizers(service: Service): string[] {
  return finalizersOf(service).filter(f =>
    f.startsWith('gke.networking.io/l4-'),
  );
}

/** The svclb DaemonSets of a Service. @internal */
export function svclbFor(
  service: Service,
  context: OwnershipContext,
): string[] {
  const workloads = cachedWorkloadsOf(context.snapshot);
  return svclbDaemonSetsFor(
    {
      name: nameOf(service),
      namespace: namespaceOf(service) ?? 'default',
      uid: uidOf(service),
    },
    workloads,
  ).map(w => `DaemonSet ${w.ref}`);
}

function pointedAtByService(
  service: Service,
  context: OwnershipContext,
): ControllerId[] {
  const out: ControllerId[] = [];
  if (svclbFor(service, context).length > 0) out.push('k3s-servicelb');
  if (labelsOf(service).implementation === 'kube-vip')
    out.push('kube-vip-cloud-provider');
  if (gkeFinalizers(service).length > 0) out.push('cloud-provider');
  return out;
}

/** The family members whose class filter does not rule the Service out. */
function pointedAtByCluster(
  service: Service,
  context: OwnershipContext,
): ControllerId[] {
  return FAMILY.filter(
    id =>
      installedEntry(context, id) !== undefined &&
      standardFilter(
        service,
        context,
        id,
        id === 'cloud-provider' ? GKE_CLASSES : [],
      ).kind !== 'excluded',
  );
}

/** Which members of the cloud-provider family the shared marks on this Service belong to. @internal */
export function ccmFamilyTargets(
  service: Service,
  context: OwnershipContext,
): ControllerId[] {
  const byService = pointedAtByService(service, context);
  if (byService.length > 0) return byService;
  const byCluster = pointedAtByCluster(service, context);
  return byCluster.length > 0 ? byCluster : ['cloud-provider'];
}

/** Whether the Service carries the finalizer of the upstream service controller. @internal */
export function hasCcmFinalizer(service: Service): boolean {
  return finalizersOf(service).includes(CCM_FINALIZER);
}
