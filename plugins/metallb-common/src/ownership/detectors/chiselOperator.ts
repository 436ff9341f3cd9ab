import type { Service } from '../../model/kubernetes';
import type { OwnershipContext } from '../types';
import { standardFilter } from '../classFilter';
import { cachedWorkloadsOf } from '../installed/workloads';
import { CHISEL_CLASS } from '../installed/workloadControllers';
import { CHISEL_FINALIZER } from '../managers';
import { annotationMarks, finalizerMarks, writerMarks } from '../marks';
import {
  annotationsOf,
  apiGroupOf,
  at,
  kindOf,
  nameOf,
  namespaceOf,
  records,
  refOf,
  str,
} from '../read';
import { createDetector } from './createDetector';
import { ingressMatching } from './ingressMatch';

const REQUEST_ANNOTATIONS = [
  'chisel-operator.io/exit-node-name',
  'chisel-operator.io/exit-node-provisioner',
  'chisel-operator.io/proxy-protocol',
];

/** chisel-operator publishes its ExitNode's (external) host as the Service's status address. */
function exitNodeMarks(service: Service, context: OwnershipContext): string[] {
  const out: string[] = [];
  for (const node of records(context.snapshot?.otherObjects)) {
    if (
      kindOf(node) !== 'ExitNode' ||
      apiGroupOf(node) !== 'chisel-operator.io'
    )
      continue;
    const hosts = [
      at(node, 'spec', 'externalHost'),
      at(node, 'spec', 'host'),
      at(node, 'status', 'ip'),
    ]
      .map(str)
      .filter((h): h is string => h !== undefined);
    for (const match of ingressMatching(service, new Set(hosts))) {
      out.push(
        `${match.field} ${match.value} is the address of ExitNode ${refOf(
          node,
        )}`,
      );
    }
  }
  return out;
}

/** chisel-operator runs one chisel client Deployment per Service, its pods labelled `tunnel: <service>`. */
function tunnelDeploymentMarks(
  service: Service,
  context: OwnershipContext,
): string[] {
  const name = nameOf(service);
  if (!name) return [];
  // The Deployment lives in the ExitNode's namespace, which the exit-node-name annotation may name.
  const exitNode =
    annotationsOf(service)['chisel-operator.io/exit-node-name'] ?? '';
  const namespaces = [
    namespaceOf(service) ?? 'default',
    ...(exitNode.includes('/') ? [exitNode.split('/')[0]] : []),
  ];
  return cachedWorkloadsOf(context.snapshot)
    .filter(
      w =>
        w.kind === 'Deployment' &&
        namespaces.includes(w.namespace ?? 'default') &&
        w.podLabels.tunnel === name &&
        w.containers.some(c => c.path.includes('chisel')),
    )
    .map(
      w =>
        `Deployment ${w.ref} runs a chisel tunnel for it (pod label tunnel=${name})`,
    );
}

/** chisel-operator: its class, finalizer, status writes, tunnel Deployment and ExitNode address. @public */
export const chiselOperatorDetector = createDetector({
  id: 'chisel-operator',
  filter: (service, context) =>
    standardFilter(service, context, 'chisel-operator', [CHISEL_CLASS]),
  marks: (service, context) => [
    ...finalizerMarks(service, [CHISEL_FINALIZER]),
    ...writerMarks(service, context, 'chisel-operator'),
    ...tunnelDeploymentMarks(service, context),
    ...exitNodeMarks(service, context),
  ],
  supporting: service => annotationMarks(service, REQUEST_ANNOTATIONS),
});
