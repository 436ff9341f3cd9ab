import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { loadScenario, startSimulator } from '@lb-doctor/cluster-simulator';
import request from 'supertest';
import { metallbPlugin } from '../plugin';
import { kubernetesConfig } from '../__testUtils__/kubernetesConfig';

jest.setTimeout(60_000);

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type Backend = Awaited<ReturnType<typeof startTestBackend>>;

/**
 * healthy-dc (dc-public 10.20.30.0/26 holds .1-.3; dc-internal 10.20.40.10-50 holds .10) plus a
 * pool that only serves the payments namespace, to see serviceAllocation honoured.
 */
function scenario() {
  const base = loadScenario('healthy-dc');
  return {
    ...base,
    actors: [],
    objects: [
      ...base.objects,
      {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'IPAddressPool',
        metadata: { name: 'payments-only', namespace: 'metallb-system' },
        spec: {
          addresses: ['10.20.50.0/30'],
          autoAssign: false,
          avoidBuggyIPs: true,
          serviceAllocation: { namespaces: ['payments'] },
        },
      },
    ],
  };
}

describe('GET /clusters/:cluster/pools/:pool/free-ips', () => {
  let sim: Simulator;
  let backend: Backend;

  beforeAll(async () => {
    sim = await startSimulator({ scenarioObjects: [scenario()] });
    const cluster = sim.clusters.find(c => c.name === 'healthy-dc')!;
    backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        metallbPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: kubernetesConfig({
              name: 'healthy-dc',
              url: cluster.url,
              token: cluster.token,
            }),
          },
        }),
        mockServices.scheduler.factory(),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    // Scan explicitly instead of waiting for the scheduled startup scan.
    const scan = await request(backend.server)
      .post('/api/metallb/scan')
      .send({ cluster: 'healthy-dc' });
    if (scan.status !== 200) throw new Error(`scan failed: ${scan.text}`);
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
  });

  const freeIps = (path: string) =>
    request(backend.server).get(`/api/metallb/clusters/healthy-dc${path}`);

  it('lists the addresses MetalLB would give next, skipping held ones', async () => {
    const res = await freeIps('/pools/dc-public/free-ips?limit=3');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      cluster: 'healthy-dc',
      pool: 'dc-public',
      namespace: 'default',
      family: 'ipv4',
      ips: ['10.20.30.0', '10.20.30.4', '10.20.30.5'],
    });
    expect(res.body.snapshotAt).toEqual(expect.any(String));

    const internal = await freeIps('/pools/dc-internal/free-ips?limit=2');
    expect(internal.body.ips).toEqual(['10.20.40.11', '10.20.40.12']);
  });

  it("honours the pool's serviceAllocation and avoidBuggyIPs", async () => {
    const allowed = await freeIps(
      '/pools/payments-only/free-ips?namespace=payments',
    );
    expect(allowed.body.ips).toEqual([
      '10.20.50.1',
      '10.20.50.2',
      '10.20.50.3',
    ]);

    const refused = await freeIps(
      '/pools/payments-only/free-ips?namespace=shop',
    );
    expect(refused.status).toBe(200);
    expect(refused.body.ips).toEqual([]);
    expect(refused.body.reason).toEqual(expect.any(String));
  });

  it('answers 404 for an unknown pool or cluster and 400 for a bad limit', async () => {
    expect((await freeIps('/pools/nope/free-ips')).status).toBe(404);
    expect(
      (
        await request(backend.server).get(
          '/api/metallb/clusters/nowhere/pools/dc-public/free-ips',
        )
      ).status,
    ).toBe(404);
    expect((await freeIps('/pools/dc-public/free-ips?limit=0')).status).toBe(
      400,
    );
  });
});
