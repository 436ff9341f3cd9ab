import { parseManifests } from './parseManifests';
import { formatInputProblem } from './types';

describe('parseManifests', () => {
  it('reads multi-document YAML with lines per document', () => {
    const text = [
      '# leading comment',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: a}',
      '---',
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: b}',
    ].join('\n');
    const { objects, locations, problems } = parseManifests(text, 'a.yaml');
    expect(problems).toEqual([]);
    expect(objects.map(o => o.kind)).toEqual(['Service', 'Namespace']);
    expect(locations.get(objects[0])).toEqual({
      source: 'a.yaml',
      document: 1,
      line: 2,
    });
    expect(locations.get(objects[1])).toEqual({
      source: 'a.yaml',
      document: 3,
      line: 7,
    });
  });

  it('flattens kubectl YAML Lists with item lines', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata: {name: a}',
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata: {name: b}',
      'metadata: {resourceVersion: ""}',
    ].join('\n');
    const { objects, locations } = parseManifests(text, 'l.yaml');
    expect(objects.map(o => o.metadata?.name)).toEqual(['a', 'b']);
    expect(objects.map(o => locations.get(o)?.line)).toEqual([4, 7]);
  });

  it('flattens JSON Lists with item lines, and fills kind for typed lists', () => {
    const text = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'ServiceList',
        metadata: { note: 'items: ["x"]' },
        items: [
          { metadata: { name: 'a', labels: { items: '[' } } },
          { metadata: { name: 'b' } },
        ],
      },
      null,
      2,
    );
    const { objects, locations, problems } = parseManifests(text, 'l.json');
    expect(problems).toEqual([]);
    expect(objects.map(o => [o.apiVersion, o.kind, o.metadata?.name])).toEqual([
      ['v1', 'Service', 'a'],
      ['v1', 'Service', 'b'],
    ]);
    const lines = text.split('\n');
    const lineOf = (o: (typeof objects)[number]) =>
      lines[(locations.get(o)?.line ?? 0) - 1];
    expect(lineOf(objects[0]).trim()).toBe('{');
    expect(locations.get(objects[1])!.line).toBeGreaterThan(
      locations.get(objects[0])!.line!,
    );
  });

  it('reports bad YAML as an error with document and line, and keeps good documents', () => {
    const text = 'kind: Service\napiVersion: v1\n---\nkind: [unclosed\n';
    const { objects, problems } = parseManifests(text, 'bad.yaml');
    expect(objects).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      severity: 'error',
      source: 'bad.yaml',
      document: 2,
    });
    expect(formatInputProblem(problems[0])).toMatch(
      /^bad\.yaml: document 2, line \d+: invalid YAML: /,
    );
    expect(formatInputProblem(problems[0])).not.toContain('\n');
  });

  it('rejects duplicate keys like the Kubernetes decoder does', () => {
    const { problems } = parseManifests('kind: A\nkind: B\n', 'dup.yaml');
    expect(problems[0].severity).toBe('error');
  });

  it('guards against alias bombs', () => {
    const text = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    const { objects, problems } = parseManifests(text, 'bomb.yaml');
    expect(objects).toEqual([]);
    expect(problems[0]).toMatchObject({ severity: 'error', document: 1 });
  });

  it('refuses texts over the length limit', () => {
    const { problems } = parseManifests('kind: A\n'.repeat(100), 'big.yaml', {
      maxLength: 50,
    });
    expect(problems[0]).toMatchObject({
      severity: 'error',
      source: 'big.yaml',
    });
  });

  it('warns about documents and items that are not objects', () => {
    const text = 'just a string\n---\n- 1\n- kind: Service\n  apiVersion: v1\n';
    const { objects, problems } = parseManifests(text, 'odd.yaml');
    expect(objects).toHaveLength(1);
    expect(problems.map(p => [p.severity, p.document, p.line])).toEqual([
      ['warning', 1, 1],
      ['warning', 2, 3],
    ]);
  });

  it('accepts YAML flow mappings that look like JSON, BOMs, merge keys and empty text', () => {
    expect(
      parseManifests('{kind: Service, apiVersion: v1}', 'f.yaml').objects,
    ).toHaveLength(1);
    expect(
      parseManifests('\ufeff{"kind": "Service"}', 'b.json').objects,
    ).toHaveLength(1);
    const merged = parseManifests(
      'base: &b {x: 1}\nkind: A\nspec:\n  <<: *b\n  y: 2\n',
      'm.yaml',
    );
    expect(merged.objects[0].spec).toEqual({ x: 1, y: 2 });
    expect(parseManifests('', 'e.yaml')).toMatchObject({
      objects: [],
      problems: [],
    });
    expect(parseManifests('# only a comment\n', 'c.yaml').problems).toEqual([]);
  });

  it('keeps timestamps as strings (core schema)', () => {
    const { objects } = parseManifests(
      'kind: Event\nlastTimestamp: 2024-01-01T00:00:00Z\n',
      't',
    );
    expect(objects[0].lastTimestamp).toBe('2024-01-01T00:00:00Z');
  });
});
