import { cleanFleet, sampleFleet } from '../__fixtures__/reports';
import { formatMarkdown } from './markdown';

describe('formatMarkdown', () => {
  const text = formatMarkdown(sampleFleet(), {
    version: '1.2.3',
    problems: [{ severity: 'warning', source: 'a.yaml', message: 'no <kind>' }],
  });

  it('starts with a summary table of every cluster', () => {
    expect(text).toContain(
      '| Cluster | Services | OK | Info | Warning | Error |',
    );
    expect(text).toContain('| <code>east</code> | 3 | 1 | 0 | 1 | 1 |');
    expect(text).toContain('| <code>west</code> | 0 | 0 | 0 | 0 | 0 |');
  });

  it('collapses each finding with its remediation YAML in a fenced block', () => {
    expect(text).toContain(
      '<details>\n<summary>❌ <code>ip-in-use</code> shop/web: IP 192.168.10.10',
    );
    expect(text).toContain('**Fix: Request a free IP**');
    expect(text).toMatch(
      /```yaml\napiVersion: v1\nkind: Service\n[\s\S]*?\n```\n/,
    );
    expect(text).toContain('```sh\nkubectl apply -f fix.yaml\n```');
    expect(text.match(/<details>/g)?.length).toBe(
      text.match(/<\/details>/g)?.length,
    );
  });

  it('escapes HTML and pipes from messages', () => {
    expect(text).not.toContain('<b>pipes</b>');
    expect(text).toContain('&lt;b&gt;pipes&lt;/b&gt;');
    expect(text).toContain('- a.yaml: no &lt;kind&gt;');
  });

  it('shows fleet findings and puts Services without findings in a collapsed table', () => {
    expect(text).toContain('### Fleet findings');
    expect(text).toContain(
      '<details><summary>1 Service(s) without findings</summary>',
    );
    const bare = sampleFleet();
    bare.findings[0].evidence = [];
    expect(formatMarkdown(bare, { version: '1', problems: [] })).toContain(
      '- ❌ <code>cross-cluster-ip</code> fleet: 203.0.113.10 is used in east and west\n',
    );
    const clean = formatMarkdown(cleanFleet(), { version: '1', problems: [] });
    expect(clean).not.toContain('#### Findings');
  });
});
