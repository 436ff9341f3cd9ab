import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { clusters } from '../__testUtils__/clusters';
import { FakeMetallbService } from '../__testUtils__/fakeMetallb';
import { runAction } from '../__testUtils__/run';
import { createMetallbServiceValidateAction } from './validate';

const workspace = createMockDirectory();

function setup() {
  const metallb = new FakeMetallbService(clusters());
  const action = createMetallbServiceValidateAction({ metallb });
  const run = (input: Record<string, unknown>, isDryRun = false) =>
    runAction(action as never, input as never, workspace.path, isDryRun);
  return { metallb, action, run };
}

const svc = (name: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: shop
${extra}spec:
  type: LoadBalancer
  selector: { app: ${name} }
  ports: [{ name: http, port: 80, protocol: TCP }]
`;

const GOOD = svc(
  'good',
  `  annotations:\n    metallb.io/loadBalancerIPs: 192.0.2.9\n`,
);
// Outside every pool: an error finding with remediations.
const BAD = svc(
  'bad',
  `  annotations:\n    metallb.io/loadBalancerIPs: 10.9.9.9\n`,
);

beforeEach(() => workspace.clear());

describe('metallb:service:validate', () => {
  it('passes manifests MetalLB accepts and outputs its verdict', async () => {
    workspace.setContent({ k8s: { 'service.yaml': GOOD } });
    const out = await setup().run({ cluster: 'dc' });
    expect(out.errorCount).toBe(0);
    expect(out.files).toEqual(['k8s/service.yaml']);
    expect(out.services).toEqual([
      {
        service: 'shop/good',
        status: expect.any(String),
        outcome: 'assign',
        ips: ['192.0.2.9'],
        pool: 'public',
      },
    ]);
  });

  it('fails with every error finding and its remediation titles', async () => {
    workspace.setContent({ k8s: { 'a.yaml': BAD } });
    const { run, metallb } = setup();
    const expected = (
      await metallb.validate({ cluster: 'dc', manifests: BAD })
    ).services.flatMap(s => s.findings.filter(f => f.severity === 'error'));
    expect(expected.map(f => f.rule)).toContain('ip-not-in-any-pool');
    expect(expected.flatMap(f => f.remediations).length).toBeGreaterThan(0);

    const error = await run({ cluster: 'dc', path: 'k8s/a.yaml' }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    for (const finding of expected) {
      expect(message).toContain(
        `[${finding.rule}] shop/bad: ${finding.message}`,
      );
      for (const remediation of finding.remediations) {
        expect(message).toContain(remediation.title);
      }
    }
  });

  it('outputs the findings before failing', async () => {
    workspace.setContent({ k8s: { 'a.yaml': BAD } });
    const { action } = setup();
    const ctx = createMockActionContext({
      input: { cluster: 'dc', path: 'k8s' },
      workspacePath: workspace.path,
    });
    await expect(action.handler(ctx as never)).rejects.toThrow(
      /ip-not-in-any-pool/,
    );
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs.errorCount).toBeGreaterThan(0);
    expect(outputs.findings).toContainEqual(
      expect.objectContaining({
        service: 'shop/bad',
        rule: 'ip-not-in-any-pool',
        severity: 'error',
      }),
    );
  });

  it('reads every file a glob or directory names, and checks them together', async () => {
    workspace.setContent({
      k8s: {
        'one.yaml': GOOD,
        nested: { 'two.yml': svc('two') },
        'x.txt': 'no',
      },
      other: { 'bad.yaml': BAD },
    });
    const { run } = setup();
    const byGlob = await run({ cluster: 'dc', path: 'k8s/**/*.y*ml' });
    expect(byGlob.files).toEqual(['k8s/nested/two.yml', 'k8s/one.yaml']);
    const byDir = await run({ cluster: 'dc', path: 'k8s' });
    expect(byDir.files).toEqual(['k8s/nested/two.yml', 'k8s/one.yaml']);
    expect(byDir.services).toHaveLength(2);
  });

  it('refuses paths outside the workspace and paths that match nothing', async () => {
    const { run } = setup();
    await expect(run({ cluster: 'dc', path: '../etc/passwd' })).rejects.toThrow(
      /stay inside it/,
    );
    await expect(run({ cluster: 'dc', path: '/etc/passwd' })).rejects.toThrow(
      /stay inside it/,
    );
    workspace.setContent({ k8s: { 'x.txt': 'no' } });
    await expect(run({ cluster: 'dc', path: 'k8s/*.yaml' })).rejects.toThrow(
      /matches no manifest file/,
    );
    await expect(run({ cluster: 'dc', path: 'missing.yaml' })).rejects.toThrow(
      /does not exist/,
    );
  });

  it('fails clearly for an unknown or never-scanned cluster', async () => {
    workspace.setContent({ k8s: { 'service.yaml': GOOD } });
    const { run } = setup();
    await expect(run({ cluster: 'nowhere' })).rejects.toThrow(
      /Cluster 'nowhere' is unknown to LB Doctor or has never been scanned/,
    );
    await expect(run({ cluster: 'fresh' })).rejects.toThrow(
      /Cluster 'fresh' has never been scanned successfully/,
    );
  });

  it('fails on unreadable YAML', async () => {
    workspace.setContent({ k8s: { 'service.yaml': 'kind: [unclosed' } });
    await expect(setup().run({ cluster: 'dc' })).rejects.toThrow(
      /k8s\/service\.yaml/,
    );
  });

  it('fails on warnings only when asked to', async () => {
    // The deprecated spec.loadBalancerIP for a free address is a warning, not an error.
    const manifest = svc('legacy').replace(
      'spec:\n  type: LoadBalancer\n',
      'spec:\n  type: LoadBalancer\n  loadBalancerIP: 192.0.2.11\n',
    );
    workspace.setContent({ k8s: { 'service.yaml': manifest } });
    const { run } = setup();
    const out = await run({ cluster: 'dc' });
    expect(out.errorCount).toBe(0);
    expect(out.warningCount).toBeGreaterThan(0);
    await expect(run({ cluster: 'dc', failOnWarnings: true })).rejects.toThrow(
      /deprecated-load-balancer-ip/,
    );
  });

  it('supports dry run, failing the same way', async () => {
    workspace.setContent({ k8s: { 'a.yaml': BAD } });
    const { run, action } = setup();
    expect(action.supportsDryRun).toBe(true);
    await expect(run({ cluster: 'dc' }, true)).rejects.toThrow(
      /\(dry run\)[\s\S]*ip-not-in-any-pool/,
    );
    workspace.setContent({ k8s: { 'a.yaml': GOOD } });
    expect((await run({ cluster: 'dc' }, true)).errorCount).toBe(0);
  });
});
