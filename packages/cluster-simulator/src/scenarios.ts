import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KubeObject, Scenario } from './types';

/** Built-in scenarios ship in the package's `scenarios` folder (listed in package.json `files`). */
export function scenariosDir(): string {
  return resolve(
    dirname(require.resolve('@lb-doctor/cluster-simulator/package.json')),
    'scenarios',
  );
}

export function builtinScenarioNames(): string[] {
  return readdirSync(scenariosDir())
    .filter(f => f.endsWith('.yaml'))
    .map(f => basename(f, '.yaml'))
    .sort();
}

export class ScenarioError extends Error {}

/** Checks the shape of a parsed scenario; messages name the offending field. */
export function validateScenario(raw: unknown, source: string): Scenario {
  const fail = (msg: string): never => {
    throw new ScenarioError(`${source}: ${msg}`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    fail('not a YAML mapping');
  const s = raw as Record<string, unknown>;
  if (
    typeof s.name !== 'string' ||
    !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s.name)
  ) {
    fail('`name` must be a DNS label');
  }
  if (!Array.isArray(s.objects)) fail('`objects` must be a list');
  (s.objects as unknown[]).forEach((o, i) => {
    const obj = o as Partial<KubeObject> | null;
    if (
      !obj ||
      typeof obj !== 'object' ||
      typeof obj.apiVersion !== 'string' ||
      typeof obj.kind !== 'string'
    ) {
      fail(`objects[${i}] needs apiVersion and kind`);
    }
    if (!obj!.metadata || typeof obj!.metadata.name !== 'string')
      fail(`objects[${i}] needs metadata.name`);
  });
  for (const key of ['actors', 'faults', 'rbac', 'crds'] as const) {
    if (s[key] !== undefined && !Array.isArray(s[key]))
      fail(`\`${key}\` must be a list`);
  }
  ((s.actors as unknown[]) ?? []).forEach((a, i) => {
    if (!a || typeof (a as { type?: unknown }).type !== 'string')
      fail(`actors[${i}] needs a type`);
  });
  ((s.faults as unknown[]) ?? []).forEach((f, i) => {
    if (!f || typeof (f as { path?: unknown }).path !== 'string')
      fail(`faults[${i}] needs a path`);
  });
  return raw as Scenario;
}

/** Loads a scenario by built-in name or file path. */
export function loadScenario(nameOrPath: string): Scenario {
  return loadScenarioWithSource(nameOrPath).scenario;
}

/** Like loadScenario, also returning the file it came from (for error messages). */
export function loadScenarioWithSource(nameOrPath: string): {
  scenario: Scenario;
  source: string;
} {
  const isPath = nameOrPath.includes('/') || extname(nameOrPath) !== '';
  const file = isPath
    ? resolve(nameOrPath)
    : resolve(scenariosDir(), `${nameOrPath}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ScenarioError(
      isPath
        ? `${file}: cannot read scenario file`
        : `unknown scenario "${nameOrPath}" (built-in: ${builtinScenarioNames().join(
            ', ',
          )})`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ScenarioError(
      `${file}: invalid YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  return { scenario: validateScenario(raw, file), source: file };
}
