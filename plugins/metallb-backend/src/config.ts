import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { availableParallelism } from 'node:os';

/** Settings of the metallb plugin, read once at startup. */
export interface MetallbSettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  concurrency: number;
  clusterTimeoutMs: number;
  pageLimit: number;
  retentionDays: number;
  /** Worker threads that run the engine's analysis; 0 runs it on the main thread. */
  analysisWorkers: number;
}

/** One worker per spare core, at most two: analysis overlaps reads without taking every core. */
function defaultAnalysisWorkers(): number {
  return Math.max(0, Math.min(2, availableParallelism() - 1));
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
};

const MS: Record<string, number> = {
  years: 365 * 24 * 3600e3,
  months: 30 * 24 * 3600e3,
  weeks: 7 * 24 * 3600e3,
  days: 24 * 3600e3,
  hours: 3600e3,
  minutes: 60e3,
  seconds: 1e3,
  milliseconds: 1,
};

function positiveInt(
  config: Config,
  key: string,
  fallback: number,
  max: number,
  min = 1,
): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `Invalid config metallb.${key}: expected an integer from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

/** Reads `metallb.*`, applying the documented defaults (see config.d.ts). */
export function readMetallbSettings(root: Config): MetallbSettings {
  const config = root.getOptionalConfig('metallb');
  if (!config) {
    return {
      schedule: DEFAULT_SCHEDULE,
      concurrency: 4,
      clusterTimeoutMs: 60_000,
      pageLimit: 500,
      retentionDays: 30,
      analysisWorkers: defaultAnalysisWorkers(),
    };
  }
  const schedule = config.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;
  let clusterTimeoutMs = 60_000;
  if (config.has('scan.clusterTimeout')) {
    // A bare number is seconds, as the docs say; anything else is a Backstage duration.
    const raw = config.getOptional('scan.clusterTimeout');
    if (typeof raw === 'number') clusterTimeoutMs = raw * 1000;
    else {
      const duration = readDurationFromConfig(config, {
        key: 'scan.clusterTimeout',
      }) as Record<string, number | undefined>;
      clusterTimeoutMs = Object.entries(duration).reduce(
        (sum, [unit, n]) => sum + (MS[unit] ?? 0) * (n ?? 0),
        0,
      );
    }
    if (!(clusterTimeoutMs > 0)) {
      throw new Error(
        'Invalid config metallb.scan.clusterTimeout: must be > 0',
      );
    }
  }
  return {
    schedule,
    concurrency: positiveInt(config, 'scan.concurrency', 4, 64),
    clusterTimeoutMs,
    pageLimit: positiveInt(config, 'scan.pageLimit', 500, 10000),
    retentionDays: positiveInt(config, 'history.retentionDays', 30, 3650),
    analysisWorkers: config.has('scan.analysisWorkers')
      ? positiveInt(config, 'scan.analysisWorkers', 0, 16, 0)
      : defaultAnalysisWorkers(),
  };
}
