import { cleanFleet, finding, sampleFleet } from './__fixtures__/reports';
import { exitCodeFor } from './exitPolicy';

describe('exitCodeFor', () => {
  it('fails on errors by default level, on warnings when asked, never when told', () => {
    expect(exitCodeFor(sampleFleet(), 'error')).toBe(1);
    expect(exitCodeFor(sampleFleet(), 'never')).toBe(0);
    expect(exitCodeFor(cleanFleet(), 'warning')).toBe(0);
  });

  it('counts fleet, cluster and Service findings; info never fails', () => {
    const withWarning = cleanFleet();
    withWarning.clusters[0].findings.push(finding({ severity: 'warning' }));
    expect(exitCodeFor(withWarning, 'error')).toBe(0);
    expect(exitCodeFor(withWarning, 'warning')).toBe(1);
    const withInfo = cleanFleet();
    withInfo.clusters[0].services[0].findings.push(
      finding({ severity: 'info' }),
    );
    expect(exitCodeFor(withInfo, 'warning')).toBe(0);
    const fleetError = cleanFleet();
    fleetError.findings.push(finding());
    expect(exitCodeFor(fleetError, 'error')).toBe(1);
  });
});
