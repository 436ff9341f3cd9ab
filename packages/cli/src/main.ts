import {
  analyzeFleet,
  formatInputProblem,
  snapshotFromObjects,
  type AnalyzeOptions,
  type InputProblem,
} from '@lb-doctor/plugin-metallb-common';
import packageJson from '../package.json';
import { parseArgs, type AnalyzeArgs } from './args';
import { InputError } from './errors';
import { EXIT_UNUSABLE_INPUT, exitCodeFor } from './exitPolicy';
import { formatReport } from './format';
import { loadInputs } from './input/loadInputs';
import { buildLocationIndex } from './input/locations';
import type { CliIo } from './io';

export const VERSION: string = packageJson.version;

/** Runs the CLI and returns its exit status; never throws. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const parsed = parseArgs(argv, VERSION, io);
    if (parsed.kind === 'exit') return parsed.code;
    return await analyze(parsed.args, io);
  } catch (error) {
    if (error instanceof InputError) {
      io.writeErr(`lb-doctor: ${error.message}\n`);
    } else {
      // An engine bug must not look like a crash with a stack trace in a CI log, but it must not
      // pass silently either.
      const message = error instanceof Error ? error.message : String(error);
      io.writeErr(`lb-doctor: internal error: ${message.split('\n')[0]}\n`);
    }
    return EXIT_UNUSABLE_INPUT;
  }
}

async function analyze(args: AnalyzeArgs, io: CliIo): Promise<number> {
  const loaded = await loadInputs(args.inputs, {
    cwd: io.cwd,
    fallbackCwd: io.fallbackCwd,
    defaultCluster: args.cluster,
    readStdin: io.readStdin,
  });
  const problems: InputProblem[] = [...loaded.problems];
  const snapshots = loaded.clusters.map(cluster => {
    const result = snapshotFromObjects(cluster.name, cluster.objects, {
      locations: cluster.locations,
    });
    problems.push(...result.problems);
    return result.snapshot;
  });
  for (const problem of problems) {
    io.writeErr(
      `lb-doctor: ${problem.severity}: ${formatInputProblem(problem)}\n`,
    );
  }

  const options: AnalyzeOptions = {};
  if (args.metallbLbClass !== undefined)
    options.metallbLbClass = args.metallbLbClass;
  const report = analyzeFleet(snapshots, options);

  io.writeOut(
    formatReport(args.format, report, {
      version: VERSION,
      problems,
      locations: buildLocationIndex(loaded.clusters),
    }),
  );
  return exitCodeFor(report, args.failOn);
}
