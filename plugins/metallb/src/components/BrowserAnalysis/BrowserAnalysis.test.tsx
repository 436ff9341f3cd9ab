import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import type { ReactNode } from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { metallbApiRef } from '../../api';
import {
  annotatedEntity,
  createMockMetallbApi,
} from '../../__testUtils__/fixtures';
import { BrowserAnalysis } from './BrowserAnalysis';

const server = setupServer();
registerMswTestHooks(server);

const proxy = 'http://example.com/api/kubernetes/proxy';

function Apis(props: { children: ReactNode }) {
  return (
    <TestApiProvider
      apis={[
        [metallbApiRef, createMockMetallbApi()],
        [
          discoveryApiRef,
          mockApis.discovery({ baseUrl: 'http://example.com' }),
        ],
        [fetchApiRef, new MockFetchApi()],
      ]}
    >
      {props.children}
    </TestApiProvider>
  );
}

const service = (name: string, id: string, ip: string) => ({
  metadata: {
    name,
    namespace: 'shop',
    labels: { 'backstage.io/kubernetes-id': id },
    annotations: { 'metallb.io/loadBalancerIPs': ip },
  },
  spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] },
  status: { loadBalancer: {} },
});

/** A cluster whose MetalLB pool does not contain the address `web` asks for. */
function serveCluster(seen: Array<{ path: string; cluster: string | null }>) {
  const lists: Record<string, object[]> = {
    '/api/v1/services': [
      service('web', 'web', '192.168.99.9'),
      service('other', 'other', '10.0.0.1'),
    ],
    '/apis/metallb.io/v1beta1/ipaddresspools': [
      {
        metadata: { name: 'default-pool', namespace: 'metallb-system' },
        spec: { addresses: ['10.0.0.0/28'] },
      },
    ],
  };
  server.use(
    http.get(`${proxy}/*`, ({ request }) => {
      const path = new URL(request.url).pathname.replace(
        '/api/kubernetes/proxy',
        '',
      );
      seen.push({
        path,
        cluster: request.headers.get('Backstage-Kubernetes-Cluster'),
      });
      if (path === '/api/v1/events') {
        return HttpResponse.json(
          { kind: 'Status', reason: 'Forbidden' },
          { status: 403 },
        );
      }
      if (path.includes('/configmaps/')) {
        return HttpResponse.json({ kind: 'Status' }, { status: 404 });
      }
      return HttpResponse.json({ items: lists[path] ?? [] });
    }),
  );
}

describe('BrowserAnalysis', () => {
  it('analyses a not-scannable cluster through the kubernetes proxy with the engine', async () => {
    const seen: Array<{ path: string; cluster: string | null }> = [];
    serveCluster(seen);
    await renderInTestApp(
      <Apis>
        <BrowserAnalysis entity={annotatedEntity} />
      </Apis>,
    );

    // The fixtures' `edge` cluster is not scannable ("no credentials"); `prod` is.
    const button = await screen.findByRole('button', {
      name: 'Analyse edge with my credentials',
    });
    expect(
      screen.queryByRole('button', { name: /Analyse prod/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(button);

    const table = await screen.findByRole('table', {
      name: 'LoadBalancer Services',
    });
    // Only the entity's Service (by its kubernetes-id label), with the engine's verdict.
    expect(within(table).getByText('shop/web')).toBeInTheDocument();
    expect(within(table).queryByText('shop/other')).not.toBeInTheDocument();
    // The engine's verdict: the asked-for address is in no pool.
    expect(within(table).getByText('Cannot assign an IP')).toBeInTheDocument();
    expect(within(table).getByText('Warning')).toBeInTheDocument();
    expect(
      screen.getByText(/Not readable with your access.*\/api\/v1\/events/),
    ).toBeInTheDocument();

    // Every request went to the proxy for that cluster, with the user's Backstage identity.
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every(s => s.cluster === 'edge')).toBe(true);
    expect(seen.map(s => s.path)).toEqual(
      expect.arrayContaining([
        '/api/v1/services',
        '/apis/metallb.io/v1beta1/ipaddresspools',
        '/api/v1/namespaces/metallb-system/configmaps/config',
      ]),
    );
  });

  it('says why when the cluster refuses the Services list', async () => {
    server.use(
      http.get(`${proxy}/*`, () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'Unauthorized' },
            response: { statusCode: 401 },
          },
          { status: 401 },
        ),
      ),
    );
    await renderInTestApp(
      <Apis>
        <BrowserAnalysis entity={annotatedEntity} />
      </Apis>,
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Analyse edge with my credentials',
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /Could not read edge with your credentials: .*401/,
    );
  });
});
