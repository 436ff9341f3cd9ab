/*
 * `yarn bench`: is the engine cheaper than reading its own input, and does it scale linearly?
 *
 * For a synthetic cluster (see generate.ts) it times, in the same process and on the same data,
 * `JSON.parse` of the `kubectl get -o json` text and the engine's analysis of the parsed objects
 * (`snapshotFromObjects` + `analyzeFleet`, what the CLI and the backend do). Targets, from the
 * issue: analysis/parse <= 0.5 at 10,000 Services; analysis(100,000) <= 11 x analysis(10,000);
 * heap growth during analysis < 3 x the heap size of the parsed input.
 *
 * Runs through bin/bench, which starts node with --expose-gc. Exits non-zero on a missed target
 * only with --strict (timings vary between machines; CI opts in).
 */
import {
  analyzeFleet,
  snapshotFromObjects,
} from '@lb-doctor/plugin-metallb-common';
import { GCProfiler } from 'node:v8';
import { generateCluster } from './generate';

interface Args {
  strict: boolean;
  runs: number;
  services: number;
  largeServices: number;
  pools: number;
  seed: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    strict: false,
    runs: 5,
    services: 10_000,
    largeServices: 100_000,
    pools: 500,
    seed: 20250601,
  };
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2);
    const number = Number(value);
    if (flag === '--strict') args.strict = true;
    else if (flag === '--runs' && number > 0) args.runs = Math.floor(number);
    else if (flag === '--services' && number > 0)
      args.services = Math.floor(number);
    else if (flag === '--large' && number >= 0)
      args.largeServices = Math.floor(number);
    else if (flag === '--pools' && number > 0) args.pools = Math.floor(number);
    else if (flag === '--seed' && Number.isFinite(number)) args.seed = number;
    else {
      process.stderr.write(
        `bench: unknown argument ${arg}\nusage: bench [--strict] [--runs=N] [--services=N] [--large=N (0 skips)] [--pools=N] [--seed=N]\n`,
      );
      process.exit(2);
    }
  }
  return args;
}

const gc: () => void =
  typeof globalThis.gc === 'function'
    ? globalThis.gc
    : () => {
        throw new Error('bench: run through bin/bench (node --expose-gc)');
      };

