import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { FreshPermissionCache } from '../../__testUtils__/FreshPermissionCache';
import { metallbApiRef, type MetallbApi } from '../../api';
import {
  annotatedEntity,
  createMockMetallbApi,
  denyOnly,
  makeEntityReport,
  unannotatedEntity,
} from '../../__testUtils__/fixtures';
import { EntityMetallbCard } from './EntityMetallbCard';

function renderCard(
  api: MetallbApi,
  entity: Entity = annotatedEntity,
  deny: string[] = [],
) {
  return renderInTestApp(
    <FreshPermissionCache>
      <TestApiProvider
        apis={[
          [metallbApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({ authorize: denyOnly(...deny) }),
          ],
        ]}
      >
        <EntityProvider entity={entity}>
          <EntityMetallbCard />
        </EntityProvider>
      </TestApiProvider>
    </FreshPermissionCache>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityMetallbCard', () => {
  it('summarises the health and links to the Load Balancers tab', async () => {
    await renderCard(createMockMetallbApi());
    expect(
      await screen.findByText('1 LoadBalancer Service, 2 findings'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/1 error · 0 warning · 0 info · 0 ok/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View load balancers/ }),
    ).toHaveAttribute('href', '/catalog/default/component/web/load-balancers');
  });

  it('counts clusters that could not be scanned', async () => {
    await renderCard(
      createMockMetallbApi({
        getEntityReport: jest.fn().mockResolvedValue(
          makeEntityReport({
            clusters: [
              { name: 'edge', stale: true, error: { message: 'forbidden' } },
            ],
          }),
        ),
      }),
    );
    expect(
      await screen.findByText('1 cluster could not be scanned'),
    ).toBeInTheDocument();
  });

  it('names the annotation when the entity has none', async () => {
    const api = createMockMetallbApi();
    await renderCard(api, unannotatedEntity);
    expect(
      screen.getByText(/backstage\.io\/kubernetes-id/),
    ).toBeInTheDocument();
    expect(api.getEntityReport).not.toHaveBeenCalled();
  });

  it('tells denied users they may not read reports', async () => {
    await renderCard(createMockMetallbApi(), annotatedEntity, [
      'metallb.report.read',
    ]);
    expect(
      await screen.findByText(/Not allowed to read load balancer reports/),
    ).toBeInTheDocument();
  });
});
