import { readFileSync } from 'node:fs';
import https from 'node:https';

/**
 * The variables scripts/testbed/with-testbed.sh exports for a real kube-apiserver with the real
 * MetalLB controller. `undefined` when this process does not run inside it.
 */
export function testbedEnv() {
  const env = process.env;
  const url = env.TESTBED_APISERVER_URL;
  const caFile = env.TESTBED_CA_FILE;
  const admin = env.TESTBED_ADMIN_KUBECONFIG;
  const scanner = env.TESTBED_SCANNER_KUBECONFIG;
  const limited = env.TESTBED_LIMITED_KUBECONFIG;
  if (!url || !caFile || !admin || !scanner || !limited) return undefined;
  return {
    url,
    caFile,
    metallbNamespace: env.TESTBED_METALLB_NAMESPACE ?? 'metallb-system',
    adminToken: tokenOf(admin),
    scannerToken: tokenOf(scanner),
    limitedToken: tokenOf(limited),
  };
}

export type Testbed = NonNullable<ReturnType<typeof testbedEnv>>;

function tokenOf(kubeconfigFile: string): string {
  const match = readFileSync(kubeconfigFile, 'utf8').match(
    /^\s*token:\s*(\S+)/m,
  );
  if (!match) throw new Error(`no token in ${kubeconfigFile}`);
  return match[1];
}

/** An error answer of the API server, with its Status body. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly body: unknown, what: string) {
    super(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
  }
}

/** A small client for the test bed's API server (admin token), with keep-alive connections. */
export function adminClient(testbed: Testbed) {
  const url = new URL(testbed.url);
  const agent = new https.Agent({
    ca: readFileSync(testbed.caFile),
    keepAlive: true,
    maxSockets: 16,
  });
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<any>((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        {
          hostname: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          headers: {
            Authorization: `Bearer ${testbed.adminToken}`,
            Accept: 'application/json',
            ...(data === undefined
              ? {}
              : {
                  'Content-Type': 'application/json',
                  'Content-Length': Buffer.byteLength(data),
                }),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // keep the text
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(parsed);
            else reject(new ApiError(status, parsed, `${method} ${path}`));
          });
        },
      );
      req.on('error', reject);
      if (data !== undefined) req.write(data);
      req.end();
    });
  return { call, close: () => agent.destroy() };
}
