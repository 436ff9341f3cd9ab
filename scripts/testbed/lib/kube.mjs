// Small helpers shared by the test-bed scripts: a keep-alive HTTPS client for the test bed's
// kube-apiserver (spawning kubectl per request costs ~150 ms of CPU each, too much for hundreds of
// scenarios on a 2-core CI machine), a watch that keeps objects in memory, and the engine loaded
// from its TypeScript sources in-process.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

export const repo = resolve(new URL('../../..', import.meta.url).pathname);

export const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Loads plugins/metallb-common from its sources (same transform as the CLI in the monorepo). */
export function loadEngine() {
  const require = createRequire(join(repo, 'package.json'));
  require('@backstage/cli/config/nodeTransform.cjs');
  return require(join(repo, 'plugins/metallb-common/src/index.ts'));
}

const tokenOf = kubeconfigFile => {
  const m = readFileSync(kubeconfigFile, 'utf8').match(/^\s*token:\s*(\S+)/m);
  if (!m) throw new Error(`no token in ${kubeconfigFile}`);
  return m[1];
};

export class ApiError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path}: HTTP ${status} ${JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * A client for the running test bed, from the variables with-testbed.sh exports.
 * `kubeconfig` picks the identity (admin by default).
 */
export function testbedClient({
  kubeconfig = process.env.TESTBED_ADMIN_KUBECONFIG,
  userAgent = 'lbd-testbed',
} = {}) {
  const server = process.env.TESTBED_APISERVER_URL;
  const caFile = process.env.TESTBED_CA_FILE;
  if (!server || !caFile || !kubeconfig)
    throw new Error(
      'TESTBED_APISERVER_URL, TESTBED_CA_FILE and TESTBED_ADMIN_KUBECONFIG must be set: run under scripts/testbed/with-testbed.sh',
    );
  const url = new URL(server);
  const token = tokenOf(kubeconfig);
  const agent = new https.Agent({
    ca: readFileSync(caFile),
    keepAlive: true,
    maxSockets: 16,
  });
  const base = {
    hostname: url.hostname,
    port: url.port,
    agent,
  };
  const headers = extra => ({
    Authorization: `Bearer ${token}`,
    Accept: 'application/json',
    'User-Agent': userAgent,
    ...extra,
  });

  /** One request; resolves to the parsed body, rejects with ApiError on a non-2xx status. */
  const request = (method, path, body, contentType = 'application/json') =>
    new Promise((resolvePromise, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        {
          ...base,
          method,
          path,
          headers: headers(
            data === undefined
              ? {}
              : {
                  'Content-Type': contentType,
                  'Content-Length': Buffer.byteLength(data),
                },
          ),
        },
        res => {
          const chunks = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // not JSON: keep the text
            }
            if (res.statusCode >= 200 && res.statusCode < 300)
              resolvePromise(parsed);
            else reject(new ApiError(method, path, res.statusCode, parsed));
          });
        },
      );
      req.on('error', reject);
      if (data !== undefined) req.write(data);
      req.end();
    });

  /**
   * Watches a collection from now on (`path` without `watch`), keeping the objects in `store`
   * (uid -> object) and calling `onEvent(type, object)` for each change. Returns `stop()`.
   * The list and the watch share one resourceVersion, so no change is missed.
   */
  const watch = async (path, onEvent) => {
    const sep = path.includes('?') ? '&' : '?';
    const list = await request('GET', path);
    for (const item of list.items) onEvent('ADDED', item);
    let rv = list.metadata.resourceVersion;
    let stopped = false;
    let current;
    const open = () => {
      if (stopped) return;
      current = https.get(
        {
          ...base,
          path: `${path}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${rv}`,
          headers: headers(),
        },
        res => {
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', chunk => {
            buffer += chunk;
            let nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, nl);
              buffer = buffer.slice(nl + 1);
              if (!line.trim()) continue;
              const ev = JSON.parse(line);
              if (ev.type === 'ERROR') {
                // 410 Gone: start over from a fresh list
                rv = undefined;
                continue;
              }
              rv = ev.object.metadata.resourceVersion;
              if (ev.type !== 'BOOKMARK') onEvent(ev.type, ev.object);
            }
          });
          res.on('end', () => {
            if (!stopped && rv) open();
          });
          res.on('error', () => {});
        },
      );
      current.on('error', () => {
        if (!stopped) setTimeout(open, 100);
      });
    };
    open();
    return () => {
      stopped = true;
      current?.destroy();
    };
  };

  return { request, watch, close: () => agent.destroy(), server };
}
