import { generateCluster, startSimulator, RunningSimulator } from './index';
import { Scenario } from './types';

/** REST-level behaviour of the simulated API server, over real HTTP. */

type Json = Record<string, any>;

async function call(
  base: string,
  path: string,
  token?: string,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

const small: Scenario = {
  name: 'selectors',
  objects: [
    ...['a', 'b', 'c', 'd'].map((name, i) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: `svc-${name}`,
        namespace: i < 2 ? 'team-a' : 'team-b',
        labels: {
          app: name,
          tier: i % 2 === 0 ? 'web' : 'db',
          ...(i === 3 ? { canary: 'true' } : {}),
        },
      },
      spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] },
    })),
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'svc-a.1', namespace: 'team-a' },
      involvedObject: { kind: 'Service', namespace: 'team-a', name: 'svc-a' },
      reason: 'IPAllocated',
      message: 'Assigned IP ["10.0.0.1"]',
      source: { component: 'metallb-controller' },
      count: 1,
      type: 'Normal',
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'svc-b.1', namespace: 'team-a' },
      involvedObject: { kind: 'Service', namespace: 'team-a', name: 'svc-b' },
      reason: 'AllocationFailed',
      message: 'Failed to allocate IP for "team-a/svc-b": no available IPs',
      source: { component: 'metallb-controller' },
      count: 3,
      type: 'Warning',
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'node-1.1', namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'node-1' },
      reason: 'NodeReady',
      message: 'Node node-1 status is now: NodeReady',
      source: { component: 'kubelet' },
      count: 1,
      type: 'Normal',
    },
  ],
};

