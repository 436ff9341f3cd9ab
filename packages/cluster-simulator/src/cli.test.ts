import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../bin/cluster-simulator');

function launch(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: resolve(__dirname, '..'),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', d => {
    stdout += d;
  });
  child.stderr.on('data', d => {
    stderr += d;
  });
  const exit = new Promise<number | null>(done =>
    child.on('exit', code => done(code)),
  );
  return { child, exit, out: () => stdout, err: () => stderr };
}

describe('bin/cluster-simulator', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'lbd-cli-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints one line per cluster and stops on SIGTERM', async () => {
    const p = launch([
      '--port',
      '0',
      '--scenario',
      'healthy-dc',
      '--generate',
      'bench:300:4',
    ]);
    // A cold start compiles the TypeScript sources first; on a busy 2-core CI machine that is slow.
    const deadline = Date.now() + 90000;
    while (
      p.out().split('\n').filter(Boolean).length < 2 &&
      Date.now() < deadline
    ) {
      await new Promise(r => setTimeout(r, 100));
    }
    const lines = p.out().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^healthy-dc\thttp:\/\/127\.0\.0\.1:\d+\/clusters\/healthy-dc\ttoken=lb-doctor-demo-token$/,
    );
    const url = lines[1].split('\t')[1];
    const res = await fetch(`${url}/api/v1/services?limit=1`, {
      headers: { authorization: 'Bearer lb-doctor-demo-token' },
    });
    const body = (await res.json()) as {
      metadata: { remainingItemCount: number };
    };
    expect(body.metadata.remainingItemCount).toBe(299);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  }, 120000);

  it('exits 2 with a one-line error naming a bad scenario file', async () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, 'name: Not A Label\nobjects: []\n');
    const p = launch(['--port', '0', '--scenario', file]);
    expect(await p.exit).toBe(2);
    const err = p.err().trim();
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain(file);
    expect(err).toContain('`name` must be a DNS label');
  }, 120000);

  it('exits 2 naming the file when an object has a kind the scenario does not serve', async () => {
    const file = join(tmp, 'nocrd.yaml');
    writeFileSync(
      file,
      'name: nocrd\nobjects:\n  - apiVersion: metallb.io/v1beta1\n    kind: IPAddressPool\n    metadata: { name: p, namespace: metallb-system }\n',
    );
    const p = launch(['--port', '0', '--scenario', file]);
    expect(await p.exit).toBe(2);
    expect(p.err().trim()).toBe(
      `cluster-simulator: ${file}: object IPAddressPool "p" has apiVersion metallb.io/v1beta1 which this scenario does not serve (missing from crds?)`,
    );
  }, 120000);

  it('writes the CA of its TLS side with --ca-file', async () => {
    const ca = join(tmp, 'ca.crt');
    const p = launch([
      '--port',
      '0',
      '--scenario',
      'healthy-dc',
      '--ca-file',
      ca,
    ]);
    // A cold start compiles the TypeScript sources first; on a busy 2-core CI machine that is slow.
    const deadline = Date.now() + 90000;
    while (!p.out().includes('\n') && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 100));
    }
    expect(readFileSync(ca, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(p.err()).toContain('CA written to');
    p.child.kill('SIGINT');
    expect(await p.exit).toBe(0);
  }, 120000);

  it('exits 2 for unreadable YAML', async () => {
    const file = join(tmp, 'broken.yaml');
    writeFileSync(file, 'name: x\nobjects: [\n');
    const p = launch(['--scenario', file, '--port', '0']);
    expect(await p.exit).toBe(2);
    expect(p.err()).toMatch(
      new RegExp(
        `^cluster-simulator: ${file.replace(/[.]/g, '\\.')}: invalid YAML`,
      ),
    );
  }, 120000);
});
