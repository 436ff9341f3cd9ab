import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { buildEntityIndex, loadEntityIndex } from './entityIndex';

const entity = (
  kind: string,
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations },
});

describe('buildEntityIndex', () => {
  const index = buildEntityIndex([
    entity('Component', 'storefront', {
      'backstage.io/kubernetes-id': 'storefront',
    }),
    entity('System', 'shop', { 'backstage.io/kubernetes-id': 'storefront' }),
    entity('Component', 'edge', {
      'backstage.io/kubernetes-label-selector': 'app in (edge-gateway)',
      'backstage.io/kubernetes-namespace': 'edge',
    }),
    // The label selector wins over the id, as in the kubernetes plugin.
    entity('Component', 'both', {
      'backstage.io/kubernetes-id': 'storefront',
      'backstage.io/kubernetes-label-selector': 'tier=db',
    }),
    entity('Component', 'broken', {
      'backstage.io/kubernetes-label-selector': 'app in (unclosed',
    }),
    entity('Component', 'no-k8s', {}),
  ]);

  it('lists every entity a Service maps to, sorted', () => {
    expect(
      index.refsOf({
        namespace: 'shop',
        labels: { 'backstage.io/kubernetes-id': 'storefront' },
      }),
    ).toEqual(['component:default/storefront', 'system:default/shop']);
    expect(
      index.refsOf({
        namespace: 'shop',
        labels: { 'backstage.io/kubernetes-id': 'storefront', tier: 'db' },
      }),
    ).toEqual([
      'component:default/both',
      'component:default/storefront',
      'system:default/shop',
    ]);
  });

  it('honours the namespace annotation', () => {
    const labels = { app: 'edge-gateway' };
    expect(index.refsOf({ namespace: 'edge', labels })).toEqual([
      'component:default/edge',
    ]);
    expect(index.refsOf({ namespace: 'other', labels })).toEqual([]);
  });

  it('answers [] for a Service no entity maps to', () => {
    expect(index.refsOf({ namespace: 'x', labels: {} })).toEqual([]);
  });
});

describe('loadEntityIndex', () => {
  it('asks the catalog for annotated entities only', async () => {
    const catalog = catalogServiceMock({
      entities: [
        entity('Component', 'storefront', {
          'backstage.io/kubernetes-id': 'storefront',
        }),
        entity('Component', 'edge', {
          'backstage.io/kubernetes-label-selector': 'app=edge-gateway',
        }),
        entity('Component', 'no-k8s', {}),
      ],
    });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    const index = await loadEntityIndex(catalog, mockCredentials.user());
    // The existence filter (CATALOG_FILTER_EXISTS) matched in the catalog mock, so no-k8s was not read.
    const { items } = await getEntities.mock.results[0].value;
    expect(items.map((e: Entity) => e.metadata.name).sort()).toEqual([
      'edge',
      'storefront',
    ]);
    expect(
      index.refsOf({
        namespace: 'x',
        labels: {
          'backstage.io/kubernetes-id': 'storefront',
          app: 'edge-gateway',
        },
      }),
    ).toEqual(['component:default/edge', 'component:default/storefront']);
  });
});
