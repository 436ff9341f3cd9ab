import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FreshPermissionCache } from '../../__testUtils__/FreshPermissionCache';
import { metallbApiRef, type EntityReport, type MetallbApi } from '../../api';
import {
  FIX_YAML,
  RBAC_YAML,
  annotatedEntity,
  createMockMetallbApi,
  denyOnly,
  makeEntityReport,
  unannotatedEntity,
} from '../../__testUtils__/fixtures';
import { EntityMetallbContent } from './EntityMetallbContent';

function renderContent(options: {
  api: MetallbApi;
  entity?: Entity;
  deny?: string[];
}) {
  return renderInTestApp(
    <FreshPermissionCache>
      <TestApiProvider
        apis={[
          [metallbApiRef, options.api],
          [
            permissionApiRef,
            mockApis.permission({
              authorize: denyOnly(...(options.deny ?? [])),
            }),
          ],
        ]}
      >
        <EntityProvider entity={options.entity ?? annotatedEntity}>
          <EntityMetallbContent />
        </EntityProvider>
      </TestApiProvider>
    </FreshPermissionCache>,
  );
}

describe('EntityMetallbContent', () => {
  it('lists findings worst first and opens one to its remediation YAML with a copy button', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
    const api = createMockMetallbApi();
    await renderContent({ api });

    expect(api.getEntityReport).toHaveBeenCalledWith({
      namespace: 'default',
      kind: 'Component',
      name: 'web',
    });
    const findings = await screen.findByRole('region', { name: /Findings/ });
    const summaries = within(findings).getAllByRole('button', {
      expanded: false,
    });
    // The error (controller contention) sorts before the warning (deprecated field).
    expect(summaries[0]).toHaveTextContent(
      'Several controllers act on the Service',
    );
    expect(summaries[1]).toHaveTextContent('spec.loadBalancerIP is deprecated');

    await userEvent.click(summaries[0]);
    const yaml = await screen.findByLabelText(
      'YAML: Give the Service to chisel-operator',
    );
    expect(yaml.textContent).toBe(FIX_YAML);
    expect(
      screen.getByText('managedFields: metallb-controller and chisel-operator'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', {
        name: 'Copy YAML: Give the Service to chisel-operator',
      }),
    );
    expect(writeText).toHaveBeenCalledWith(FIX_YAML);
  });

  it('shows the Service row with requested IP source, owners, verdict and status', async () => {
    await renderContent({ api: createMockMetallbApi() });
    const table = await screen.findByRole('table', {
      name: 'LoadBalancer Services',
    });
    expect(within(table).getByText('shop/web')).toBeInTheDocument();
    expect(
      within(table).getByText('from spec.loadBalancerIP (deprecated field)'),
    ).toBeInTheDocument();
    expect(within(table).getByText('chisel-operator')).toBeInTheDocument();
    expect(within(table).getByText('Removes the IPs')).toBeInTheDocument();
    expect(within(table).getByText('pool default-pool')).toBeInTheDocument();
    expect(within(table).getByText('Error')).toBeInTheDocument();
    expect(screen.getByText(/^Last scan:/)).toBeInTheDocument();
  });

  it('names the annotations to add when the entity has none, without calling the backend', async () => {
    const api = createMockMetallbApi();
    await renderContent({ api, entity: unannotatedEntity });
    expect(
      screen.getAllByText(/backstage\.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getAllByText(/backstage\.io\/kubernetes-label-selector/).length,
    ).toBeGreaterThan(0);
    expect(api.getEntityReport).not.toHaveBeenCalled();
  });

  it('names the annotation the backend asks for', async () => {
    const api = createMockMetallbApi({
      getEntityReport: jest.fn().mockResolvedValue(
        makeEntityReport({
          services: [],
          missingAnnotation: 'backstage.io/kubernetes-namespace',
        }),
      ),
    });
    await renderContent({ api });
    expect(
      (await screen.findAllByText(/backstage\.io\/kubernetes-namespace/))
        .length,
    ).toBeGreaterThan(0);
  });

  it('says when the entity has no LoadBalancer Services', async () => {
    const api = createMockMetallbApi({
      getEntityReport: jest
        .fn()
        .mockResolvedValue(makeEntityReport({ services: [] })),
    });
    await renderContent({ api });
    expect(
      await screen.findByText('No LoadBalancer Services'),
    ).toBeInTheDocument();
    expect(screen.getByText(/in prod\./)).toBeInTheDocument();
  });

  it('explains a failing cluster with its RBAC snippet', async () => {
    const api = createMockMetallbApi({
      getEntityReport: jest.fn().mockResolvedValue(
        makeEntityReport({
          services: [],
          clusters: [
            {
              name: 'edge',
              stale: true,
              error: {
                message: 'services is forbidden',
                action: 'Grant LB Doctor read access to Services',
                yaml: RBAC_YAML,
              },
            },
          ],
        }),
      ),
    });
    await renderContent({ api });
    expect(
      await screen.findByText(/Cluster edge could not be scanned/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Grant LB Doctor read access to Services'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('RBAC for edge').textContent).toBe(RBAC_YAML);
  });

  it('shows progress while loading', async () => {
    const api = createMockMetallbApi({
      getEntityReport: jest.fn(() => new Promise<EntityReport>(() => {})),
    });
    await renderContent({ api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows an error panel when the backend is down', async () => {
    const api = createMockMetallbApi({
      getEntityReport: jest
        .fn()
        .mockRejectedValue(new Error('connect ECONNREFUSED')),
    });
    await renderContent({ api });
    expect(
      await screen.findByText(/Could not load data from the LB Doctor backend/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/ECONNREFUSED/).length).toBeGreaterThan(0);
  });

  it('offers "Scan now" to permitted users and scans the entity clusters', async () => {
    const api = createMockMetallbApi();
    await renderContent({ api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Scan now' }),
    );
    expect(api.scan).toHaveBeenCalledWith({ cluster: 'prod' });
    await waitFor(() => expect(api.getEntityReport).toHaveBeenCalledTimes(2));
  });

  it('hides "Scan now" from users without metallb.scan.create', async () => {
    await renderContent({
      api: createMockMetallbApi(),
      deny: ['metallb.scan.create'],
    });
    await screen.findByRole('table', { name: 'LoadBalancer Services' });
    expect(
      screen.queryByRole('button', { name: 'Scan now' }),
    ).not.toBeInTheDocument();
  });

  it('shows a not-allowed panel without metallb.report.read', async () => {
    const api = createMockMetallbApi();
    await renderContent({ api, deny: ['metallb.report.read'] });
    expect(
      await screen.findByText(/Not allowed to read load balancer reports/),
    ).toBeInTheDocument();
    expect(api.getEntityReport).not.toHaveBeenCalled();
  });
});
