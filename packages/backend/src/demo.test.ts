/*
 * The demo portal's backend, end to end: the real feature list of src/features.ts (catalog,
 * kubernetes, LB Doctor, ...), configured by the repo's app-config.yaml pointed at a cluster
 * simulator on a random port, reading the demo catalog of examples/entities.yaml.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { startSimulator } from '@lb-doctor/cluster-simulator';
import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { demoBackendFeatures } from './features';

jest.setTimeout(120_000);

const repoRoot = resolve(__dirname, '../../..');

/** The parts of the metallb API answers this test reads. */
interface Finding {
  rule: string;
  severity: string;
}
interface ServiceReport {
  cluster: string;
  namespace: string;
  name: string;
  findings: Finding[];
}
interface ClusterState {
  name: string;
  scannable: boolean;
  lastRun?: { finishedAt?: string | null } | null;
}

/**
 * app-config.yaml as the demo runs it, with the simulator's real port and the catalog's file
 * locations made absolute (Jest's working directory need not be packages/backend).
 */
function demoConfig(simulatorPort: number) {
  const text = readFileSync(resolve(repoRoot, 'app-config.yaml'), 'utf8');
  const config = parseYaml(
    text.replaceAll('127.0.0.1:8090', `127.0.0.1:${simulatorPort}`),
  );
  // The test backend picks its own port and database; the guest provider refuses NODE_ENV=test.
  delete config.backend;
  config.auth.providers.guest = { dangerouslyAllowOutsideDevelopment: true };
  // Plugins skip the permission backend: mock auth passes a user's own token where real auth
  // issues an on-behalf-of token, and the permission backend rejects the catalog's resource
  // checks made with it. The policy is still installed; the last test calls it directly.
  config.permission.enabled = false;
  for (const location of config.catalog.locations) {
    location.target = resolve(repoRoot, 'packages/backend', location.target);
  }
  return config;
}

async function poll<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 200));
  }
}

describe('demo backend', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let baseUrl: string;

  const get = (path: string) =>
    fetch(`${baseUrl}${path}`, {
      headers: {
        Authorization: mockCredentials.user.header('user:default/guest'),
      },
    });

  /** Asks the permission backend, as `userEntityRef`, for one basic permission. */
  const authorize = async (userEntityRef: string, name: string) => {
    const res = await fetch(`${baseUrl}/api/permission/authorize`, {
      method: 'POST',
      headers: {
        Authorization: mockCredentials.user.header(userEntityRef),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        items: [
          { id: '1', permission: { type: 'basic', name, attributes: {} } },
        ],
      }),
    });
    expect(res.status).toBe(200);
    return (await res.json()).items[0].result;
  };

  beforeAll(async () => {
    // Every built-in scenario, timers off: the scan sees the scenarios' initial state.
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
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
  });

  it('reports the Chisel/MetalLB contention on edge/edge-gateway in edge-chisel', async () => {
    // The scheduler runs the scan at startup without waiting for it: wait for edge-chisel's run.
    await poll('the edge-chisel scan', async () => {
      const res = await get('/api/metallb/clusters');
      const items: ClusterState[] = res.ok ? (await res.json()).items : [];
      const edge = items.find(c => c.name === 'edge-chisel');
      return edge?.lastRun?.finishedAt ? edge : undefined;
    });

    const res = await get('/api/metallb/report?cluster=edge-chisel&limit=1000');
    expect(res.status).toBe(200);
    const report: { items: ServiceReport[] } = await res.json();
    const gateway = report.items.find(
      s => s.namespace === 'edge' && s.name === 'edge-gateway',
    );
    expect(gateway?.findings.map(f => f.rule)).toContain(
      'controller-contention',
    );
  });

  it('maps the edge-gateway component of examples/entities.yaml to its Service', async () => {
    // The catalog ingests the file location asynchronously.
    await poll('edge-gateway in the catalog', async () => {
      const res = await get(
        '/api/catalog/entities/by-name/component/default/edge-gateway',
      );
      return res.ok ? true : undefined;
    });

    const res = await get('/api/metallb/entity/default/component/edge-gateway');
    expect(res.status).toBe(200);
    const body: { entityRef: string; services: ServiceReport[] } =
      await res.json();
    expect(body.entityRef).toBe('component:default/edge-gateway');
    expect(
      body.services.find(
        s =>
          s.cluster === 'edge-chisel' &&
          s.namespace === 'edge' &&
          s.name === 'edge-gateway',
      ),
    ).toEqual(
      expect.objectContaining({
        findings: expect.arrayContaining([
          expect.objectContaining({ rule: 'controller-contention' }),
        ]),
      }),
    );
  });

  it('runs the demo permission policy: the viewer may not read the report', async () => {
    expect(await authorize('user:default/viewer', 'metallb.report.read')).toBe(
      'DENY',
    );
    expect(await authorize('user:default/viewer', 'metallb.scan.create')).toBe(
      'DENY',
    );
    expect(await authorize('user:default/guest', 'metallb.report.read')).toBe(
      'ALLOW',
    );
  });
});
