import { writeFileSync } from 'node:fs';
import { generateCluster } from './generator';
import { ScenarioError } from './scenarios';
import { startSimulator } from './server';
import { Scenario } from './types';

const USAGE =
  'usage: cluster-simulator [--port 8090] [--host 127.0.0.1] [--scenario NAME|PATH]... [--generate NAME:SERVICES:POOLS]... [--ca-file PATH]';

interface Io {
  out(line: string): void;
  err(line: string): void;
  exit(code: number): void;
}

const processIo: Io = {
  out: line => process.stdout.write(`${line}\n`),
  err: line => process.stderr.write(`${line}\n`),
  exit: code => process.exit(code),
};

/** Parses arguments, starts the simulator, prints one line per cluster and serves until SIGINT/SIGTERM. */
export async function runCli(
  argv: string[],
  io: Io = processIo,
): Promise<void> {
  let port = 8090;
  let host = '127.0.0.1';
  let caFile: string | undefined;
  const scenarios: string[] = [];
  const generated: Scenario[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? arg.split(/=(.*)/s, 2)
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) {
        io.err(`cluster-simulator: ${flag} needs a value\n${USAGE}`);
        io.exit(2);
      }
      return v as string;
    };
    if (flag === '--port') port = Number(value());
    else if (flag === '--host') host = value();
    else if (flag === '--scenario') scenarios.push(value());
    // kubectl only sends tokens over TLS: write the CA of the port's HTTPS side for --certificate-authority.
    else if (flag === '--ca-file') caFile = value();
    else if (flag === '--generate') {
      const v = value();
      const m = v.match(/^([a-z0-9-]+):(\d+):(\d+)$/);
      if (!m) {
        io.err(
          `cluster-simulator: --generate expects NAME:SERVICES:POOLS, got "${v}"`,
        );
        io.exit(2);
        return;
      }
      generated.push(
        generateCluster({
          name: m[1],
          services: Number(m[2]),
          pools: Number(m[3]),
        }),
      );
    } else if (flag === '--help' || flag === '-h') {
      io.out(USAGE);
      io.exit(0);
      return;
    } else {
      io.err(`cluster-simulator: unknown argument "${arg}"\n${USAGE}`);
      io.exit(2);
      return;
    }
  }
  try {
    const sim = await startSimulator({
      port,
      host,
      scenarios:
        scenarios.length > 0 || generated.length > 0 ? scenarios : undefined,
      scenarioObjects: generated,
    });
    if (caFile) {
      writeFileSync(caFile, sim.https.caCertPem);
      io.err(
        `cluster-simulator: TLS on the same port (${sim.https.url}), CA written to ${caFile}`,
      );
    }
    for (const c of sim.clusters) {
      io.out(`${c.name}\t${c.url}\ttoken=${c.token}`);
    }
    const stop = () => {
      sim.close().then(() => io.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    // Scenario problems (exit 2) name their file; others (e.g. port in use) exit 1.
    io.err(`cluster-simulator: ${(e as Error).message.split('\n')[0]}`);
    io.exit(e instanceof ScenarioError ? 2 : 1);
  }
}
