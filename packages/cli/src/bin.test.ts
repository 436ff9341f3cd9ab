import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { writeBadYaml } from './__fixtures__/badYaml';

/** Runs the real launcher, the way CI pipelines do, from the fixtures folder. */
const bin = path.resolve(__dirname, '../bin/lb-doctor');
const fixtures = path.resolve(__dirname, '__fixtures__');

function lbDoctor(args: string[], input?: string, cwd = fixtures) {
  const env = { ...process.env };
  // Outside our own yarn script these must not steer path resolution.
  delete env.INIT_CWD;
  delete env.npm_lifecycle_event;
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function clusters(stdout: string) {
  return JSON.parse(stdout).clusters as Array<{
    name: string;
    services: unknown[];
  }>;
}

jest.setTimeout(60_000);

describe('lb-doctor binary', () => {
  it('prints help and version', () => {
    const help = lbDoctor(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('SYNOPSIS');
    const version = lbDoctor(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('reads multi-document YAML, a JSON List and a folder as one cluster', () => {
    const { code, stdout, stderr } = lbDoctor([
      'analyze',
      '--fail-on=never',
      '--format',
      'json',
      'multi.yaml',
      'list.json',
      'folder',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(clusters(stdout).map(c => c.name)).toEqual(['default']);
    expect(Array.isArray(clusters(stdout)[0].services)).toBe(true);
  });

  it('reads stdin', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }],
    });
    const { code, stdout } = lbDoctor(
      [
        'analyze',
        '--fail-on=never',
        '--format',
        'json',
        '--cluster',
        'piped',
        '-',
      ],
      text,
    );
    expect(code).toBe(0);
    expect(clusters(stdout)[0].name).toBe('piped');
  });

  it('analyses named clusters as a fleet', () => {
    const { code, stdout } = lbDoctor([
      'analyze',
      '--fail-on=never',
      '--format',
      'json',
      'east=fleet/east.yaml',
      'west=fleet/west',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.clusters.map((c: { name: string }) => c.name)).toEqual([
      'east',
      'west',
    ]);
    expect(Array.isArray(report.findings)).toBe(true);
  });

  it('exits 2 with a one-line reason for bad YAML and missing files', () => {
    const bad = lbDoctor(
      ['analyze', '--fail-on=never', 'bad.yaml'],
      '',
      writeBadYaml(),
    );
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(
      /^lb-doctor: bad\.yaml: document 2, line \d+: invalid YAML: [^\n]+\n$/,
    );
    const missing = lbDoctor([
      'analyze',
      '--fail-on=never',
      'multi.yaml',
      'nope.yaml',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'lb-doctor: nope.yaml: no such file or directory\n',
    );
    const usage = lbDoctor([
      'analyze',
      '--fail-on=never',
      '--format',
      'xml',
      'multi.yaml',
    ]);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints SARIF 2.1.0', () => {
    const { code, stdout } = lbDoctor([
      'analyze',
      '--fail-on=never',
      '--format',
      'sarif',
      'multi.yaml',
    ]);
    expect(code).toBe(0);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.name).toBe('lb-doctor');
    expect(Array.isArray(sarif.runs[0].results)).toBe(true);
  });

  it('prints a table within 80 columns and markdown', () => {
    const table = lbDoctor([
      'analyze',
      '--fail-on=never',
      'east=fleet/east.yaml',
      'west=fleet/west',
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^CLUSTER east/m);
    expect(table.stdout).toMatch(/^CLUSTER west/m);
    for (const line of table.stdout.split('\n'))
      expect(line.length).toBeLessThanOrEqual(80);
    const markdown = lbDoctor([
      'analyze',
      '--fail-on=never',
      '--format',
      'markdown',
      '--fail-on',
      'never',
      'multi.yaml',
    ]);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(/^## LB Doctor report\n/);
  });
});