/** Collects twice: the second pass frees what the first pass's finalisers released. */
function fullGc(): void {
  gc();
  gc();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Measurement {
  services: number;
  jsonBytes: number;
  parseMs: number;
  analysisMs: number;
  /** The two phases of the analysis (medians, so they need not add up exactly). */
  snapshotMs: number;
  analyzeMs: number;
  /** Heap retained by the parsed objects (after a full GC). */
  inputHeap: number;
  /** Heap growth from before analysis to the highest point observed during it. */
  analysisHeapPeak: number;
  /** Heap still held after analysis (the report), after a full GC. */
  reportHeap: number;
  /**
   * Bytes allocated during analysis (freed by collections plus growth to the end); with a young
   * generation of tens of MiB, this is what drives the peak.
   */
  analysisAllocated: number;
  runs: number;
}

function analyse(items: unknown[], name: string) {
  const { snapshot } = snapshotFromObjects(name, items);
  return analyzeFleet([snapshot]);
}

/** The same work as {@link analyse}, with the end of `snapshotFromObjects` timed too. */
function analyseTimed(items: unknown[], name: string) {
  const t0 = process.hrtime.bigint();
  const { snapshot } = snapshotFromObjects(name, items);
  const t1 = process.hrtime.bigint();
  const report = analyzeFleet([snapshot]);
  return { report, snapshotNs: t1 - t0 };
}

function itemsOf(list: unknown): unknown[] {
  const items = (list as { items?: unknown } | null)?.items;
  if (!Array.isArray(items))
    throw new Error('bench: generated List has no items');
  return items;
}

function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

/**
 * Runs `fn` and returns the highest heap use during it. The analysis is synchronous, so nothing can
 * sample it from outside; V8's GC profiler records the used heap size *before* every collection,
 * which is where each local high-water mark is, and the value at the end covers the tail.
 */
function withHeapPeak<T>(fn: () => T): {
  result: T;
  peak: number;
  allocated: number;
} {
  const start = heapUsed();
  const profiler = new GCProfiler();
  profiler.start();
  const result = fn();
  let peak = heapUsed();
  const profile = profiler.stop();
  let freed = 0;
  for (const entry of profile?.statistics ?? []) {
    peak = Math.max(peak, entry.beforeGC.heapStatistics.usedHeapSize);
    freed +=
      entry.beforeGC.heapStatistics.usedHeapSize -
      entry.afterGC.heapStatistics.usedHeapSize;
  }
  return { result, peak, allocated: freed + heapUsed() - start };
}

/**
 * Measures one cluster size. `warmUp` runs the analysis once untimed first (JIT); the large size
 * skips it because the base size already warmed the same code. `budgetMs` caps the timed runs of
 * a slow engine so that `yarn bench` stays within a few minutes: at least one run is always taken.
 */
function measure(
  services: number,
  args: Args,
  warmUp: boolean,
  budgetMs = Infinity,
): Measurement {
  const list = generateCluster({
    services,
    pools: args.pools,
    seed: args.seed,
  });
  const text = JSON.stringify(list);
  const jsonBytes = Buffer.byteLength(text);

  // Warm-up: compiles the hot paths of JSON.parse and of the engine before timing.
  if (warmUp) analyse(itemsOf(JSON.parse(text)), 'warm-up');

  const parseTimes: number[] = [];
  const analysisTimes: number[] = [];
  const snapshotTimes: number[] = [];
  const timedStart = Date.now();
  for (let run = 0; run < args.runs; run++) {
    if (run > 0 && Date.now() - timedStart > budgetMs) break;
    fullGc();
    const t0 = process.hrtime.bigint();
    const parsed: unknown = JSON.parse(text);
    const t1 = process.hrtime.bigint();
    const { report, snapshotNs } = analyseTimed(
      itemsOf(parsed),
      `bench-${services}`,
    );
    if (report.clusters[0].services.length < services) {
      throw new Error(
        `bench: the report lists ${report.clusters[0].services.length} of ${services} Services`,
      );
    }
    const t2 = process.hrtime.bigint();
    parseTimes.push(Number(t1 - t0) / 1e6);
    analysisTimes.push(Number(t2 - t1) / 1e6);
    snapshotTimes.push(Number(snapshotNs) / 1e6);
  }

  // Memory, in a separate pass so that sampling does not disturb the timings.
  fullGc();
  const base = heapUsed();
  let parsed: unknown = JSON.parse(text);
  fullGc();
  const withInput = heapUsed();
  const inputHeap = withInput - base;

  const measured = withHeapPeak(() => analyse(itemsOf(parsed), 'memory'));
  let report: ReturnType<typeof analyse> | null = measured.result;
  const peak = measured.peak;
  const analysisHeapPeak = peak - withInput;
  parsed = null;
  fullGc();
  const reportHeap = heapUsed() - base;
  if (report.clusters.length !== 1) throw new Error('bench: unexpected report');
  report = null;

  return {
    services,
    jsonBytes,
    parseMs: median(parseTimes),
    analysisMs: median(analysisTimes),
    snapshotMs: median(snapshotTimes),
    analyzeMs: median(analysisTimes.map((t, i) => t - snapshotTimes[i])),
    inputHeap,
    analysisHeapPeak,
    reportHeap,
    analysisAllocated: measured.allocated,
    runs: analysisTimes.length,
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
  return rows
    .map(r =>
      r
        .map((cell, c) =>
          c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]),
        )
        .join('  '),
    )
    .join('\n');
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  process.stdout.write(
    `lb-doctor bench: ${args.services.toLocaleString(
      'en',
    )} and ${args.largeServices.toLocaleString('en')} Services, ${
      args.pools
    } pools, seed ${args.seed}, median of ${
      args.runs
    } runs after one warm-up (large: up to 3 runs within 40 s) (node ${
      process.version
    })\n\n`,
  );

  const small = measure(args.services, args, true);
  const large =
    args.largeServices > 0
      ? measure(
          args.largeServices,
          { ...args, runs: Math.min(args.runs, 3) },
          false,
          40_000,
        )
      : null;

  const rows = [
    [
      '',
      'Services',
      'runs',
      'JSON',
      'parse',
      'analysis',
      '(snapshot',
      '+ analyze)',
      'analysis/parse',
      'input heap',
      'analysis heap peak',
      'peak/input',
      'report heap',
      'allocated',
    ],
  ];
  for (const m of [small, large]) {
    if (!m) continue;
    rows.push([
      m === small ? 'base' : 'large',
      m.services.toLocaleString('en'),
      String(m.runs),
      mb(m.jsonBytes),
      ms(m.parseMs),
      ms(m.analysisMs),
      ms(m.snapshotMs),
      ms(m.analyzeMs),
      (m.analysisMs / m.parseMs).toFixed(2),
      mb(m.inputHeap),
      mb(m.analysisHeapPeak),
      (m.analysisHeapPeak / m.inputHeap).toFixed(2),
      mb(m.reportHeap),
      mb(m.analysisAllocated),
    ]);
  }
  process.stdout.write(`${table(rows)}\n\n`);

  const targets: Array<{
    name: string;
    value: string;
    limit: string;
    pass: boolean;
  }> = [];
  const ratio = small.analysisMs / small.parseMs;
  targets.push({
    name: `analysis/parse at ${small.services.toLocaleString('en')} Services`,
    value: ratio.toFixed(2),
    limit: '<= 0.50',
    pass: ratio <= 0.5,
  });
  if (large) {
    const scale = large.analysisMs / small.analysisMs;
    const factor = large.services / small.services;
    targets.push({
      name: `analysis ${large.services.toLocaleString(
        'en',
      )} / ${small.services.toLocaleString('en')} Services`,
      value: scale.toFixed(2),
      limit: `<= ${(factor * 1.1).toFixed(2)}`,
      pass: scale <= factor * 1.1,
    });
  }
  for (const m of [small, large]) {
    if (!m) continue;
    const memory = m.analysisHeapPeak / m.inputHeap;
    targets.push({
      name: `analysis heap peak / parsed input at ${m.services.toLocaleString(
        'en',
      )} Services`,
      value: memory.toFixed(2),
      limit: '< 3.00',
      pass: memory < 3,
    });
  }
  process.stdout.write(
    `${table([
      ['target', 'value', 'limit', 'result'],
      ...targets.map(t => [t.name, t.value, t.limit, t.pass ? 'PASS' : 'FAIL']),
    ])}\n\n`,
  );
  process.stdout.write(
    'Heap figures: "input heap" is the heap the parsed objects retain (delta after a full GC); ' +
      '"analysis heap peak" is the highest heap use during analysis (V8 GC profiler: used heap before each GC, and at the end) ' +
      'minus the heap before it; "report heap" is what stays after the input is dropped; ' +
      '"allocated" is what the analysis allocated in all (freed by collections plus growth), garbage included: ' +
      "V8 collects the young generation only when it is full, so the peak follows the allocation volume until that reaches the young generation's size. " +
      '"(snapshot + analyze)" splits the analysis time between snapshotFromObjects and analyzeFleet.\n',
  );
  const failed = targets.filter(t => !t.pass).length;
  process.stdout.write(
    `${failed ? `${failed} target(s) missed` : 'all targets met'} in ${(
      (Date.now() - started) /
      1000
    ).toFixed(1)} s` +
      `${
        failed && !args.strict
          ? ' (not failing: pass --strict to exit non-zero)'
          : ''
      }\n`,
  );
  if (failed && args.strict) process.exitCode = 1;
}

main();