describe('simulated API server', () => {
  let sim: RunningSimulator;
  const url = (name: string) => sim.clusters.find(c => c.name === name)!.url;
  const T = 'lb-doctor-demo-token';

  beforeAll(async () => {
    sim = await startSimulator({
      scenarios: ['healthy-dc', 'broken', 'legacy-configmap'],
      scenarioObjects: [
        small,
        generateCluster({ name: 'big', services: 2500, pools: 8, seed: 3 }),
      ],
      actors: false,
    });
  });
  afterAll(() => sim.close());

  it('lists its clusters with URLs under /clusters/<name>', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.clusters.map(c => c.name)).toEqual([
      'healthy-dc',
      'broken',
      'legacy-configmap',
      'selectors',
      'big',
    ]);
    expect(sim.clusters[0]).toEqual({
      name: 'healthy-dc',
      url: `${sim.url}/clusters/healthy-dc`,
      token: T,
    });
  });

  it('serves discovery documents', async () => {
    const api = await call(url('healthy-dc'), '/api', T);
    expect(api.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = await call(url('healthy-dc'), '/apis', T);
    expect(groups.body.kind).toBe('APIGroupList');
    const metallb = groups.body.groups.find(
      (g: Json) => g.name === 'metallb.io',
    );
    expect(metallb.versions.map((v: Json) => v.version)).toEqual([
      'v1beta2',
      'v1beta1',
    ]);
    const v1beta1 = await call(
      url('healthy-dc'),
      '/apis/metallb.io/v1beta1',
      T,
    );
    expect(v1beta1.body.resources.map((r: Json) => r.name)).toEqual(
      expect.arrayContaining([
        'ipaddresspools',
        'l2advertisements',
        'bgpadvertisements',
        'servicel2statuses',
      ]),
    );
    const core = await call(url('healthy-dc'), '/api/v1', T);
    const services = core.body.resources.find(
      (r: Json) => r.name === 'services',
    );
    expect(services).toMatchObject({
      kind: 'Service',
      namespaced: true,
      shortNames: ['svc'],
    });
    expect(services.verbs).toEqual(
      expect.arrayContaining(['get', 'list', 'watch']),
    );
    const legacy = await call(url('legacy-configmap'), '/apis', T);
    expect(legacy.body.groups.map((g: Json) => g.name)).not.toContain(
      'metallb.io',
    );
  });

  it('returns lists shaped like the real server', async () => {
    const { status, body } = await call(
      url('healthy-dc'),
      '/api/v1/services',
      T,
    );
    expect(status).toBe(200);
    expect(body.kind).toBe('ServiceList');
    expect(body.apiVersion).toBe('v1');
    expect(body.metadata.resourceVersion).toMatch(/^\d+$/);
    // Built-in list items carry no kind/apiVersion; CRD list items do.
    expect(body.items[0].kind).toBeUndefined();
    const svc = body.items.find((s: Json) => s.metadata.name === 'storefront');
    expect(svc.metadata.labels['backstage.io/kubernetes-id']).toBe(
      'storefront',
    );
    expect(svc.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(svc.metadata.managedFields.map((m: Json) => m.manager)).toEqual([
      'kubectl-client-side-apply',
      'controller',
    ]);
    const pools = await call(
      url('healthy-dc'),
      '/apis/metallb.io/v1beta1/ipaddresspools',
      T,
    );
    expect(pools.body.kind).toBe('IPAddressPoolList');
    expect(pools.body.items[0]).toMatchObject({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
    });
    const ns = await call(
      url('healthy-dc'),
      '/api/v1/namespaces/payments/services',
      T,
    );
    expect(ns.body.items.map((s: Json) => s.metadata.name)).toEqual([
      'payments-api',
      'payments-webhooks',
    ]);
    const peers = await call(
      url('healthy-dc'),
      '/apis/metallb.io/v1beta2/namespaces/metallb-system/bgppeers',
      T,
    );
    expect(peers.body.items).toHaveLength(1);
    const one = await call(
      url('healthy-dc'),
      '/api/v1/namespaces/storefront/services/storefront',
      T,
    );
    expect(one.body).toMatchObject({
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'storefront' },
    });
    const deploy = await call(
      url('healthy-dc'),
      '/apis/apps/v1/namespaces/metallb-system/deployments/controller',
      T,
    );
    expect(deploy.body.spec.template.spec.containers[0].image).toBe(
      'quay.io/metallb/controller:v0.14.9',
    );
    const evV1 = await call(
      url('healthy-dc'),
      '/apis/events.k8s.io/v1/events',
      T,
    );
    expect(evV1.body.items[0]).toMatchObject({
      reportingController: expect.any(String),
      regarding: { kind: 'Service' },
    });
  });

  it('pages 2,500 Services with limit=500, every item exactly once', async () => {
    const seen = new Map<string, number>();
    let token: string | undefined;
    let pages = 0;
    let firstRv: string | undefined;
    do {
      const q = `/api/v1/services?limit=500${
        token ? `&continue=${encodeURIComponent(token)}` : ''
      }`;
      const { status, body } = await call(url('big'), q, T);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(500);
      firstRv ??= body.metadata.resourceVersion;
      expect(body.metadata.resourceVersion).toBe(firstRv);
      for (const s of body.items) {
        const key = `${s.metadata.namespace}/${s.metadata.name}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      token = body.metadata.continue;
      // The last page has neither a token nor a remaining count.
      expect(body.metadata.remainingItemCount).toBe(
        token ? 2500 - seen.size : undefined,
      );
      expect(token ?? '').not.toContain('svc-'); // opaque
      pages++;
    } while (token);
    expect(pages).toBe(5);
    expect(seen.size).toBe(2500);
    expect([...seen.values()].every(n => n === 1)).toBe(true);
  });

  it('keys continue tokens relative to the list, as the real server does', async () => {
    const decode = (token: string) =>
      JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).start;
    const all = await call(url('big'), '/api/v1/services?limit=2', T);
    const [, second] = all.body.items;
    expect(decode(all.body.metadata.continue)).toBe(
      `${second.metadata.namespace}/${second.metadata.name}\u0000`,
    );
    const ns = second.metadata.namespace;
    const first = await call(
      url('big'),
      `/api/v1/namespaces/${ns}/services?limit=2`,
      T,
    );
    const last = first.body.items[1];
    expect(decode(first.body.metadata.continue)).toBe(
      `/${last.metadata.name}\u0000`,
    );
    // The namespaced token goes on inside the namespace, after the page it ended.
    const next = await call(
      url('big'),
      `/api/v1/namespaces/${ns}/services?limit=2&continue=${encodeURIComponent(
        first.body.metadata.continue,
      )}`,
      T,
    );
    expect(next.status).toBe(200);
    const names = next.body.items.map(
      (o: { metadata: { namespace: string; name: string } }) => o.metadata,
    );
    expect(names.every((m: { namespace: string }) => m.namespace === ns)).toBe(
      true,
    );
    expect(
      names.every((m: { name: string }) => m.name > last.metadata.name),
    ).toBe(true);
  });

  it('rejects a malformed continue token with 400 and a compacted one with 410', async () => {
    const bad = await call(
      url('big'),
      '/api/v1/services?limit=10&continue=not-a-token',
      T,
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      code: 400,
    });
    expect(bad.body.message).toMatch(/^invalid continue token/);

    const first = await call(url('big'), '/api/v1/services?limit=10', T);
    const token = first.body.metadata.continue;
    // More writes than the watch history keeps: the token's snapshot is compacted.
    const svc = first.body.items[0];
    for (let i = 0; i < 1001; i++) {
      sim.apply('big', [
        {
          ...svc,
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {
            ...svc.metadata,
            labels: { ...svc.metadata.labels, round: String(i) },
          },
        },
      ]);
    }
    const expired = await call(
      url('big'),
      `/api/v1/services?limit=10&continue=${encodeURIComponent(token)}`,
      T,
    );
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({
      kind: 'Status',
      reason: 'Expired',
      code: 410,
    });
    expect(expired.body.message).toMatch(
      /^The provided continue parameter is too old to display a consistent list result\./,
    );
    expect(expired.body.metadata.continue).toEqual(expect.any(String));
  });

  it.each([
    ['tier=web', ['svc-a', 'svc-c']],
    ['tier==web', ['svc-a', 'svc-c']],
    ['tier!=web', ['svc-b', 'svc-d']],
    ['app in (a, d)', ['svc-a', 'svc-d']],
    ['app notin (a,d)', ['svc-b', 'svc-c']],
    ['canary', ['svc-d']],
    ['!canary', ['svc-a', 'svc-b', 'svc-c']],
    ['tier=web,app in (c)', ['svc-c']],
  ])('filters by labelSelector %s', async (selector, expected) => {
    const { body } = await call(
      url('selectors'),
      `/api/v1/services?labelSelector=${encodeURIComponent(selector)}`,
      T,
    );
    expect(body.items.map((s: Json) => s.metadata.name)).toEqual(expected);
  });

  it.each([
    ['involvedObject.name=svc-b', ['svc-b.1']],
    ['involvedObject.kind=Node', ['node-1.1']],
    ['involvedObject.kind=Service,reason=IPAllocated', ['svc-a.1']],
    ['reason!=IPAllocated', ['node-1.1', 'svc-b.1']],
    ['metadata.name=svc-a.1', ['svc-a.1']],
    ['metadata.namespace=team-a', ['svc-a.1', 'svc-b.1']],
    ['type=Warning', ['svc-b.1']],
  ])('filters events by fieldSelector %s', async (selector, expected) => {
    const { body } = await call(
      url('selectors'),
      `/api/v1/events?fieldSelector=${encodeURIComponent(selector)}`,
      T,
    );
    expect(body.items.map((e: Json) => e.metadata.name)).toEqual(expected);
  });

  it('rejects unsupported field labels like the real server', async () => {
    const { status, body } = await call(
      url('selectors'),
      '/api/v1/services?fieldSelector=spec.foo%3Dx',
      T,
    );
    expect(status).toBe(400);
    expect(body.message).toBe('field label not supported: spec.foo');
  });

  it('rejects an unparsable label selector with 400', async () => {
    const { status, body } = await call(
      url('selectors'),
      `/api/v1/services?labelSelector=${encodeURIComponent('app in (a')}`,
      T,
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    expect(body.message).toMatch(/^unable to parse requirement/);
  });

  it('filters events.k8s.io/v1 events by regarding.name', async () => {
    const { body } = await call(
      url('selectors'),
      '/apis/events.k8s.io/v1/events?fieldSelector=regarding.name%3Dsvc-b',
      T,
    );
    expect(body.kind).toBe('EventList');
    expect(
      body.items.map((e: Json) => [e.metadata.name, e.note, e.deprecatedCount]),
    ).toEqual([
      [
        'svc-b.1',
        'Failed to allocate IP for "team-a/svc-b": no available IPs',
        3,
      ],
    ]);
  });

  it('ends a watch after timeoutSeconds and supports /watch/ paths', async () => {
    const started = Date.now();
    const res = await fetch(
      `${url(
        'selectors',
      )}/api/v1/watch/namespaces/team-b/services?timeoutSeconds=1`,
      {
        headers: { authorization: `Bearer ${T}` },
      },
    );
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(lines.map(l => [l.type, l.object.metadata.name])).toEqual([
      ['ADDED', 'svc-c'],
      ['ADDED', 'svc-d'],
    ]);
  });

  it('answers 404 Status objects for missing objects and groups', async () => {
    const missing = await call(
      url('healthy-dc'),
      '/api/v1/namespaces/default/services/x',
      T,
    );
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'services "x" not found',
      reason: 'NotFound',
      details: { name: 'x', kind: 'services' },
      code: 404,
    });
    const pool = await call(
      url('healthy-dc'),
      '/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools/nope',
      T,
    );
    expect(pool.body.message).toBe(
      'ipaddresspools.metallb.io "nope" not found',
    );
    // No MetalLB CRDs: the real server's fallback answers in plain text, not with a Status.
    const group = await fetch(
      `${url('legacy-configmap')}/apis/metallb.io/v1beta1/ipaddresspools`,
      { headers: { authorization: `Bearer ${T}` } },
    );
    expect(group.status).toBe(404);
    expect(group.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await group.text()).toBe('404 page not found\n');
  });

  it('answers 401 for a missing or wrong token', async () => {
    for (const token of [undefined, 'wrong']) {
      const { status, body } = await call(
        url('healthy-dc'),
        '/api/v1/services',
        token,
      );
      expect(status).toBe(401);
      expect(body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('answers 403 with the RBAC message for metallb.io in the broken cluster', async () => {
    const list = await call(
      url('broken'),
      '/apis/metallb.io/v1beta1/ipaddresspools',
      T,
    );
    expect(list.status).toBe(403);
    expect(list.body).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      details: { group: 'metallb.io', kind: 'ipaddresspools' },
    });
    expect(list.body.message).toBe(
      'ipaddresspools.metallb.io is forbidden: User "system:serviceaccount:lb-doctor:scanner" cannot list resource "ipaddresspools" in API group "metallb.io" at the cluster scope',
    );
    const ns = await call(
      url('broken'),
      '/apis/metallb.io/v1beta1/namespaces/metallb-system/l2advertisements',
      T,
    );
    expect(ns.body.message).toBe(
      'l2advertisements.metallb.io is forbidden: User "system:serviceaccount:lb-doctor:scanner" cannot list resource "l2advertisements" in API group "metallb.io" in the namespace "metallb-system"',
    );
    const pods = await call(
      url('broken'),
      '/api/v1/namespaces/default/secrets',
      T,
    );
    expect(pods.status).toBe(404);
    // Discovery stays readable for every authenticated user (system:discovery).
    const disc = await call(url('broken'), '/apis/metallb.io/v1beta1', T);
    expect(disc.status).toBe(200);
  });

  it('forbids by RBAC rule, with the core-group message format', async () => {
    const scenario: Scenario = {
      name: 'rbac-core',
      rbac: [{ verbs: ['get'], apiGroups: [''], resources: ['services'] }],
      objects: [],
    };
    const other = await startSimulator({
      scenarioObjects: [scenario],
      actors: false,
    });
    try {
      const { status, body } = await call(
        other.clusters[0].url,
        '/api/v1/services',
        T,
      );
      expect(status).toBe(403);
      expect(body.message).toBe(
        'services is forbidden: User "system:serviceaccount:lb-doctor:scanner" cannot list resource "services" in API group "" at the cluster scope',
      );
      const get = await call(
        other.clusters[0].url,
        '/api/v1/namespaces/x/services/y',
        T,
      );
      expect(get.status).toBe(404);
    } finally {
      await other.close();
    }
  });

  it('streams watch events as newline-delimited JSON', async () => {
    const base = url('selectors');
    const start = await call(base, '/api/v1/namespaces/team-a/services', T);
    const rv = start.body.metadata.resourceVersion;
    const controller = new AbortController();
    const res = await fetch(
      `${base}/api/v1/namespaces/team-a/services?watch=1&resourceVersion=${rv}`,
      {
        headers: { authorization: `Bearer ${T}` },
        signal: controller.signal,
      },
    );
    expect(res.status).toBe(200);
    const svc = start.body.items[0];
    sim.apply('selectors', [
      {
        ...svc,
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          ...svc.metadata,
          labels: { ...svc.metadata.labels, touched: 'yes' },
        },
      },
    ]);
    sim.apply('selectors', [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'other', namespace: 'team-b' },
        spec: {},
      },
    ]);
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    const line = JSON.parse(new TextDecoder().decode(value).split('\n')[0]);
    expect(line.type).toBe('MODIFIED');
    expect(line.object).toMatchObject({
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'svc-a', labels: { touched: 'yes' } },
    });
    expect(Number(line.object.metadata.resourceVersion)).toBeGreaterThan(
      Number(rv),
    );
    controller.abort();

    const old = await fetch(
      `${base}/api/v1/services?watch=true&resourceVersion=1`,
      { headers: { authorization: `Bearer ${T}` } },
    );
    const text = await old.text();
    expect(JSON.parse(text.trim())).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });

  it('sends DELETED and ADDED when an object leaves or enters a watched selector', async () => {
    const base = url('selectors');
    const start = await call(
      base,
      '/api/v1/namespaces/team-b/services/svc-d',
      T,
    );
    const svc = start.body;
    const res = await fetch(
      `${base}/api/v1/services?watch=1&labelSelector=canary&resourceVersion=${svc.metadata.resourceVersion}&timeoutSeconds=1`,
      { headers: { authorization: `Bearer ${T}` } },
    );
    const { canary, ...rest } = svc.metadata.labels;
    expect(canary).toBe('true');
    sim.apply('selectors', [
      { ...svc, metadata: { ...svc.metadata, labels: rest } },
    ]);
    sim.apply('selectors', [
      {
        ...svc,
        metadata: { ...svc.metadata, labels: { ...rest, canary: 'again' } },
      },
    ]);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines.map(l => [l.type, l.object.metadata.labels.canary])).toEqual([
      ['DELETED', 'true'],
      ['ADDED', 'again'],
    ]);
    expect(Number(lines[0].object.metadata.resourceVersion)).toBeGreaterThan(
      Number(svc.metadata.resourceVersion),
    );
  });

  it('does not bump resourceVersion for a write that changes nothing', async () => {
    const before = await call(
      url('selectors'),
      '/api/v1/namespaces/team-b/services/svc-c',
      T,
    );
    sim.apply('selectors', [before.body]);
    const after = await call(
      url('selectors'),
      '/api/v1/namespaces/team-b/services/svc-c',
      T,
    );
    expect(after.body.metadata.resourceVersion).toBe(
      before.body.metadata.resourceVersion,
    );
  });
});
