import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MetallbClient } from './MetallbClient';

const server = setupServer();
registerMswTestHooks(server);

const base = 'http://example.com/api/metallb';

function makeClient() {
  return new MetallbClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://example.com' }),
    fetchApi: new MockFetchApi(),
  });
}

describe('MetallbClient', () => {
  it('reads the entity report from the encoded entity path', async () => {
    let seenPath = '';
    server.use(
      http.get(`${base}/entity/:namespace/:kind/:name`, ({ request }) => {
        seenPath = new URL(request.url).pathname;
        return HttpResponse.json({
          entityRef: 'component:default/web',
          services: [],
          clusters: [],
        });
      }),
    );
    const report = await makeClient().getEntityReport({
      namespace: 'default',
      kind: 'Component',
      name: 'web app',
    });
    expect(seenPath).toBe('/api/metallb/entity/default/Component/web%20app');
    expect(report.entityRef).toBe('component:default/web');
  });

  it('passes only the set filters and paging to /report', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${base}/report`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({
          summary: {
            clusters: 1,
            services: 0,
            ok: 0,
            info: 0,
            warning: 0,
            error: 0,
            writeLoops: 0,
          },
          items: [],
          totalItems: 0,
        });
      }),
    );
    await makeClient().getReport({
      cluster: 'prod',
      severity: 'error',
      namespace: '',
      limit: 50,
    });
    expect(query && Object.fromEntries(query)).toEqual({
      cluster: 'prod',
      severity: 'error',
      limit: '50',
    });
  });

  it('throws a ResponseError carrying the backend message', async () => {
    server.use(
      http.get(`${base}/clusters`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'nope' },
            request: { method: 'GET', url: '/clusters' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await makeClient()
      .getClusters()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).response.status).toBe(403);
    expect((error as ResponseError).body.error.message).toBe('nope');
  });

  it('posts the cluster to /scan', async () => {
    let body: unknown;
    server.use(
      http.post(`${base}/scan`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ runs: [{ cluster: 'prod', ok: true }] });
      }),
    );
    const result = await makeClient().scan({ cluster: 'prod' });
    expect(body).toEqual({ cluster: 'prod' });
    expect(result.runs).toHaveLength(1);
  });

  it('reads history with its query', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${base}/history`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({
          points: [
            {
              at: '2026-01-01T00:00:00Z',
              cluster: 'a',
              error: 1,
              warning: 0,
              info: 0,
            },
          ],
        });
      }),
    );
    const result = await makeClient().getHistory({ cluster: 'a' });
    expect(query?.get('cluster')).toBe('a');
    expect(result.points[0].error).toBe(1);
  });

  it('builds the export URL with the format and the filters', async () => {
    const url = await makeClient().getExportUrl('markdown', {
      rule: 'write-loop',
      cluster: 'prod',
    });
    expect(url).toBe(
      `${base}/report/export?format=markdown&cluster=prod&rule=write-loop`,
    );
  });

  it('downloads an export with credentials through fetchApi', async () => {
    server.use(
      http.get(`${base}/report/export`, ({ request }) =>
        new URL(request.url).searchParams.get('format') === 'csv'
          ? new HttpResponse('cluster,name\nprod,web\n', {
              headers: { 'Content-Type': 'text/csv' },
            })
          : new HttpResponse(null, { status: 400 }),
      ),
    );
    const blob = await makeClient().exportReport('csv');
    expect(await blob.text()).toBe('cluster,name\nprod,web\n');
  });
});
