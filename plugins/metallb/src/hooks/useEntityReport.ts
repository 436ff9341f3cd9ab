import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { metallbApiRef, type EntityReport } from '../api';

/** Loads the entity's report; `retry` reloads it, e.g. after "Scan now". */
export function useEntityReport(entity: Entity): {
  value?: EntityReport;
  loading: boolean;
  error?: Error;
  retry: () => void;
} {
  const api = useApi(metallbApiRef);
  const namespace = entity.metadata.namespace ?? 'default';
  const { kind } = entity;
  const { name } = entity.metadata;
  return useAsyncRetry(
    () => api.getEntityReport({ namespace, kind, name }),
    [api, namespace, kind, name],
  );
}
