import { parseArgs } from './args';

function run(argv: string[]) {
  let out = '';
  let err = '';
  const result = parseArgs(argv, '9.9.9', {
    writeOut: t => (out += t),
    writeErr: t => (err += t),
  });
  return { result, out, err };
}

describe('parseArgs', () => {
  it('applies defaults', () => {
    expect(run(['analyze', 'a.yaml']).result).toEqual({
      kind: 'analyze',
      args: {
        format: 'table',
        failOn: 'error',
        metallbLbClass: undefined,
        cluster: 'default',
        inputs: ['a.yaml'],
      },
    });
  });

  it('reads every option', () => {
    const { result } = run([
      'analyze',
      '--format',
      'sarif',
      '--fail-on=warning',
      '--metallb-lb-class',
      'metallb',
      '--cluster',
      'prod',
      'a.yaml',
      '-',
    ]);
    expect(result).toEqual({
      kind: 'analyze',
      args: {
        format: 'sarif',
        failOn: 'warning',
        metallbLbClass: 'metallb',
        cluster: 'prod',
        inputs: ['a.yaml', '-'],
      },
    });
    const empty = run(['analyze', '--metallb-lb-class', '', 'a.yaml']).result;
    expect(empty.kind === 'analyze' && empty.args.metallbLbClass).toBeNull();
  });

  it('prints help and version with status 0', () => {
    for (const argv of [['--help'], ['analyze', '--help'], ['-h']]) {
      const { result, out } = run(argv);
      expect(result).toEqual({ kind: 'exit', code: 0 });
      expect(out).toContain('SYNOPSIS');
      expect(out).toContain('EXIT STATUS');
    }
    expect(run(['--version'])).toMatchObject({
      result: { kind: 'exit', code: 0 },
      out: '9.9.9\n',
    });
  });

  it('rejects bad arguments with one line and status 2', () => {
    for (const argv of [
      ['analyze', '--format', 'xml', 'a.yaml'],
      ['analyze', '--fail-on', 'sometimes', 'a.yaml'],
      ['analyze'],
      ['analyze', '--bogus', 'a.yaml'],
      ['lint', 'a.yaml'],
      ['analyze', '--cluster', '', 'a.yaml'],
    ]) {
      const { result, err } = run(argv);
      expect(result).toEqual({ kind: 'exit', code: 2 });
      expect(err).toMatch(/^lb-doctor: [^\n]+\n$/);
    }
    expect(run(['analyze', '--format', 'xml', 'a']).err).toContain(
      'table, json, markdown, sarif',
    );
  });

  it('prints the usage on stderr without a command', () => {
    const { result, err } = run([]);
    expect(result).toEqual({ kind: 'exit', code: 2 });
    expect(err).toContain('SYNOPSIS');
  });
});
