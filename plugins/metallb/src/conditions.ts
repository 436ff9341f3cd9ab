import type { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';

/** The annotations that tie an entity to its workloads, as the Kubernetes plugin reads them. */
export const METALLB_ENTITY_ANNOTATIONS = [
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
] as const;

/**
 * Whether the Load Balancers tab has anything to show for the entity: LB Doctor finds an entity's
 * Services the same way the Kubernetes plugin finds its workloads.
 * @public
 */
export function isMetallbAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return METALLB_ENTITY_ANNOTATIONS.some(a => Boolean(annotations[a]));
}
