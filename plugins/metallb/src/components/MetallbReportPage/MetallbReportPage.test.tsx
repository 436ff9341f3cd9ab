import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { FreshPermissionCache } from '../../__testUtils__/FreshPermissionCache';
import { metallbApiRef, type MetallbApi } from '../../api';
import { createMockMetallbApi, denyOnly } from '../../__testUtils__/fixtures';
import { MetallbReportPage } from './MetallbReportPage';

/** Renders the current URL search so tests can assert what a shared link would contain. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.search}</output>;
}

function renderPage(
  api: MetallbApi,
  options: { deny?: string[]; initialSearch?: string } = {},
) {
  return renderInTestApp(
    <FreshPermissionCache>
      <TestApiProvider
        apis={[
          [metallbApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({
              authorize: denyOnly(...(options.deny ?? [])),
            }),
          ],
        ]}
      >
        <MetallbReportPage />
        <LocationProbe />
      </TestApiProvider>
    </FreshPermissionCache>,
    {
      routeEntries: [`/metallb${options.initialSearch ?? ''}`],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('MetallbReportPage', () => {
  it('shows the summary tiles, clusters, trend and findings', async () => {
    const api = createMockMetallbApi();
    await renderPage(api);
    const summary = await screen.findByRole('list', { name: 'Summary' });
    expect(within(summary).getByLabelText('Clusters: 2')).toBeInTheDocument();
    expect(
      within(summary).getByLabelText('LB Services: 7'),
    ).toBeInTheDocument();
    expect(within(summary).getByLabelText('Errors: 4')).toBeInTheDocument();
    expect(within(summary).getByLabelText('Warnings: 2')).toBeInTheDocument();
    expect(
      within(summary).getByLabelText('Active write loops: 1'),
    ).toBeInTheDocument();

    const clusters = await screen.findByRole('table', { name: 'Clusters' });
    expect(
      within(clusters).getByText('Not scannable: no credentials'),
    ).toBeInTheDocument();

    expect(
      (await screen.findByRole('img')).getAttribute('aria-label'),
    ).toContain('latest: 4 errors');

    const findings = await screen.findByRole('region', { name: 'Findings' });
    expect(
      await within(findings).findByTitle(
        'MetalLB and chisel-operator both write the status',
      ),
    ).toHaveTextContent('Several controllers act on the Service');
    // One row per finding: the Service has two.
    expect(
      screen.getAllByRole('link', { name: 'component:default/web' })[0],
    ).toHaveAttribute('href', '/catalog/default/component/web');
    expect(screen.getAllByRole('link', { name: 'web' })[0]).toHaveAttribute(
      'href',
      '/catalog/default/component/web/load-balancers',
    );
  });

  it('puts a filter change into the URL and asks the API with it', async () => {
    const api = createMockMetallbApi();
    await renderPage(api);
    await screen.findByRole('list', { name: 'Summary' });

    await userEvent.selectOptions(screen.getByLabelText('Severity'), 'error');
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        'severity=error',
      ),
    );
    await waitFor(() =>
      expect(api.getReport).toHaveBeenLastCalledWith(
        expect.objectContaining({ severity: 'error' }),
      ),
    );
  });

  it('reads the filters of a shared URL and exports with them', async () => {
    const api = createMockMetallbApi();
    await renderPage(api, { initialSearch: '?cluster=prod&rule=write-loop' });
    await waitFor(() =>
      expect(api.getReport).toHaveBeenCalledWith(
        expect.objectContaining({ cluster: 'prod', rule: 'write-loop' }),
      ),
    );
    expect(api.getHistory).toHaveBeenCalledWith({ cluster: 'prod' });
    await waitFor(() =>
      expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
        'href',
        'http://example.com/api/metallb/report/export?format=csv&cluster=prod&rule=write-loop',
      ),
    );
    expect(
      screen
        .getByRole('link', { name: 'Export Markdown' })
        .getAttribute('href'),
    ).toContain('format=markdown');
  });

  it('shows a not-allowed panel without metallb.report.read', async () => {
    const api = createMockMetallbApi();
    await renderPage(api, { deny: ['metallb.report.read'] });
    expect(
      await screen.findByText(/Not allowed to read load balancer reports/),
    ).toBeInTheDocument();
    expect(api.getReport).not.toHaveBeenCalled();
  });

  it('shows an error panel when the backend is down', async () => {
    const api = createMockMetallbApi({
      getReport: jest.fn().mockRejectedValue(new Error('502 Bad Gateway')),
    });
    await renderPage(api);
    expect(
      (
        await screen.findAllByText(
          /Could not load data from the LB Doctor backend/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });

  it('scans every cluster on "Scan now" and reloads', async () => {
    const api = createMockMetallbApi();
    await renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Scan now' }),
    );
    expect(api.scan).toHaveBeenCalledWith();
    await waitFor(() => expect(api.getReport).toHaveBeenCalledTimes(2));
  });
});
