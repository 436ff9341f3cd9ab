import { compilePathPattern, FaultInjector } from './faults';
import { startSimulator, RunningSimulator } from './index';

const T = 'lb-doctor-demo-token';

describe('faults', () => {
  let sim: RunningSimulator;
  let base: string;
  const get = (path: string) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${T}` } });

  beforeAll(async () => {
    sim = await startSimulator({ scenarios: ['broken'], actors: false });
    base = sim.clusters[0].url;
  });
  afterAll(() => sim.close());

  it('delays node lists by 2 s', async () => {
    const started = Date.now();
    const res = await get('/api/v1/nodes');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const fast = Date.now();
    expect((await get('/api/v1/namespaces')).status).toBe(200);
    expect(Date.now() - fast).toBeLessThan(1000);
  });

  it('fails every second apps/v1 request with a 503 Status', async () => {
    const statuses: number[] = [];
    let body: unknown;
    for (let i = 0; i < 4; i++) {
      const res = await get('/apis/apps/v1/deployments');
      statuses.push(res.status);
      if (res.status === 503) body = await res.json();
      else await res.text();
    }
    expect(statuses).toEqual([200, 503, 200, 503]);
    expect(body).toMatchObject({
      kind: 'Status',
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'the server is currently unable to handle the request',
    });
  });

  it('drops the connection for ConfigMap lists', async () => {
    await expect(get('/api/v1/configmaps')).rejects.toThrow();
    await expect(
      get('/api/v1/namespaces/kube-system/configmaps'),
    ).rejects.toThrow();
    // Getting a single ConfigMap is not covered by the pattern.
    expect(
      (await get('/api/v1/namespaces/kube-system/configmaps/kube-proxy'))
        .status,
    ).toBe(200);
  });

  it('truncates cluster-wide Event lists', async () => {
    const outcome = await get('/api/v1/events')
      .then(
        async res => {
          const text = await res.text();
          JSON.parse(text);
          return 'complete';
        },
        () => 'failed',
      )
      .catch(() => 'truncated');
    expect(outcome).not.toBe('complete');
    const ok = await get('/api/v1/namespaces/storefront/events');
    expect(((await ok.json()) as { items: unknown[] }).items.length).toBe(1);
  });

  it('chooses probabilistic faults deterministically from the seed', () => {
    const run = (seed: number) => {
      const f = new FaultInjector(
        [{ path: '/api/v1/services', status: 503, probability: 0.5 }],
        seed,
      );
      return Array.from(
        { length: 20 },
        () => f.decide('/api/v1/services').status ?? 200,
      );
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
    expect(run(5)).toContain(503);
    expect(run(5)).toContain(200);
  });

  it('matches globs and regular expressions', () => {
    expect(
      compilePathPattern('/api/v1/namespaces/*/configmaps').test(
        '/api/v1/namespaces/x/configmaps',
      ),
    ).toBe(true);
    expect(
      compilePathPattern('/api/v1/namespaces/*/configmaps').test(
        '/api/v1/namespaces/x/y/configmaps',
      ),
    ).toBe(false);
    expect(
      compilePathPattern('/apis/apps/**').test(
        '/apis/apps/v1/namespaces/a/deployments',
      ),
    ).toBe(true);
    expect(
      compilePathPattern('^/api/v1/(services|nodes)$').test('/api/v1/nodes'),
    ).toBe(true);
  });
});
