import fs from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { parseAllDocuments } from 'yaml';
import { clusters } from '../__testUtils__/clusters';
import { FakeMetallbService } from '../__testUtils__/fakeMetallb';
import { engineErrors, runAction } from '../__testUtils__/run';
import { createMetallbServiceCreateAction } from './create';

const workspace = createMockDirectory();

function setup() {
  const metallb = new FakeMetallbService(clusters());
  const action = createMetallbServiceCreateAction({ metallb });
  const run = (input: Record<string, unknown>, isDryRun = false) =>
    runAction(action as never, input as never, workspace.path, isDryRun);
  return { metallb, action, run };
}

const base = {
  cluster: 'dc',
  name: 'storefront',
  namespace: 'shop',
  ports: [{ name: 'http', port: 80, targetPort: 8080 }],
};

type ServiceDoc = {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
};

const docsOf = (manifest: unknown): ServiceDoc[] =>
  parseAllDocuments(String(manifest)).map(d => d.toJSON() as ServiceDoc);

/** The emitted YAML parsed and analysed by the real engine: no error finding, no loadBalancerIP. */
async function expectAccepted(
  metallb: FakeMetallbService,
  cluster: string,
  manifest: unknown,
) {
  expect(await engineErrors(metallb, cluster, String(manifest))).toEqual([]);
  for (const doc of docsOf(manifest)) {
    expect(doc.spec).not.toHaveProperty('loadBalancerIP');
  }
}

beforeEach(() => workspace.clear());

describe('metallb:service:create, metallb mode', () => {
  it('lets MetalLB choose when neither pool nor IP is given', async () => {
    const { run, metallb } = setup();
    const out = await run(base);
    const [svc] = docsOf(out.manifest);
    expect(svc.metadata.annotations).toBeUndefined();
    expect(svc.spec.loadBalancerClass).toBeUndefined();
    expect(svc.spec.selector).toEqual({
      'app.kubernetes.io/name': 'storefront',
    });
    // .0 is skipped (avoidBuggyIPs) and .1 belongs to default/web.
    expect(out.ips).toEqual(['192.0.2.2']);
    expect(out.pool).toBe('public');
    expect(out.files).toEqual(['k8s/service.yaml']);
    expect(workspace.content()).toEqual({
      k8s: { 'service.yaml': out.manifest },
    });
    await expectAccepted(metallb, 'dc', out.manifest);
  });

  it('picks the first free address of the pool from the latest scan', async () => {
    const { run, metallb } = setup();
    const out = await run({ ...base, pool: 'public', ip: '' });
    const [svc] = docsOf(out.manifest);
    expect(svc.metadata.annotations).toEqual({
      'metallb.io/loadBalancerIPs': '192.0.2.2',
      'metallb.io/address-pool': 'public',
    });
    expect(out.ips).toEqual(['192.0.2.2']);
    expect(out.pool).toBe('public');
    expect(out.annotationPrefix).toBe('metallb.io/');
    await expectAccepted(metallb, 'dc', out.manifest);
  });

  it('picks an IPv6 address for an IPv6 Service', async () => {
    const { run, metallb } = setup();
    const out = await run({ ...base, pool: 'v6', ipFamily: 'IPv6' });
    const [svc] = docsOf(out.manifest);
    expect(svc.spec.ipFamilies).toEqual(['IPv6']);
    expect(svc.spec.ipFamilyPolicy).toBe('SingleStack');
    expect(out.ips).toEqual(['2001:db8::']);
    await expectAccepted(metallb, 'dc', out.manifest);
  });

  it('requests a given free IP, with labels and several ports', async () => {
    const { run, metallb } = setup();
    const out = await run({
      ...base,
      ip: '192.0.2.7',
      labels: { team: 'shop' },
      selector: { app: 'storefront' },
      ports: [
        { name: 'http', port: 80 },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
      targetPath: 'deploy/svc.yaml',
    });
    const [svc] = docsOf(out.manifest);
    expect(svc.metadata.annotations).toEqual({
      'metallb.io/loadBalancerIPs': '192.0.2.7',
    });
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 80, protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ]);
    expect(out.ips).toEqual(['192.0.2.7']);
    expect(out.files).toEqual(['deploy/svc.yaml']);
    expect(fs.existsSync(workspace.resolve('deploy/svc.yaml'))).toBe(true);
    await expectAccepted(metallb, 'dc', out.manifest);
  });

  it('shares a taken IP when the sharing key matches and ports differ', async () => {
    const { run, metallb } = setup();
    const out = await run({
      ...base,
      namespace: 'default',
      ip: '192.0.2.1',
      sharingKey: 'web-key',
      ports: [{ name: 'https', port: 443 }],
    });
    const [svc] = docsOf(out.manifest);
    expect(svc.metadata.annotations).toMatchObject({
      'metallb.io/allow-shared-ip': 'web-key',
    });
    expect(out.ips).toEqual(['192.0.2.1']);
    await expectAccepted(metallb, 'dc', out.manifest);
  });

  it('allows a restricted pool in a namespace it serves', async () => {
    const { run, metallb } = setup();
    const out = await run({
      ...base,
      namespace: 'payments',
      pool: 'payments-only',
    });
    expect(out.ips).toEqual(['198.51.100.0']);
    await expectAccepted(metallb, 'dc', out.manifest);
  });

  it('uses the metallb.universe.tf/ prefix for MetalLB before 0.14.9', async () => {
    const { run, metallb } = setup();
    const out = await run({
      ...base,
      cluster: 'old',
      pool: 'public',
      sharingKey: 'k',
    });
    const [svc] = docsOf(out.manifest);
    expect(Object.keys(svc.metadata.annotations ?? {}).sort()).toEqual([
      'metallb.universe.tf/address-pool',
      'metallb.universe.tf/allow-shared-ip',
      'metallb.universe.tf/loadBalancerIPs',
    ]);
    expect(out.annotationPrefix).toBe('metallb.universe.tf/');
    expect(out.ips).toEqual(['192.0.2.2']);
    await expectAccepted(metallb, 'old', out.manifest);
  });
});

