import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MetallbClient, metallbApiRef } from '../../api';
import { FREE_IP_PICKER_NAME, FreeIpPicker } from './FreeIpPicker';

jest.setTimeout(30_000);

/** The picker waits for a pause in typing before it asks; give it room on a slow machine. */
const WAIT = { timeout: 5000 };

const server = setupServer();
registerMswTestHooks(server);

/** The "Load balancer" page of the example template, with the picker on `ip`. */
const manifest = {
  title: 'LB Service',
  steps: [
    {
      title: 'Load balancer',
      schema: {
        type: 'object',
        required: ['cluster'],
        properties: {
          namespace: { title: 'Namespace', type: 'string', default: 'shop' },
          cluster: {
            title: 'Cluster',
            type: 'string',
            enum: ['healthy-dc', 'edge-chisel'],
          },
          pool: { title: 'MetalLB pool', type: 'string' },
          ip: {
            title: 'IP address',
            type: 'string',
            'ui:field': FREE_IP_PICKER_NAME,
          },
        },
      },
    },
  ],
};

/** The form's enum field is a MUI (non-native) select: open it, then pick the option. */
async function chooseCluster(
  user: ReturnType<typeof userEvent.setup>,
  name: string,
) {
  await user.click(screen.getByRole('button', { name: /Cluster/ }));
  await user.click(await screen.findByRole('option', { name }));
}

function renderForm(onCreate: jest.Mock) {
  const client = new MetallbClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://example.com' }),
    fetchApi: new MockFetchApi(),
  });
  return renderInTestApp(
    <TestApiProvider apis={[[metallbApiRef, client]]}>
      <Stepper
        manifest={manifest}
        extensions={[{ name: FREE_IP_PICKER_NAME, component: FreeIpPicker }]}
        onCreate={onCreate}
      />
    </TestApiProvider>,
  );
}

describe('FreeIpPicker in the scaffolder form', () => {
  it("offers the free addresses of the form's cluster and pool and submits the one picked", async () => {
    const seen: string[] = [];
    server.use(
      http.get(
        'http://example.com/api/metallb/clusters/:cluster/pools/:pool/free-ips',
        ({ params, request }) => {
          const url = new URL(request.url);
          seen.push(`${params.cluster}/${params.pool}${url.search}`);
          if (params.pool !== 'dc-public') {
            return HttpResponse.json(
              { error: { name: 'NotFoundError', message: 'no such pool' } },
              { status: 404 },
            );
          }
          return HttpResponse.json({
            cluster: params.cluster,
            pool: params.pool,
            namespace: url.searchParams.get('namespace'),
            family: 'ipv4',
            snapshotAt: '2026-01-01T10:00:00Z',
            ips: ['10.20.30.0', '10.20.30.4', '10.20.30.5'],
          });
        },
      ),
    );
    const user = userEvent.setup();
    const onCreate = jest.fn().mockResolvedValue(undefined);
    await renderForm(onCreate);

    const picker = screen.getByRole('combobox', { name: 'IP address' });
    expect(picker).toBeDisabled();
    expect(
      screen.getByText('Choose a cluster and a MetalLB pool first'),
    ).toBeInTheDocument();

    await chooseCluster(user, 'healthy-dc');
    await user.type(
      screen.getByRole('textbox', { name: 'MetalLB pool' }),
      'dc-public',
    );

    await within(picker).findByRole('option', { name: '10.20.30.5' }, WAIT);
    expect(
      within(picker)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'Any free address (MetalLB picks)',
      '10.20.30.0',
      '10.20.30.4',
      '10.20.30.5',
    ]);
    expect(
      screen.getByText(/3 free in pool dc-public for namespace shop/),
    ).toBeInTheDocument();
    // Asked once the pool was typed, not on every keystroke.
    expect(seen).toEqual(['healthy-dc/dc-public?namespace=shop&limit=20']);

    await user.selectOptions(picker, '10.20.30.4');
    await user.click(screen.getByRole('button', { name: 'Review' }));
    await user.click(await screen.findByRole('button', { name: 'Create' }));
    await waitFor(() =>
      expect(onCreate).toHaveBeenCalledWith(
        expect.objectContaining({
          cluster: 'healthy-dc',
          pool: 'dc-public',
          ip: '10.20.30.4',
        }),
      ),
    );
  });

  it('says why when the pool has no free address, and shows backend errors', async () => {
    server.use(
      http.get(
        'http://example.com/api/metallb/clusters/:cluster/pools/:pool/free-ips',
        ({ params }) =>
          params.pool === 'full'
            ? HttpResponse.json({
                cluster: params.cluster,
                pool: params.pool,
                namespace: 'shop',
                ips: [],
                reason: 'no available IPs',
              })
            : HttpResponse.json(
                {
                  error: {
                    name: 'NotFoundError',
                    message:
                      'Cluster \'healthy-dc\' has no MetalLB pool "nope"',
                  },
                  // Backstage's error body, as the backend's error handler sends it.
                  response: { statusCode: 404 },
                },
                { status: 404 },
              ),
      ),
    );
    const user = userEvent.setup();
    await renderForm(jest.fn());
    await chooseCluster(user, 'healthy-dc');
    const pool = screen.getByRole('textbox', { name: 'MetalLB pool' });
    await user.type(pool, 'full');
    expect(
      await screen.findByText(
        'No free address in pool full for namespace shop: no available IPs',
        undefined,
        WAIT,
      ),
    ).toBeInTheDocument();

    await user.clear(pool);
    await user.type(pool, 'nope');

    expect(
      await screen.findByText(
        /Could not list free addresses: .*no MetalLB pool/,
        undefined,
        WAIT,
      ),
    ).toBeInTheDocument();
  });
});
