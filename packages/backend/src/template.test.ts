/*
 * The LB Service example template (examples/templates/lb-service), run in dry-run mode through
 * the demo backend's real scaffolder (POST /api/scaffolder/v2/dry-run), with LB Doctor's actions
 * reading a simulated cluster. The IP is one the metallb backend lists as free, as the form's
 * free-IP picker would offer it.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { startSimulator } from '@lb-doctor/cluster-simulator';
import { readdirSync, readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { demoBackendFeatures } from './features';

jest.setTimeout(120_000);

const repoRoot = resolve(__dirname, '../../..');
const templateDir = resolve(repoRoot, 'examples/templates/lb-service');

/** app-config.yaml as the demo runs it, pointed at the simulator (as in demo.test.ts). */
function demoConfig(simulatorPort: number) {
  const text = readFileSync(resolve(repoRoot, 'app-config.yaml'), 'utf8');
  const config = parseYaml(
    text.replaceAll('127.0.0.1:8090', `127.0.0.1:${simulatorPort}`),
  );
  delete config.backend;
  config.auth.providers.guest = { dangerouslyAllowOutsideDevelopment: true };
  // Mock auth passes the user's own token to plugins; see demo.test.ts.
  config.permission.enabled = false;
  // The template is posted with the request; the catalog need not ingest anything here.
  config.catalog.locations = [];
  return config;
}

/** The template's files other than template.yaml, as the dry-run API takes them. */
function directoryContents(dir: string, root = dir) {
  const files: Array<{ path: string; base64Content: string }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...directoryContents(path, root));
    else if (entry.name !== 'template.yaml') {
      files.push({
        path: relative(root, path),
        base64Content: readFileSync(path).toString('base64'),
      });
    }
  }
  return files;
}

interface DryRunResponse {
  log: Array<{ body: { message?: string; stepId?: string; status?: string } }>;
  steps: Array<{ id: string; name: string; action: string }>;
  directoryContents: Array<{ path: string; base64Content: string }>;
  output: Record<string, unknown>;
}

/**
 * Jest runs tests in a VM context, but its `fetch` is Node's: `response.json()` builds objects of
 * the outer realm. The scaffolder's templating refuses arrays whose prototype is not this realm's
 * `Array.prototype`, so action outputs read from the metallb API (e.g. `ips`) would fail to render.
 * A real backend has one realm; here the JSON is parsed in the test's realm instead.
 */
function parseJsonInThisRealm(): () => void {
  const original = Response.prototype.json;
  Response.prototype.json = async function json(this: Response) {
    return JSON.parse(await this.text());
  };
  return () => {
    Response.prototype.json = original;
  };
}

describe('the LB Service template in dry-run mode', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let baseUrl: string;
  let restoreJson: () => void;

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, {
      ...init,
      headers: {
        Authorization: mockCredentials.user.header('user:default/guest'),
        'Content-Type': 'application/json',
        ...init.headers,
      },
    });

  beforeAll(async () => {
    restoreJson = parseJsonInThisRealm();
    sim = await startSimulator({ port: 0, actors: false });
    const port = Number(new URL(sim.url).port);
    backend = await startTestBackend({
      features: [
        ...demoBackendFeatures(),
        mockServices.rootConfig.factory({ data: demoConfig(port) }),
      ],
    });
    const { port: backendPort } = backend.server.address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${backendPort}`;
    // The actions read the latest scan; the startup scan runs in the background, so scan now.
    const scan = await call('/api/metallb/scan', {
      method: 'POST',
      body: JSON.stringify({ cluster: 'healthy-dc' }),
    });
    if (!scan.ok) throw new Error(`scan failed: ${await scan.text()}`);
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
    restoreJson?.();
  });

  it('writes a Service with a free IP of the pool and finds no error', async () => {
    const free = await call(
      '/api/metallb/clusters/healthy-dc/pools/dc-public/free-ips?namespace=shop&limit=3',
    );
    expect(free.status).toBe(200);
    const { ips: freeIps }: { ips: string[] } = await free.json();
    expect(freeIps.length).toBeGreaterThan(0);
    const ip = freeIps[freeIps.length - 1];

    const template = parseYaml(
      readFileSync(resolve(templateDir, 'template.yaml'), 'utf8'),
    );
    // The step outputs, surfaced in the task output (one string-valued key each, as the
    // template schema wants) so the dry run returns them.
    const stepOutputs = {
      ips: 'steps.service.output.ips',
      pool: 'steps.service.output.pool',
      manifest: 'steps.service.output.manifest',
      errorCount: 'steps.validate.output.errorCount',
      findings: 'steps.validate.output.findings',
      services: 'steps.validate.output.services',
    };
    template.spec.output = {
      ...template.spec.output,
      ...Object.fromEntries(
        Object.entries(stepOutputs).map(([key, path]) => [
          `step_${key}`,
          `\${{ ${path} }}`,
        ]),
      ),
    };
    const values = {
      name: 'shop-web',
      owner: 'group:default/platform',
      namespace: 'shop',
      cluster: 'healthy-dc',
      mode: 'metallb',
      pool: 'dc-public',
      ip,
      port: 8080,
    };

    const res = await call('/api/scaffolder/v2/dry-run', {
      method: 'POST',
      body: JSON.stringify({
        template,
        values,
        directoryContents: directoryContents(templateDir),
      }),
    });
    const body: DryRunResponse = await res.json();
    // On failure, the scaffolder's error message is the useful part.
    expect(res.ok ? 200 : JSON.stringify(body)).toBe(200);
    expect(body.steps.map(s => s.action)).toEqual([
      'fetch:template',
      'metallb:service:create',
      'metallb:service:validate',
    ]);

    const out = Object.fromEntries(
      Object.keys(stepOutputs).map(key => [key, body.output[`step_${key}`]]),
    ) as {
      ips: string[];
      pool: string;
      manifest: string;
      errorCount: number;
      findings: Array<{ severity: string; rule: string }>;
      services: Array<{ service: string; status: string; ips: string[] }>;
    };
    expect(out.ips).toEqual([ip]);
    expect(out.pool).toBe('dc-public');
    expect(out.errorCount).toBe(0);
    expect(out.findings.filter(f => f.severity === 'error')).toEqual([]);
    expect(out.services).toEqual([
      expect.objectContaining({ service: 'shop/shop-web', ips: [ip] }),
    ]);

    const service = parseYaml(out.manifest);
    expect(service).toMatchObject({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'shop-web',
        namespace: 'shop',
        labels: { 'backstage.io/kubernetes-id': 'shop-web' },
        annotations: {
          'metallb.io/address-pool': 'dc-public',
          'metallb.io/loadBalancerIPs': ip,
        },
      },
      spec: {
        type: 'LoadBalancer',
        selector: { 'app.kubernetes.io/name': 'shop-web' },
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    });
    expect(service.spec).not.toHaveProperty('loadBalancerIP');

    // The workspace holds the same manifest and the skeleton rendered with the values.
    const file = (path: string) => {
      const entry = body.directoryContents.find(f => f.path === path);
      return entry && Buffer.from(entry.base64Content, 'base64').toString();
    };
    expect(parseYaml(file('k8s/service.yaml') ?? '')).toEqual(service);
    expect(parseYaml(file('catalog-info.yaml') ?? '')).toMatchObject({
      metadata: { name: 'shop-web' },
      spec: { owner: 'group:default/platform' },
    });
    // The text shown at the end of the task.
    const text = body.output.text as Array<{ title: string; content: string }>;
    expect(text[0].content).toContain(`IPs: ${ip} (pool: dc-public)`);
  });
});
