import type { Service } from '../../model/kubernetes';
import type { OwnershipContext } from '../types';
import {
  EXCLUDED,
  type FilterVerdict,
  UNKNOWN,
  installedEntry,
  installedRef,
  takesClasslessEvidence,
} from '../classFilter';
import { annotationMarks, writerMarks } from '../marks';
import {
  annotationsOf,
  apiGroupOf,
  isFalsy,
  isTruthy,
  kindOf,
  loadBalancerClassOf,
  metadataOf,
  nameOf,
  namespaceOf,
  records,
  refOf,
  str,
  uidOf,
} from '../read';
import { createDetector } from './createDetector';

const MANAGE = ['operator.inlets.dev/manage', 'dev.inlets.manage'];

function manageValue(service: Service): string | undefined {
  const annotations = annotationsOf(service);
  return MANAGE.map(k => annotations[k]).find(v => v !== undefined);
}

/** inlets-operator has no class filter: it takes every LoadBalancer Service unless told not to. */
function inletsFilter(
  service: Service,
  context: OwnershipContext,
): FilterVerdict {
  const manage = manageValue(service);
  if (isFalsy(manage)) return EXCLUDED;
  const entry = installedEntry(context, 'inlets');
  if (!entry || entry.takesClassless === null) return UNKNOWN;
  // takesClassless false means -annotated-only: only Services with manage=1/true.
  if (!entry.takesClassless && !isTruthy(manage)) return EXCLUDED;
  const ref = installedRef(entry);
  let why = `installed (${ref}) with -annotated-only and the Service opts in`;
  if (entry.takesClassless) {
    why =
      loadBalancerClassOf(service) === undefined
        ? takesClasslessEvidence(entry)
        : `installed (${ref}) and takes every LoadBalancer Service whatever its class (inlets-operator has no class filter)`;
  }
  return {
    kind: 'serves',
    evidence: [why, ...annotationMarks(service, MANAGE)],
  };
}

/** The Tunnel `<service>-tunnel` the operator creates, owned by the Service. */
function tunnelMarks(service: Service, context: OwnershipContext): string[] {
  const name = nameOf(service);
  const uid = uidOf(service);
  const namespace = namespaceOf(service) ?? 'default';
  return records(context.snapshot?.otherObjects)
    .filter(
      o => kindOf(o) === 'Tunnel' && apiGroupOf(o) === 'operator.inlets.dev',
    )
    .filter(tunnel => {
      const owned = records(metadataOf(tunnel).ownerReferences).some(
        ref => uid !== undefined && str(ref.uid) === uid,
      );
      const named =
        name !== undefined &&
        nameOf(tunnel) === `${name}-tunnel` &&
        (namespaceOf(tunnel) ?? 'default') === namespace;
      return owned || named;
    })
    .map(tunnel => `Tunnel ${refOf(tunnel)} exists for it`);
}

/** inlets-operator: its Tunnel for the Service and its status/externalIPs writes. @public */
export const inletsDetector = createDetector({
  id: 'inlets',
  filter: inletsFilter,
  marks: (service, context) => [
    ...tunnelMarks(service, context),
    ...writerMarks(service, context, 'inlets'),
  ],
  supporting: service => annotationMarks(service, MANAGE),
});
