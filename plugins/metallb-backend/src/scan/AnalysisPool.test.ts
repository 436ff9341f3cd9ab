import { mockServices } from '@backstage/backend-test-utils';
import { generateCluster } from '@lb-doctor/cluster-simulator';
import type { OwnershipDetector } from '@lb-doctor/plugin-metallb-common';
import { AnalysisInput, analyzeRead } from './analysis';
import { AnalysisPool } from './AnalysisPool';
import { RESOURCES } from './resources';

jest.setTimeout(60_000);

/** The transpiler hook the dev backend passes to node (`backstage-cli package start`). */
const DEV_EXEC_ARGV = [
  '--require',
  require.resolve('@backstage/cli/config/nodeTransform.cjs'),
];

const input = (name: string): AnalysisInput => ({
  cluster: name,
  objects: generateCluster({ name, services: 60, pools: 2, seed: 7 }).objects,
  known: [...RESOURCES.map(r => r.key), 'configMaps'],
  collectedAt: '2026-11-25T12:00:00.000Z',
});

describe('AnalysisPool', () => {
  const pools: AnalysisPool[] = [];
  const pool = (options: { size: number; execArgv?: string[] }) => {
    const logger = mockServices.logger.mock();
    const created = new AnalysisPool({ ...options, logger });
    pools.push(created);
    return { pool: created, logger };
  };

  afterEach(async () => {
    await Promise.all(pools.splice(0).map(p => p.close()));
  });

  it('analyses in worker threads exactly as on the calling thread', async () => {
    const { pool: workers, logger } = pool({
      size: 2,
      execArgv: DEV_EXEC_ARGV,
    });
    const inputs = ['east', 'west', 'north'].map(input);
    // Three clusters on two workers: one waits in the queue.
    const results = await Promise.all(inputs.map(i => workers.analyze(i)));
    expect(workers.mode).toBe('worker');
    expect(logger.debug).toHaveBeenCalledWith(
      'Analysing scans in 2 worker thread(s)',
    );
    expect(logger.warn).not.toHaveBeenCalled();
    for (const [k, result] of results.entries()) {
      expect(result).toEqual(analyzeRead(inputs[k]));
      expect(result.services.length).toBe(60);
      expect(JSON.parse(result.snapshotJson).name).toBe(inputs[k].cluster);
    }
  });

  it('falls back to the calling thread when workers cannot load the TypeScript sources', async () => {
    // No transpiler hook: a worker cannot require analysis.ts, as in a dev process started
    // without `--require .../nodeTransform.cjs`.
    const { pool: workers, logger } = pool({ size: 1, execArgv: [] });
    const first = input('east');
    const result = await workers.analyze(first);
    expect(result).toEqual(analyzeRead(first));
    expect(workers.mode).toBe('thread');
    expect(logger.debug).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Analysis workers cannot load .*analysis\.ts .*; analysing scans on the main thread$/,
      ),
    );
    // Later analyses go straight to the calling thread.
    const second = input('west');
    expect(await workers.analyze(second)).toEqual(analyzeRead(second));
  });

  it('analyses on the calling thread with module detectors, which cannot cross threads', async () => {
    const { pool: workers } = pool({ size: 1, execArgv: DEV_EXEC_ARGV });
    const seen = new Set<string>();
    const detector: OwnershipDetector = {
      id: 'in-house',
      detect(service) {
        seen.add(service.metadata?.name ?? '');
        return undefined;
      },
    };
    const result = await workers.analyze(input('east'), [detector]);
    expect(seen.size).toBe(60);
    expect(result.services.length).toBe(60);
    expect(workers.mode).toBe('thread');
  });

  it('finishes pending analyses when closed (backend shutdown)', async () => {
    const { pool: workers } = pool({ size: 1, execArgv: DEV_EXEC_ARGV });
    await workers.analyze(input('warm-up'));
    const pending = ['east', 'west'].map(input);
    const results = pending.map(i => workers.analyze(i));
    await workers.close();
    for (const [k, result] of results.entries()) {
      expect(await result).toEqual(analyzeRead(pending[k]));
    }
    expect(workers.mode).toBe('thread');
  });

  it('with size 0 never starts a worker', async () => {
    const { pool: none, logger } = pool({ size: 0 });
    const first = input('east');
    expect(await none.analyze(first)).toEqual(analyzeRead(first));
    expect(none.mode).toBe('thread');
    expect(logger.debug).not.toHaveBeenCalled();
  });
});