describe('metallb:service:create, other modes', () => {
  it('external: one Service with the other controller class and no MetalLB request', async () => {
    const { run, metallb } = setup();
    const out = await run({ ...base, mode: 'external' });
    const docs = docsOf(out.manifest);
    expect(docs).toHaveLength(1);
    expect(docs[0].metadata.name).toBe('storefront');
    expect(docs[0].metadata.annotations).toBeUndefined();
    expect(docs[0].spec.loadBalancerClass).toBe(
      'chisel-operator.io/chisel-operator-class',
    );
    expect(out.ips).toEqual([]);
    expect(out.pool).toBeNull();
    await expectAccepted(metallb, 'dc', out.manifest);
  });

  it('split: a MetalLB Service and a <name>-chisel one with the same selector and ports', async () => {
    const { run, metallb } = setup();
    const out = await run({ ...base, mode: 'split', pool: 'public' });
    const [mlb, ext] = docsOf(out.manifest);
    expect(mlb.metadata.name).toBe('storefront');
    expect(mlb.spec.loadBalancerClass).toBeUndefined();
    expect(mlb.metadata.annotations?.['metallb.io/address-pool']).toBe(
      'public',
    );
    expect(ext.metadata.name).toBe('storefront-chisel');
    expect(ext.metadata.annotations).toBeUndefined();
    expect(ext.spec.loadBalancerClass).toBe(
      'chisel-operator.io/chisel-operator-class',
    );
    expect(ext.spec.selector).toEqual(mlb.spec.selector);
    expect(ext.spec.ports).toEqual(mlb.spec.ports);
    expect(out.services).toEqual(['shop/storefront', 'shop/storefront-chisel']);
    expect(out.ips).toEqual(['192.0.2.2']);
    await expectAccepted(metallb, 'dc', out.manifest);
  });

  it('dry run: writes only into the (temporary) workspace and outputs the same', async () => {
    const { run, action } = setup();
    expect(action.supportsDryRun).toBe(true);
    const out = await run({ ...base, pool: 'public' }, true);
    expect(out.ips).toEqual(['192.0.2.2']);
    expect(workspace.content()).toEqual({
      k8s: { 'service.yaml': out.manifest },
    });
  });
});

describe('metallb:service:create refusals', () => {
  /** The refusal message; nothing may be written when the Service is refused. */
  const refusal = async (input: Record<string, unknown>): Promise<string> => {
    const { run } = setup();
    const error = await run({ ...base, ...input }).then(
      () => undefined,
      (e: Error) => e,
    );
    if (!error) throw new Error('the action accepted the input');
    if (Object.keys(workspace.content() ?? {}).length > 0)
      throw new Error('the action wrote files while refusing');
    return error.message;
  };

  it('refuses an IP outside every pool', async () =>
    expect(await refusal({ ip: '10.9.9.9' })).toMatch(/ip-not-in-any-pool/));

  it('refuses an IP another Service holds', async () =>
    expect(await refusal({ namespace: 'default', ip: '192.0.2.1' })).toMatch(
      /\[(ip-in-use|sharing-conflict)\].*192\.0\.2\.1/,
    ));

  it('refuses a taken IP with another sharing key', async () =>
    expect(
      await refusal({
        namespace: 'default',
        ip: '192.0.2.1',
        sharingKey: 'other',
      }),
    ).toMatch(/\[(ip-in-use|sharing-conflict)\]/));

  it('refuses an IP of the wrong family', async () =>
    expect(await refusal({ ip: '2001:db8::5' })).toMatch(/ip-family-mismatch/));

  it('refuses a pool that does not serve the namespace', async () =>
    expect(await refusal({ pool: 'payments-only' })).toMatch(
      /pool-not-allowed/,
    ));

  it('refuses an IP of a pool that does not serve the namespace', async () =>
    expect(await refusal({ ip: '198.51.100.3' })).toMatch(/pool-not-allowed/));

  it('refuses an unknown cluster', async () =>
    expect(await refusal({ cluster: 'nowhere' })).toMatch(
      /Cluster 'nowhere' is unknown to LB Doctor or has never been scanned/,
    ));

  it('refuses a cluster that was never scanned', async () =>
    expect(await refusal({ cluster: 'fresh' })).toMatch(
      /Cluster 'fresh' has never been scanned successfully/,
    ));

  it('refuses an unknown pool, naming the pools there are', async () =>
    expect(await refusal({ pool: 'nope' })).toMatch(
      /no MetalLB pool "nope"; its pools are: payments-only, public, v6/,
    ));

  it('refuses a pool without an address of the family', async () =>
    expect(await refusal({ pool: 'v6' })).toMatch(/no free IPv4 address/));

  it('refuses a text that is not an IP', async () =>
    expect(await refusal({ ip: '192.0.2.300' })).toMatch(
      /is not an IP address/,
    ));

  it('refuses MetalLB requests in external mode', async () =>
    expect(await refusal({ mode: 'external', pool: 'public' })).toMatch(
      /external mode/,
    ));

  it('refuses an invalid Service name', async () =>
    expect(await refusal({ name: 'Store_Front' })).toMatch(
      /not a valid Kubernetes name/,
    ));

  it('refuses unnamed ports on a multi-port Service', async () =>
    expect(await refusal({ ports: [{ port: 80 }, { port: 443 }] })).toMatch(
      /needs a name/,
    ));
});
