import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request that went through the proxy. */
export interface ProxiedRequest {
  method: string;
  /** Path and query, as the client sent them. */
  url: string;
}

export interface CountingProxy {
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * A plain HTTP proxy in front of the cluster simulator that remembers every request, so tests can
 * count what a scan really asked the cluster for (the simulator does not keep a log).
 */
export async function startCountingProxy(
  target: string,
): Promise<CountingProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/' });
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
