import path from 'node:path';
import { writeBadYaml } from './__fixtures__/badYaml';
import { main } from './main';

const fixtures = path.resolve(__dirname, '__fixtures__');

async function run(argv: string[], stdin = '', cwd = fixtures) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd,
    writeOut: t => (stdout += t),
    writeErr: t => (stderr += t),
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}

describe('main', () => {
  it('analyses input into a report in the chosen format', async () => {
    const { code, stdout, stderr } = await run([
      'analyze',
      '--fail-on=never',
      '--format',
      'json',
      '--cluster',
      'lab',
      'multi.yaml',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.clusters.map((c: { name: string }) => c.name)).toEqual([
      'lab',
    ]);
    expect(Array.isArray(report.clusters[0].services)).toBe(true);
    expect(Array.isArray(report.findings)).toBe(true);
  });

  it('warns about unusable objects on stderr and in the output, without failing', async () => {
    const { code, stdout, stderr } = await run([
      'analyze',
      '--fail-on=never',
      'warnings.yaml',
    ]);
    expect(code).toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      'lb-doctor: warning: warnings.yaml: document 2, line 8: object kindless has no kind; ignored',
      expect.stringMatching(
        /^lb-doctor: warning: warnings\.yaml: document 3, line 12: metallb\.io\/v1beta1 AddressPool metallb-system\/legacy is not supported since MetalLB 0\.14\.2/,
      ),
    ]);
    expect(stdout).toContain('INPUT WARNINGS');
  });

  it('exits 2 with one line naming the file for unusable input', async () => {
    const { code, stdout, stderr } = await run(
      ['analyze', '--fail-on=never', 'bad.yaml'],
      '',
      writeBadYaml(),
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^lb-doctor: bad\.yaml: document 2, line \d+: invalid YAML: [^\n]+\n$/,
    );
  });
});
