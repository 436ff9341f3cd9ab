import type { Entity } from '@backstage/catalog-model';
import { isMetallbAvailable } from './conditions';

function entity(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'web', annotations },
  };
}

describe('isMetallbAvailable', () => {
  it('is true with the kubernetes-id annotation', () => {
    expect(
      isMetallbAvailable(entity({ 'backstage.io/kubernetes-id': 'web' })),
    ).toBe(true);
  });

  it('is true with the label selector annotation', () => {
    expect(
      isMetallbAvailable(
        entity({ 'backstage.io/kubernetes-label-selector': 'app=web' }),
      ),
    ).toBe(true);
  });

  it('is false without either annotation', () => {
    expect(isMetallbAvailable(entity())).toBe(false);
    expect(
      isMetallbAvailable(entity({ 'backstage.io/kubernetes-id': '' })),
    ).toBe(false);
  });
});
