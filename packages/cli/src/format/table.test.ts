import { cleanFleet, sampleFleet } from '../__fixtures__/reports';
import { formatTable, TABLE_WIDTH } from './table';

describe('formatTable', () => {
  const text = formatTable(sampleFleet(), {
    version: '1.0.0',
    problems: [
      {
        severity: 'warning',
        source: 'a.yaml',
        line: 3,
        message: 'object has no kind; ignored',
      },
    ],
  });
  const lines = text.split('\n');

  it('fits an 80-column terminal', () => {
    for (const line of lines)
      expect(line.length).toBeLessThanOrEqual(TABLE_WIDTH);
    expect(lines.every(l => l === l.trimEnd())).toBe(true);
  });

  it('has a line per cluster and a row per Service with the top rule', () => {
    expect(lines.filter(l => l.startsWith('CLUSTER '))).toEqual([
      expect.stringMatching(
        /^CLUSTER east: 3 Services \(1 ok, 1 warning, 1 error\); MetalLB 0\.14\.8/,
      ),
      expect.stringMatching(/^CLUSTER west: 0 Services; MetalLB 0\.14\.8/),
    ]);
    expect(lines).toContain('  pools: default 2/16');
    const header = lines.find(l => l.startsWith('STATUS'))!;
    expect(header.split(/\s+/)).toEqual([
      'STATUS',
      'SERVICE',
      'OUTCOME',
      'IPS',
      'OWNERS',
      'RULE',
    ]);
    const web = lines.find(l => l.includes('shop/web'))!;
    expect(web.split(/\s+/)).toEqual([
      'error',
      'shop/web',
      'fail',
      '-',
      'metallb',
      'ip-in-use',
    ]);
    expect(lines.find(l => l.includes('shop/api'))!.split(/\s+/)).toEqual([
      'ok',
      'shop/api',
      'keep',
      '192.168.10.10',
      'metallb',
      '-',
    ]);
  });

  it('truncates long values with an ellipsis', () => {
    const row = lines.find(l => l.startsWith('warning a-very-long'))!;
    expect(row).toContain('…');
    expect(row).toMatch(/ controller-contention$/);
  });

  it('lists findings with wrapped messages, fixes, fleet findings and input warnings', () => {
    expect(text).toContain('  error   ip-in-use shop/web\n');
    expect(text).toContain('          fix: Request a free IP\n');
    expect(text).toContain('  warning overlapping-pools cluster\n');
    expect(text).toContain(
      'FLEET FINDINGS\n  error   cross-cluster-ip fleet\n',
    );
    expect(text).toContain(
      'INPUT WARNINGS\n  a.yaml: line 3: object has no kind; ignored\n',
    );
    const errorIndex = lines.indexOf('  error   ip-in-use shop/web');
    const infoIndex = lines.indexOf('  info    deprecated-annotation shop/web');
    expect(errorIndex).toBeLessThan(infoIndex);
  });

  it('stays short for a clean report', () => {
    const clean = formatTable(cleanFleet(), { version: '1', problems: [] });
    expect(clean).not.toContain('FINDINGS');
    expect(clean).toMatch(/^ok +default\/web +keep +- +metallb +-$/m);
  });
});
