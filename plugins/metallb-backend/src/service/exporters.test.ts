import type { FleetReportItem } from '@lb-doctor/plugin-metallb-node';
import { toCsv, toMarkdown } from './exporters';

const item = {
  cluster: 'east',
  namespace: 'shop',
  name: 'web',
  status: 'error',
  ingress: ['10.0.0.1'],
  requested: [],
  owners: [{ controller: 'metallb', evidence: [] }],
  metallb: { outcome: 'keep' },
  findings: [
    {
      rule: 'ip-in-use',
      severity: 'error',
      message: '=HYPERLINK("x"), "quoted" | piped',
      evidence: [],
      remediations: [],
    },
  ],
  entityRefs: ['component:default/web', 'system:default/shop'],
} as unknown as FleetReportItem;

describe('exporters', () => {
  it('writes CSV with quoting and formula neutralisation', () => {
    const lines = toCsv([item]).split('\r\n');
    expect(lines[0]).toBe(
      'cluster,namespace,name,status,ingress,requested,owners,metallb,rules,messages,entities',
    );
    expect(lines[1]).toBe(
      `east,shop,web,error,10.0.0.1,,metallb,keep,ip-in-use,"'=HYPERLINK(""x""), ""quoted"" | piped",component:default/web system:default/shop`,
    );
  });

  it('writes a Markdown table with escaped pipes', () => {
    const md = toMarkdown([item]);
    expect(md).toContain(
      '| east | shop/web | error | 10.0.0.1 | metallb | component:default/web system:default/shop |',
    );
    expect(md).toContain('\\| piped');
  });
});
