import path from 'node:path';
import { writeBadYaml } from '../__fixtures__/badYaml';
import { InputError } from '../errors';
import { loadInputs } from './loadInputs';
import { buildLocationIndex } from './locations';

const fixtures = path.resolve(__dirname, '../__fixtures__');

function load(
  args: string[],
  stdin = '',
  extra: { fallbackCwd?: string; maxBytes?: number } = {},
) {
  return loadInputs(args, {
    cwd: fixtures,
    defaultCluster: 'default',
    readStdin: async () => stdin,
    ...extra,
  });
}

describe('loadInputs', () => {
  it('reads multi-document YAML and JSON Lists into one cluster', async () => {
    const { clusters, problems } = await load(['multi.yaml', 'list.json']);
    expect(problems).toEqual([]);
    expect(clusters).toHaveLength(1);
    expect(clusters[0].name).toBe('default');
    expect(clusters[0].objects.map(o => o.kind)).toEqual([
      'Service',
      'Service',
      'IPAddressPool',
      'L2Advertisement',
      'Service',
      'Namespace',
    ]);
    const index = buildLocationIndex(clusters);
    expect(index.service('default', 'shop', 'api')).toEqual({
      source: 'multi.yaml',
      document: 2,
      line: 14,
    });
    expect(index.service('default', 'data', 'db')).toEqual({
      source: 'list.json',
      document: 1,
      line: 5,
    });
    expect(index.cluster('default')).toEqual({
      source: 'multi.yaml',
      document: 3,
      line: 24,
    });
  });

  it('walks folders recursively in sorted order, skipping hidden entries and other extensions', async () => {
    const { clusters } = await load(['folder']);
    const names = clusters[0].objects.map(o => o.metadata?.name);
    expect(names).toEqual(['from-folder-a', 'from-folder-b']);
    const index = buildLocationIndex(clusters);
    expect(index.service('default', 'default', 'from-folder-b')?.source).toBe(
      path.join('folder', 'sub', 'b.yml'),
    );
  });

  it('reads stdin and groups named clusters in order of appearance', async () => {
    const { clusters } = await load(
      ['west=fleet/west', 'east=fleet/east.yaml', 'west=-'],
      'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n',
    );
    expect(
      clusters.map(c => [c.name, c.objects.map(o => o.kind), c.inputs]),
    ).toEqual([
      ['west', ['Service', 'Node'], ['fleet/west', '-']],
      ['east', ['Service'], ['fleet/east.yaml']],
    ]);
    expect(buildLocationIndex(clusters).cluster('west')?.source).toBe(
      path.join('fleet', 'west', 'svc.yaml'),
    );
  });

  it('returns usable-input problems as warnings', async () => {
    const { clusters, problems } = await load(['warnings.yaml', 'empty.yaml']);
    expect(clusters[0].objects).toHaveLength(3);
    expect(problems).toEqual([
      {
        severity: 'warning',
        source: 'empty.yaml',
        message: 'no Kubernetes objects',
      },
    ]);
  });

  it.each([
    [['missing.yaml'], 'missing.yaml: no such file or directory'],
    [['empty.yaml'], 'empty.yaml: no Kubernetes objects found'],
    [['-'], '-: no Kubernetes objects found'],
    [['folder/sub/../../fleet/west/none'], 'no such file or directory'],
  ])('fails on %j with a one-line reason', async (args, message) => {
    const error = await load(args).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('fails on bad YAML naming the file, document and line', async () => {
    const dir = writeBadYaml();
    const error = await loadInputs(['bad.yaml'], {
      cwd: dir,
      defaultCluster: 'd',
      readStdin: async () => '',
    }).catch(e => e);
    expect(error.message).toMatch(
      /^bad\.yaml: document 2, line \d+: invalid YAML: [^\n]+$/,
    );
  });

  it('fails on a folder without manifests and on files over the size limit', async () => {
    await expect(
      load(['folder/.hidden/..', 'fleet/west'], '', {}),
    ).resolves.toBeDefined();
    await expect(load(['multi.yaml'], '', { maxBytes: 10 })).rejects.toThrow(
      /^multi\.yaml: \d+ bytes, more than/,
    );
  });

  it('finds a relative path under the fallback directory', async () => {
    const { clusters } = await loadInputs(['multi.yaml'], {
      cwd: '/nonexistent-root',
      fallbackCwd: fixtures,
      defaultCluster: 'd',
      readStdin: async () => '',
    });
    expect(clusters[0].objects).toHaveLength(4);
  });
});
