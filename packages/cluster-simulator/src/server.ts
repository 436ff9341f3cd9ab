import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo, createServer as createNetServer, Socket } from 'node:net';
import { SimulatedCluster } from './cluster';
import { handleClusterRequest, RouterHost } from './router';
import {
  builtinScenarioNames,
  loadScenarioWithSource,
  ScenarioError,
  validateScenario,
} from './scenarios';
import { statusBody } from './status';
import { Clock } from './store';
import { selfSignedCertificate } from './tls';
import { Scenario } from './types';

export interface SimulatorOptions {
  /** Scenario names (built-in, from `scenarios/<name>.yaml`) or file paths; default: all built-in. */
  scenarios?: string[];
  /** Extra scenarios given as parsed objects (tests build their own). */
  scenarioObjects?: Scenario[];
  host?: string; // default '127.0.0.1'
  port?: number; // default 0 = random free port
  /** Actors act on timers; tests may pass { actors: false } and call tick() themselves. */
  actors?: boolean;
}

export interface SimulatedClusterInfo {
  name: string;
  url: string;
  token: string;
}

export interface RunningSimulator {
  url: string; // http://127.0.0.1:PORT
  clusters: SimulatedClusterInfo[]; // url = `${url}/clusters/<name>` (a full API server base URL)
  /** Runs every actor once (or n times), as if time passed; returns when done. */
  tick(times?: number): Promise<void>;
  /** Replace or add objects in a cluster, bumping resourceVersion as the API server would. */
  apply(cluster: string, objects: unknown[]): void;
  close(): Promise<void>;
  /**
   * The same port also answers TLS (self-signed certificate for 127.0.0.1): kubectl only sends a
   * bearer token over HTTPS. Use `https://127.0.0.1:PORT/clusters/<name>` with `caCertPem` as CA.
   */
  https: { url: string; caCertPem: string };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

export async function startSimulator(
  options: SimulatorOptions = {},
): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  // The simulator has fixed tokens and no TLS: never expose it beyond the loopback interface.
  if (!LOOPBACK.has(host))
    throw new Error(`cluster-simulator only binds to 127.0.0.1, not ${host}`);
  // Only when a caller passes neither list does it get every built-in scenario.
  const names =
    options.scenarios ??
    (options.scenarioObjects?.length ? [] : builtinScenarioNames());
  const scenarios = [
    ...names.map(loadScenarioWithSource),
    ...(options.scenarioObjects ?? []).map((s, i) => ({
      scenario: validateScenario(s, `scenarioObjects[${i}]`),
      source: `scenarioObjects[${i}]`,
    })),
  ];
  const clock = new Clock();
  const clusters = new Map<string, SimulatedCluster>();
  for (const { scenario, source } of scenarios) {
    if (clusters.has(scenario.name)) {
      throw new ScenarioError(
        `${source}: duplicate cluster name "${scenario.name}"`,
      );
    }
    try {
      clusters.set(scenario.name, new SimulatedCluster(scenario, clock));
    } catch (e) {
      // Unknown kinds, actors or CRD bundles are scenario errors too: name the file.
      throw new ScenarioError(`${source}: ${(e as Error).message}`);
    }
  }

  const watches = new Set<() => void>();
  const sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let address = '';
  const routerHost: RouterHost = {
    get serverAddress() {
      return address;
    },
    trackWatch(end) {
      watches.add(end);
      return () => watches.delete(end);
    },
    sleep(ms) {
      return new Promise<void>(resolve => {
        const entry = {
          timer: setTimeout(() => {
            sleeps.delete(entry);
            resolve();
          }, ms),
          resolve,
        };
        entry.timer.unref();
        sleeps.add(entry);
      });
    },
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = url.pathname.match(/^\/clusters\/([^/]+)(\/.*)?$/);
    const sendJson = (code: number, body: unknown) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!m) {
      if (url.pathname === '/' || url.pathname === '/clusters') {
        sendJson(200, {
          clusters: [...clusters.keys()].map(name => ({
            name,
            path: `/clusters/${name}`,
          })),
        });
      } else {
        sendJson(
          404,
          statusBody(
            404,
            'NotFound',
            'the server could not find the requested resource',
            {},
          ),
        );
      }
      return;
    }
    const cluster = clusters.get(decodeURIComponent(m[1]));
    if (!cluster) {
      sendJson(
        404,
        statusBody(
          404,
          'NotFound',
          `cluster "${m[1]}" is not simulated here`,
          {},
        ),
      );
      return;
    }
    handleClusterRequest(
      cluster,
      routerHost,
      req,
      res,
      m[2] ?? '/',
      url.searchParams,
    ).catch(err => {
      if (!res.headersSent)
        sendJson(500, statusBody(500, 'InternalError', String(err), {}));
      else res.destroy();
    });
  };
  const tls = selfSignedCertificate();
  const httpServer = createServer(handler);
  const httpsServer = createHttpsServer(
    { key: tls.keyPem, cert: tls.certPem },
    handler,
  );
  const sockets = new Set<Socket>();
  // One port, two protocols: a TLS ClientHello starts with 0x16, anything else is plain HTTP.
  const server = createNetServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', first => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? httpsServer : httpServer).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `127.0.0.1:${port}`;
  const url = `http://127.0.0.1:${port}`;

  const timers: NodeJS.Timeout[] = [];
  if (options.actors !== false) {
    for (const c of clusters.values()) {
      const t = setInterval(() => c.tick(), c.tickSeconds * 1000);
      t.unref();
      timers.push(t);
    }
  }

  const getCluster = (name: string) => {
    const c = clusters.get(name);
    if (!c) throw new Error(`no simulated cluster named "${name}"`);
    return c;
  };

  return {
    url,
    clusters: [...clusters.values()].map(c => ({
      name: c.name,
      url: `${url}/clusters/${c.name}`,
      token: c.token,
    })),
    async tick(times = 1) {
      for (let i = 0; i < times; i++) {
        // Time passes between ticks, so timestamps (Events, managedFields) move as in a live cluster.
        clock.advance(
          Math.max(...[...clusters.values()].map(c => c.tickSeconds), 1),
        );
        for (const c of clusters.values()) c.tick();
        // Let watch streams flush between ticks, as real controllers are not instantaneous.
        await new Promise(resolve => setImmediate(resolve));
      }
    },
    https: { url: `https://127.0.0.1:${port}`, caCertPem: tls.certPem },
    apply(cluster, objects) {
      getCluster(cluster).apply(objects);
    },
    async close() {
      timers.forEach(clearInterval);
      for (const s of sleeps) {
        clearTimeout(s.timer);
        s.resolve();
      }
      for (const end of [...watches]) end();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
