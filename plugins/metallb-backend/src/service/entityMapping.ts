import type { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
import type { StoredService } from '../database/MetallbStore';
import { matchesSelector, parseLabelSelector } from './labelSelector';

/** Not exported by kubernetes-common: a string literal in the kubernetes backend too. */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/** How an entity maps to Kubernetes objects, the way the kubernetes plugin does it. */
export interface EntityMapping {
  annotations: Record<string, string>;
  /** Set when the entity has neither the id nor the label-selector annotation. */
  missingAnnotation?: string;
  selector?: string;
  namespace?: string;
}

export function entityMapping(entity: Entity): EntityMapping {
  const all = entity.metadata.annotations ?? {};
  const annotations: Record<string, string> = {};
  for (const key of [
    KUBERNETES_ANNOTATION,
    KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
    KUBERNETES_NAMESPACE_ANNOTATION,
  ]) {
    if (all[key]) annotations[key] = all[key];
  }
  const id = annotations[KUBERNETES_ANNOTATION];
  const labelSelector = annotations[KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION];
  if (!id && !labelSelector) {
    return { annotations, missingAnnotation: KUBERNETES_ANNOTATION };
  }
  return {
    annotations,
    // The label-selector annotation wins over the id, as in the kubernetes plugin.
    selector: labelSelector ?? `${KUBERNETES_ANNOTATION}=${id}`,
    namespace: annotations[KUBERNETES_NAMESPACE_ANNOTATION],
  };
}

/** The stored Services an entity maps to. */
export function servicesOfEntity(
  mapping: EntityMapping,
  services: StoredService[],
): StoredService[] {
  if (!mapping.selector) return [];
  const requirements = parseLabelSelector(mapping.selector);
  return services.filter(
    s =>
      (!mapping.namespace || s.namespace === mapping.namespace) &&
      matchesSelector(requirements, s.labels),
  );
}
