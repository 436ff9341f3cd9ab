import { sampleFleet } from '../__fixtures__/reports';
import { formatReport } from '.';

describe('formatJson', () => {
  it('prints exactly the report, pretty and deterministic', () => {
    const report = sampleFleet();
    const text = formatReport('json', report, {
      version: '1',
      problems: [{ severity: 'warning', message: 'x' }],
    });
    expect(JSON.parse(text)).toEqual(report);
    expect(text).toBe(
      formatReport('json', sampleFleet(), { version: '1', problems: [] }),
    );
    expect(text.startsWith('{\n  "clusters": [')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });
});
