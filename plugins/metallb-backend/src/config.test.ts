import { ConfigReader } from '@backstage/config';
import { availableParallelism } from 'node:os';
import { readMetallbSettings } from './config';

describe('readMetallbSettings', () => {
  it('applies defaults', () => {
    expect(readMetallbSettings(new ConfigReader({}))).toEqual({
      schedule: { frequency: { minutes: 5 }, timeout: { minutes: 3 } },
      concurrency: 4,
      clusterTimeoutMs: 60_000,
      pageLimit: 500,
      retentionDays: 30,
      analysisWorkers: Math.max(0, Math.min(2, availableParallelism() - 1)),
    });
  });

  it('reads every key', () => {
    const settings = readMetallbSettings(
      new ConfigReader({
        metallb: {
          schedule: { frequency: { minutes: 1 }, timeout: { seconds: 50 } },
          scan: {
            concurrency: 2,
            clusterTimeout: { seconds: 5 },
            pageLimit: 50,
            analysisWorkers: 0,
          },
          history: { retentionDays: 7 },
        },
      }),
    );
    expect(settings).toMatchObject({
      concurrency: 2,
      clusterTimeoutMs: 5000,
      pageLimit: 50,
      retentionDays: 7,
      analysisWorkers: 0,
    });
    expect(settings.schedule.frequency).toEqual({ minutes: 1 });
    expect(
      readMetallbSettings(
        new ConfigReader({ metallb: { scan: { clusterTimeout: 9 } } }),
      ).clusterTimeoutMs,
    ).toBe(9000);
  });

  it('rejects nonsense', () => {
    expect(() =>
      readMetallbSettings(
        new ConfigReader({ metallb: { scan: { concurrency: 0 } } }),
      ),
    ).toThrow(/metallb.scan.concurrency/);
    expect(() =>
      readMetallbSettings(
        new ConfigReader({ metallb: { scan: { analysisWorkers: -1 } } }),
      ),
    ).toThrow(/metallb.scan.analysisWorkers/);
  });
});
