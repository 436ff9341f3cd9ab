import { mockServices } from '@backstage/backend-test-utils';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  DefaultKubernetesClusterClient,
  KubernetesRequestError,
} from './kubernetes';

/** A stand-in for the kubernetes backend plugin's `/clusters` and `/proxy` routes. */
function startKubernetesPluginStub(
  handle: (req: IncomingMessage) => { status: number; body: unknown } | 'hang',
): Promise<{ server: Server; base: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    const answer = handle(req);
    if (answer === 'hang') return;
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        base: `http://127.0.0.1:${
          (server.address() as AddressInfo).port
        }/api/kubernetes`,
        seen,
      }),
    ),
  );
}

describe('DefaultKubernetesClusterClient', () => {
  let stub: Awaited<ReturnType<typeof startKubernetesPluginStub>>;
  let client: DefaultKubernetesClusterClient;

  beforeAll(async () => {
    stub = await startKubernetesPluginStub(req => {
      const url = req.url ?? '';
      if (url === '/api/kubernetes/clusters') {
        return {
          status: 200,
          body: {
            items: [
              { name: 'east', authProvider: 'serviceAccount', title: 'East' },
              { name: 'gke', authProvider: 'google' },
              { name: 'oidc', authProvider: 'oidc' },
            ],
          },
        };
      }
      if (url.startsWith('/api/kubernetes/proxy/api/v1/services')) {
        return { status: 200, body: { kind: 'ServiceList', items: [] } };
      }
      if (url.startsWith('/api/kubernetes/proxy/apis/metallb.io')) {
        return {
          status: 403,
          body: {
            kind: 'Status',
            code: 403,
            message: 'ipaddresspools is forbidden',
          },
        };
      }
      if (url.startsWith('/api/kubernetes/proxy/down')) {
        return {
          status: 500,
          body: {
            error: {
              name: 'ForwardedError',
              message: "Cluster 'east' request error",
              cause: {
                code: 'ECONNREFUSED',
                message: 'connect ECONNREFUSED 127.0.0.1:1',
              },
            },
            response: { statusCode: 500 },
          },
        };
      }
      return 'hang';
    });
    const discovery = mockServices.discovery.mock({
      getBaseUrl: async () => stub.base,
    });
    client = new DefaultKubernetesClusterClient({
      discovery,
      auth: mockServices.auth(),
    });
  });

  afterAll(async () => {
    stub.server.closeAllConnections();
    await new Promise(resolve => stub.server.close(resolve));
  });

  it('lists clusters and marks user-token providers as not scannable', async () => {
    const clusters = await client.listClusters();
    expect(clusters).toEqual([
      {
        name: 'east',
        title: 'East',
        authProvider: 'serviceAccount',
        scannable: true,
      },
      expect.objectContaining({ name: 'gke', scannable: false }),
      expect.objectContaining({ name: 'oidc', scannable: false }),
    ]);
    expect(clusters[1].reason).toContain('googleServiceAccount');
  });

  it('GETs through the proxy with the cluster header and a service token', async () => {
    await expect(
      client.get('east', '/api/v1/services?limit=5'),
    ).resolves.toEqual({
      kind: 'ServiceList',
      items: [],
    });
    const request = stub.seen[stub.seen.length - 1];
    expect(request.url).toBe('/api/kubernetes/proxy/api/v1/services?limit=5');
    expect(request.headers['backstage-kubernetes-cluster']).toBe('east');
    expect(request.headers.authorization).toMatch(/^Bearer /);
    expect(
      request.headers['backstage-kubernetes-authorization'],
    ).toBeUndefined();
  });

  it('returns typed errors with the API status', async () => {
    const error = await client
      .get<never>('east', '/apis/metallb.io/v1beta1/ipaddresspools')
      .catch((e: KubernetesRequestError) => e);
    expect(error).toBeInstanceOf(KubernetesRequestError);
    expect(error).toMatchObject({ kind: 'http', status: 403, cluster: 'east' });
    expect(error.message).toContain('ipaddresspools is forbidden');
  });

  it('recognises an unreachable cluster behind the proxy', async () => {
    const error = await client.get('east', '/down').catch(e => e);
    expect(error).toMatchObject({ kind: 'connection', status: undefined });
  });

  it('stops on abort and says it timed out', async () => {
    const controller = new AbortController();
    setTimeout(
      () =>
        controller.abort(
          Object.assign(new Error('timed out after 1 s'), {
            code: 'ETIMEDOUT',
          }),
        ),
      50,
    );
    const error = await client
      .get('east', '/hang', { signal: controller.signal })
      .catch(e => e);
    expect(error).toMatchObject({ kind: 'timeout' });
  });
});
