import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
import type { StoredService } from '../database/MetallbStore';
import { entityMapping } from './entityMapping';
import { matchesSelector, parseLabelSelector } from './labelSelector';

/** Which catalog entities each stored Service maps to. */
export interface EntityIndex {
  /** Full, sorted entity refs (`component:default/edge-gateway`); `[]` when none. */
  refsOf(service: Pick<StoredService, 'namespace' | 'labels'>): string[];
}

interface SelectorEntity {
  ref: string;
  namespace?: string;
  requirements: ReturnType<typeof parseLabelSelector>;
}

/**
 * Indexes entities by the same mapping as `GET /entity/...` (entityMapping.ts). Entities mapped by
 * `backstage.io/kubernetes-id` alone, the common case, are looked up by that label's value, so
 * the cost per Service does not grow with the catalog; label-selector entities are matched one by
 * one.
 */
export function buildEntityIndex(
  entities: Entity[],
  logger?: LoggerService,
): EntityIndex {
  const byId = new Map<string, Array<{ ref: string; namespace?: string }>>();
  const bySelector: SelectorEntity[] = [];
  for (const entity of entities) {
    const mapping = entityMapping(entity);
    if (!mapping.selector) continue;
    const ref = stringifyEntityRef(entity);
    const labelSelector =
      mapping.annotations[KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION];
    if (!labelSelector) {
      const id = mapping.annotations[KUBERNETES_ANNOTATION];
      const list = byId.get(id) ?? [];
      list.push({ ref, namespace: mapping.namespace });
      byId.set(id, list);
      continue;
    }
    try {
      bySelector.push({
        ref,
        namespace: mapping.namespace,
        requirements: parseLabelSelector(mapping.selector),
      });
    } catch (error) {
      // One entity with a malformed selector must not take the whole report down.
      logger?.debug(`Ignoring the label selector of ${ref}: ${error}`);
    }
  }
  return {
    refsOf(service) {
      const refs = new Set<string>();
      const id = service.labels[KUBERNETES_ANNOTATION];
      for (const e of (id !== undefined && byId.get(id)) || []) {
        if (!e.namespace || e.namespace === service.namespace) refs.add(e.ref);
      }
      for (const e of bySelector) {
        if (
          (!e.namespace || e.namespace === service.namespace) &&
          matchesSelector(e.requirements, service.labels)
        ) {
          refs.add(e.ref);
        }
      }
      return [...refs].sort();
    },
  };
}

/**
 * Reads the entities that carry a kubernetes annotation with the caller's credentials, so an
 * entity the caller may not read never shows up on a report row.
 */
export async function loadEntityIndex(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  logger?: LoggerService,
): Promise<EntityIndex> {
  const { items } = await catalog.getEntities(
    {
      // A list of filters is an OR: either annotation maps an entity to Kubernetes objects.
      filter: [
        {
          [`metadata.annotations.${KUBERNETES_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        {
          [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
      ],
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
      ],
    },
    { credentials },
  );
  return buildEntityIndex(items, logger);
}
