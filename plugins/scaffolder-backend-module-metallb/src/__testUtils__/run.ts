import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { JsonObject, JsonValue } from '@backstage/types';
import { FakeMetallbService } from './fakeMetallb';

/** Runs an action's handler with the scaffolder's mock context; returns what it output. */
export async function runAction(
  action: TemplateAction<JsonObject, JsonObject, 'v2'>,
  input: JsonObject,
  workspacePath: string,
  isDryRun = false,
): Promise<Record<string, JsonValue>> {
  const ctx = {
    ...createMockActionContext({ input, workspacePath }),
    isDryRun,
  };
  await action.handler(ctx);
  return Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls as Array<[string, JsonValue]>,
  );
}

/** Error findings the engine reports for posted manifests, as the backend would compute them. */
export async function engineErrors(
  metallb: FakeMetallbService,
  cluster: string,
  manifest: string,
): Promise<string[]> {
  const result = await metallb.validate({ cluster, manifests: manifest });
  const baseline = (await metallb.getClusterState(cluster)).report!;
  const known = new Set(baseline.findings.map(f => f.message));
  return [
    ...result.services.flatMap(s => s.findings),
    ...result.findings.filter(f => !known.has(f.message)),
  ]
    .filter(f => f.severity === 'error')
    .map(f => `${f.rule}: ${f.message}`)
    .concat(
      result.problems.filter(p => p.severity === 'error').map(p => p.message),
    );
}
