import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  DefaultMetallbService,
  MetallbServiceError,
  parseEntityRef,
} from './service';

describe('DefaultMetallbService', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ req: IncomingMessage; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        seen.push({ req, body });
        if (req.url === '/api/metallb/clusters/missing') {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              error: { name: 'NotFoundError', message: 'no such cluster' },
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ echo: req.url }));
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/metallb`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  const service = () =>
    new DefaultMetallbService({
      discovery: mockServices.discovery.mock({ getBaseUrl: async () => base }),
      auth: mockServices.auth(),
    });

  it('calls the entity route on behalf of the given user', async () => {
    await expect(
      service().getEntityStatus('Component:shop/store front', {
        credentials: mockCredentials.user('user:default/alice'),
      }),
    ).resolves.toEqual({
      echo: '/api/metallb/entity/shop/component/store%20front',
    });
    const { req } = seen[seen.length - 1];
    expect(req.headers.authorization).toContain('user:default/alice');
  });

  it('posts validations as JSON', async () => {
    await service().validate({ cluster: 'east', manifests: 'kind: Service' });
    const { req, body } = seen[seen.length - 1];
    expect(req.method).toBe('POST');
    expect(JSON.parse(body)).toEqual({
      cluster: 'east',
      manifests: 'kind: Service',
    });
  });

  it('turns error answers into MetallbServiceError', async () => {
    const error = await service()
      .getClusterState('missing')
      .catch(e => e);
    expect(error).toBeInstanceOf(MetallbServiceError);
    expect(error.status).toBe(404);
    expect(error.message).toContain('no such cluster');
  });

  it('parses entity refs', () => {
    expect(parseEntityRef('component:storefront')).toEqual({
      kind: 'component',
      namespace: 'default',
      name: 'storefront',
    });
    expect(() => parseEntityRef('nonsense')).toThrow(/Invalid entity ref/);
  });
});
