import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startSimulator, RunningSimulator } from './index';

/** Real clients against the simulator: @kubernetes/client-node (ESM, so in a child process) and kubectl. */

const T = 'lb-doctor-demo-token';
const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

// client-node 1.x is ESM-only and jest (through backstage-cli) cannot import it without
// --experimental-vm-modules, so the check runs as `node --input-type=module` and reports JSON.
const CLIENT_NODE_SCRIPT = `
import * as k8s from '@kubernetes/client-node';
const kc = new k8s.KubeConfig();
kc.loadFromOptions({
  // Plain http: client-node refuses it unless skipTLSVerify is set (there is nothing to verify).
  clusters: [{ name: 'sim', server: process.env.SERVER, skipTLSVerify: true }],
  users: [{ name: 'scanner', token: process.env.TOKEN }],
  contexts: [{ name: 'sim', cluster: 'sim', user: 'scanner' }],
  currentContext: 'sim',
});
const out = {};
const core = kc.makeApiClient(k8s.CoreV1Api);
const svcs = await core.listServiceForAllNamespaces({ limit: 500 });
out.services = svcs.items.map(s => s.metadata.namespace + '/' + s.metadata.name);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);
const pools = await custom.listClusterCustomObject({ group: 'metallb.io', version: 'v1beta1', plural: 'ipaddresspools' });
out.pools = pools.items.map(p => p.metadata.name);
out.events = [];
const watch = new k8s.Watch(kc);
const timer = setTimeout(() => { console.log(JSON.stringify(out)); process.exit(3); }, 45000);
const req = await watch.watch(
  '/api/v1/namespaces/edge/services',
  { resourceVersion: svcs.metadata.resourceVersion, fieldSelector: 'metadata.name=edge-gateway' },
  (type, obj) => {
    out.events.push({ type, ip: obj.status.loadBalancer.ingress[0].ip, managers: obj.metadata.managedFields.map(m => m.manager) });
    if (out.events.length === 2) {
      clearTimeout(timer);
      req.abort();
      console.log(JSON.stringify(out));
    }
  },
  err => { if (err && err.name !== 'AbortError') { console.error('watch ended: ' + err); } },
);
console.log('WATCHING');
`;

describe('real clients', () => {
  let sim: RunningSimulator;
  let cluster: { name: string; url: string; token: string };
  let tmp: string;

  beforeAll(async () => {
    sim = await startSimulator({ scenarios: ['edge-chisel'], actors: false });
    cluster = sim.clusters[0];
    tmp = mkdtempSync(join(tmpdir(), 'lbd-sim-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('@kubernetes/client-node lists services and pools and watches MODIFIED events', async () => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', CLIENT_NODE_SCRIPT],
      {
        cwd: resolve(__dirname, '..'),
        env: { ...process.env, SERVER: cluster.url, TOKEN: T },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', d => {
      stderr += d;
    });
    const exited = new Promise<number | null>(done =>
      child.on('exit', code => done(code)),
    );
    await new Promise<void>((ready, fail) => {
      child.stdout.on('data', d => {
        stdout += d;
        if (stdout.includes('WATCHING')) ready();
      });
      child.on('exit', () =>
        fail(new Error(`client-node script exited early: ${stdout}${stderr}`)),
      );
    });
    await sim.tick(2);
    expect(await exited).toBe(0);
    const result = JSON.parse(stdout.split('\n').find(l => l.startsWith('{'))!);
    expect(result.services).toEqual([
      'default/kubernetes',
      'edge/edge-gateway',
      'edge/media-server',
      'storefront/storefront',
      'storefront/storefront-tunnel',
    ]);
    expect(result.pools).toEqual(['edge-pool']);
    expect(result.events).toEqual([
      {
        type: 'MODIFIED',
        ip: '203.0.113.10',
        managers: [
          'kubectl-client-side-apply',
          'unknown',
          'controller',
          'chisel-operator',
        ],
      },
      {
        type: 'MODIFIED',
        ip: '192.168.50.240',
        managers: ['kubectl-client-side-apply', 'unknown', 'controller'],
      },
    ]);
  }, 90000);

  describe('kubectl', () => {
    const kubectl = async (...args: string[]) => {
      if (!existsSync(KUBECTL)) {
        throw new Error(
          `${KUBECTL} is missing: install it with \`apt-get install kubectl\` to run the kubectl checks`,
        );
      }
      const kubeconfig = join(tmp, 'kubeconfig');
      writeFileSync(kubeconfig, '');
      return run(KUBECTL, args, {
        env: { PATH: process.env.PATH, HOME: tmp, KUBECONFIG: kubeconfig },
        timeout: 60000,
      });
    };
    const https = () => `${sim.https.url}/clusters/${cluster.name}`;
    const auth = () => {
      const ca = join(tmp, 'ca.crt');
      writeFileSync(ca, sim.https.caCertPem);
      return [
        '--server',
        https(),
        '--token',
        T,
        '--insecure-skip-tls-verify=false',
        '--certificate-authority',
        ca,
      ];
    };

    it('gets services, IPAddressPools and events', async () => {
      const svc = await kubectl(...auth(), 'get', 'svc', '-A');
      expect(svc.stdout).toMatch(
        /edge\s+edge-gateway\s+LoadBalancer\s+10\.43\.112\.7\s+192\.168\.50\.240\s+443:31443\/TCP/,
      );
      expect(svc.stdout).toMatch(
        /storefront\s+storefront-tunnel\s+LoadBalancer/,
      );
      const pools = await kubectl(
        ...auth(),
        'get',
        'ipaddresspools.metallb.io',
        '-A',
      );
      expect(pools.stdout).toMatch(/metallb-system\s+edge-pool/);
      const events = await kubectl(...auth(), 'get', 'events', '-A');
      expect(events.stdout).toMatch(/ClearAssignment/);
      const yaml = await kubectl(
        ...auth(),
        'get',
        'svc',
        '-n',
        'edge',
        'edge-gateway',
        '-o',
        'yaml',
        '--show-managed-fields',
      );
      expect(yaml.stdout).toContain('manager: controller');
    }, 90000);

    it('does not send the token over plain http (client-go only authenticates over TLS)', async () => {
      await expect(
        kubectl('--server', cluster.url, '--token', T, 'get', 'svc', '-A'),
      ).rejects.toMatchObject({
        stderr: expect.stringContaining('You must be logged in to the server'),
      });
    }, 90000);

    it('reports a forbidden group with the server message', async () => {
      const broken = await startSimulator({
        scenarios: ['broken'],
        actors: false,
      });
      try {
        const ca = join(tmp, 'ca-broken.crt');
        writeFileSync(ca, broken.https.caCertPem);
        await expect(
          kubectl(
            '--server',
            `${broken.https.url}/clusters/broken`,
            '--token',
            T,
            '--certificate-authority',
            ca,
            'get',
            'ipaddresspools.metallb.io',
            '-A',
          ),
        ).rejects.toMatchObject({
          stderr: expect.stringContaining(
            'cannot list resource "ipaddresspools" in API group "metallb.io" at the cluster scope',
          ),
        });
      } finally {
        await broken.close();
      }
    }, 90000);
  });
});
