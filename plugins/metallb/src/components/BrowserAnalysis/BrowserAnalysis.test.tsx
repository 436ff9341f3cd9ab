import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  kubernetesAuthProvidersApiRef,
  type KubernetesAuthProvidersApi,
} from '@backstage/plugin-kubernetes-react';
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

const kubernetes = 'http://example.com/api/kubernetes';
const proxy = `${kubernetes}/proxy`;

/** The user's token per auth provider, as the kubernetes plugin's auth providers API gives it. */
function authProviders(tokens: Record<string, string>) {
  const getCredentials = jest.fn(async (authProvider: string) => ({
    token: tokens[authProvider],
  }));
  const api: KubernetesAuthProvidersApi = {
    getCredentials,
    decorateRequestBodyForAuth: async (_provider, body) => body,
  };
  return { api, getCredentials };
}

function Apis(props: {
  children: ReactNode;
  /** Absent: an app without the kubernetes plugin. */
  kubernetesAuthProviders?: KubernetesAuthProvidersApi;
}) {
  const { kubernetesAuthProviders } = props;
  return (
    <TestApiProvider
      apis={[
        [metallbApiRef, createMockMetallbApi()],
        [
          discoveryApiRef,
          mockApis.discovery({ baseUrl: 'http://example.com' }),
        ],
        [fetchApiRef, new MockFetchApi()],
        ...(kubernetesAuthProviders
          ? [[kubernetesAuthProvidersApiRef, kubernetesAuthProviders] as const]
          : []),
      ]}
    >
      {props.children}
    </TestApiProvider>
  );
}

/** The kubernetes backend's cluster list, which tells the client each cluster's auth provider. */
function serveClusters(
  clusters: Array<{
    name: string;
    authProvider: string;
    oidcTokenProvider?: string;
  }>,
) {
  const requests = { count: 0 };
  server.use(
    http.get(`${kubernetes}/clusters`, () => {
      requests.count += 1;
      return HttpResponse.json({ items: clusters });
    }),
  );
  return requests;
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
interface Seen {
  path: string;
  cluster: string | null;
  headers: Record<string, string>;
}

function serveCluster(seen: Seen[]) {
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
        headers: Object.fromEntries(request.headers.entries()),
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

async function clickAnalyseEdge() {
  // The fixtures' `edge` cluster is not scannable ("no credentials"); `prod` is.
  const button = await screen.findByRole('button', {
    name: 'Analyse edge with my credentials',
  });
  expect(
    screen.queryByRole('button', { name: /Analyse prod/ }),
  ).not.toBeInTheDocument();
  await userEvent.click(button);
}

describe('BrowserAnalysis', () => {
  it.each([
    {
      cluster: { name: 'edge', authProvider: 'google' },
      provider: 'google',
      header: 'backstage-kubernetes-authorization-google',
    },
    {
      cluster: {
        name: 'edge',
        authProvider: 'oidc',
        oidcTokenProvider: 'okta',
      },
      provider: 'oidc.okta',
      header: 'backstage-kubernetes-authorization-oidc-okta',
    },
  ])(
    "analyses a $cluster.authProvider cluster through the kubernetes proxy with the user's $provider token",
    async ({ cluster, provider, header }) => {
      const seen: Seen[] = [];
      serveCluster(seen);
      const clusterLists = serveClusters([
        { name: 'prod', authProvider: 'serviceAccount' },
        cluster,
      ]);
      const { api, getCredentials } = authProviders({
        [provider]: 'users-own-token',
      });
      await renderInTestApp(
        <Apis kubernetesAuthProviders={api}>
          <BrowserAnalysis entity={annotatedEntity} />
        </Apis>,
      );
      await clickAnalyseEdge();

      const table = await screen.findByRole('table', {
        name: 'LoadBalancer Services',
      });
      // Only the entity's Service (by its kubernetes-id label), with the engine's verdict.
      expect(within(table).getByText('shop/web')).toBeInTheDocument();
      expect(within(table).queryByText('shop/other')).not.toBeInTheDocument();
      // The engine's verdict: the asked-for address is in no pool.
      expect(
        within(table).getByText('Cannot assign an IP'),
      ).toBeInTheDocument();
      expect(within(table).getByText('Warning')).toBeInTheDocument();
      expect(
        screen.getByText(/Not readable with your access.*\/api\/v1\/events/),
      ).toBeInTheDocument();

      // Every request went to the proxy for that cluster with the user's token for the
      // cluster's auth provider, in the header the kubernetes backend reads for it.
      expect(seen.length).toBe(15);
      expect(seen.every(s => s.cluster === 'edge')).toBe(true);
      expect(seen.every(s => s.headers[header] === 'users-own-token')).toBe(
        true,
      );
      expect(getCredentials).toHaveBeenCalledWith(provider);
      // The Services list first and alone, so a sign-in prompt opens once.
      expect(seen[0].path).toBe('/api/v1/services');
      expect(seen.map(s => s.path)).toEqual(
        expect.arrayContaining([
          '/apis/metallb.io/v1beta1/ipaddresspools',
          '/api/v1/namespaces/metallb-system/configmaps/config',
        ]),
      );
      // The cluster's auth provider is looked up once, not per request.
      expect(clusterLists.count).toBe(1);
    },
  );

  it('says why when the cluster refuses the Services list', async () => {
    serveClusters([{ name: 'edge', authProvider: 'google' }]);
    const seen: string[] = [];
    server.use(
      http.get(`${proxy}/*`, ({ request }) => {
        seen.push(new URL(request.url).pathname);
        return HttpResponse.json(
          {
            error: { name: 'Error', message: 'Unauthorized' },
            response: { statusCode: 401 },
          },
          { status: 401 },
        );
      }),
    );
    await renderInTestApp(
      <Apis kubernetesAuthProviders={authProviders({ google: 'expired' }).api}>
        <BrowserAnalysis entity={annotatedEntity} />
      </Apis>,
    );
    await clickAnalyseEdge();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /Could not read edge with your credentials: .*401/,
    );
    // Nothing else is asked of a cluster that refuses the Services list.
    expect(seen).toEqual(['/api/kubernetes/proxy/api/v1/services']);
  });

  it('names the plugin to install when the app has no kubernetes auth providers API', async () => {
    const seen: string[] = [];
    server.use(
      http.all(`${kubernetes}/*`, ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json({}, { status: 500 });
      }),
    );
    await renderInTestApp(
      <Apis>
        <BrowserAnalysis entity={annotatedEntity} />
      </Apis>,
    );
    await clickAnalyseEdge();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /Could not read edge with your credentials: .*install @backstage\/plugin-kubernetes/,
    );
    expect(seen).toEqual([]);
  });
});
