import { Command, CommanderError, Option } from 'commander';
import type { FailOn } from './exitPolicy';
import { EXIT_OK, EXIT_UNUSABLE_INPUT } from './exitPolicy';
import type { FormatName } from './format';
import { FORMAT_NAMES } from './format';
import { USAGE } from './usage';

/** What `lb-doctor analyze` was asked to do. */
export interface AnalyzeArgs {
  format: FormatName;
  failOn: FailOn;
  /** `undefined`: not given; `null`: given empty (MetalLB runs without --lb-class). */
  metallbLbClass: string | null | undefined;
  cluster: string;
  /** The `[NAME=]PATH` arguments, unparsed (their meaning depends on the file system). */
  inputs: string[];
}

export type ParsedArgs =
  | { kind: 'analyze'; args: AnalyzeArgs }
  | { kind: 'exit'; code: number };

interface Output {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/**
 * Parses the command line. Help and version print and end with status 0; argument errors print one
 * line and end with status 2, the status for unusable input.
 */
export function parseArgs(
  argv: string[],
  version: string,
  out: Output,
): ParsedArgs {
  let result: AnalyzeArgs | undefined;
  const program = new Command('lb-doctor');
  const configure = (command: Command) =>
    command
      .exitOverride()
      .configureOutput({
        writeOut: text => out.writeOut(text),
        writeErr: text => out.writeErr(text),
        outputError: (text, write) =>
          write(
            `lb-doctor: ${
              text
                .replace(/^error: /, '')
                .trim()
                .split('\n')[0]
            }\n`,
          ),
      })
      .helpOption('-h, --help', 'print the help text');
  configure(program).version(version, '-V, --version', 'print the version');
  program.helpInformation = () => USAGE;

  const analyze = configure(program.command('analyze'))
    .argument('<inputs...>')
    .addOption(
      new Option('--format <format>').choices(FORMAT_NAMES).default('table'),
    )
    .addOption(
      new Option('--fail-on <level>')
        .choices(['error', 'warning', 'never'])
        .default('error'),
    )
    .option('--metallb-lb-class <class>')
    .option('--cluster <name>', undefined, 'default')
    .action((inputs: string[], options: Record<string, string | undefined>) => {
      const lbClass = options.metallbLbClass;
      result = {
        format: options.format as FormatName,
        failOn: options.failOn as FailOn,
        metallbLbClass: lbClass === undefined ? undefined : lbClass || null,
        cluster: options.cluster ?? 'default',
        inputs,
      };
    });
  analyze.helpInformation = () => USAGE;
  analyze.showHelpAfterError(false);

  if (argv.length === 0) {
    out.writeErr(`lb-doctor: missing command\n\n${USAGE}`);
    return { kind: 'exit', code: EXIT_UNUSABLE_INPUT };
  }
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const printedHelp = [
        'commander.helpDisplayed',
        'commander.version',
        'commander.help',
      ];
      return {
        kind: 'exit',
        code: printedHelp.includes(error.code) ? EXIT_OK : EXIT_UNUSABLE_INPUT,
      };
    }
    throw error;
  }
  if (!result) {
    out.writeErr(
      `lb-doctor: missing command (try: lb-doctor analyze PATH...)\n`,
    );
    return { kind: 'exit', code: EXIT_UNUSABLE_INPUT };
  }
  if (result.cluster === '') {
    out.writeErr('lb-doctor: --cluster needs a non-empty name\n');
    return { kind: 'exit', code: EXIT_UNUSABLE_INPUT };
  }
  return { kind: 'analyze', args: result };
}
