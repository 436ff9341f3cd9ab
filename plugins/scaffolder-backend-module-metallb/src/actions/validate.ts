import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { MetallbServiceValidateAction } from './types';
import {
  formatInputProblem,
  InputProblem,
  KubeObject,
  parseManifests,
} from '@lb-doctor/plugin-metallb-common';
import type { MetallbService } from '@lb-doctor/plugin-metallb-node';
import { stringify } from 'yaml';
import {
  describeErrors,
  findingsOfPosted,
  loadClusterReport,
  validateManifests,
} from './cluster';

/** Options of {@link createMetallbServiceValidateAction}. @public */
export interface MetallbServiceValidateActionOptions {
  metallb: MetallbService;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const GLOB_CHARS = /[*?[\]{}]/;

async function walk(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * The workspace files a path or glob names, as workspace-relative paths. Absolute paths and `..`
 * are refused up front, and every match is re-checked with resolveSafeChildPath, so a pattern can
 * never read outside the workspace (symlinks included).
 */
export async function resolveManifestFiles(
  workspacePath: string,
  pattern: string,
): Promise<string[]> {
  const clean = pattern.trim().replace(/^\.\//, '');
  if (path.isAbsolute(clean) || clean.split(/[\\/]/).includes('..')) {
    throw new InputError(
      `Path "${pattern}" must be relative to the workspace and stay inside it`,
    );
  }
  let found: string[];
  if (GLOB_CHARS.test(clean)) {
    found = [];
    for await (const match of fs.glob(clean, { cwd: workspacePath })) {
      const full = resolveSafeChildPath(workspacePath, match);
      if ((await fs.stat(full)).isFile()) found.push(full);
    }
  } else {
    const full = resolveSafeChildPath(workspacePath, clean || '.');
    const stat = await fs.stat(full).catch(() => undefined);
    if (!stat) {
      throw new InputError(`"${pattern}" does not exist in the workspace`);
    }
    found = stat.isDirectory() ? await walk(full) : [full];
  }
  const relative = found
    .map(f =>
      path.relative(workspacePath, resolveSafeChildPath(workspacePath, f)),
    )
    .sort();
  if (relative.length === 0) {
    throw new InputError(
      `"${pattern}" matches no manifest file in the workspace`,
    );
  }
  return relative;
}

/**
 * `metallb:service:validate`: runs the engine on workspace manifests against the target cluster's
 * latest pools and allocations, failing the step on any error finding.
 * @public
 */
export function createMetallbServiceValidateAction(
  options: MetallbServiceValidateActionOptions,
): MetallbServiceValidateAction {
  const { metallb } = options;
  return createTemplateAction({
    id: 'metallb:service:validate',
    description:
      "Checks Service manifests in the workspace against the target cluster's latest LB Doctor scan " +
      'and fails on every error finding, with its remediation',
    // Read-only: a dry run does exactly what a real run does.
    supportsDryRun: true,
    examples: [
      {
        description: 'Check the manifests under k8s/',
        example: stringify({
          steps: [
            {
              id: 'check',
              action: 'metallb:service:validate',
              name: 'Check the Service against the cluster',
              input: { cluster: 'healthy-dc', path: 'k8s/**/*.yaml' },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        cluster: z =>
          z
            .string()
            .min(1)
            .describe('Name of the target cluster, as LB Doctor knows it'),
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace file, directory or glob of the manifests; default k8s',
            ),
        failOnWarnings: z =>
          z
            .boolean()
            .optional()
            .describe('Also fail the step on warning findings; default false'),
      },
      output: {
        findings: z =>
          z
            .array(
              z.object({
                service: z.string().optional(),
                rule: z.string(),
                severity: z.string(),
                message: z.string(),
                remediations: z.array(z.string()),
              }),
            )
            .describe('Findings the manifests cause, with remediation titles'),
        services: z =>
          z
            .array(
              z.object({
                service: z.string(),
                status: z.string(),
                outcome: z.string(),
                ips: z.array(z.string()),
                pool: z.string().nullable(),
              }),
            )
            .describe("The engine's verdict for each posted Service"),
        errorCount: z => z.number().describe('Number of error findings'),
        warningCount: z => z.number().describe('Number of warning findings'),
        files: z => z.array(z.string()).describe('Files checked'),
      },
    },
    async handler(ctx) {
      const { cluster } = ctx.input;
      // The scaffolder applies no schema defaults: do it here.
      const files = await resolveManifestFiles(
        ctx.workspacePath,
        ctx.input.path?.trim() || 'k8s',
      );
      const objects: KubeObject[] = [];
      const problems: InputProblem[] = [];
      for (const file of files) {
        const text = await fs.readFile(
          resolveSafeChildPath(ctx.workspacePath, file),
          'utf8',
        );
        const parsed = parseManifests(text, file);
        objects.push(...parsed.objects);
        problems.push(...parsed.problems);
      }
      if (!objects.some(o => o.kind === 'Service')) {
        ctx.logger.warn(`No Service found in ${files.join(', ')}`);
      }

      const credentials = await ctx.getInitiatorCredentials();
      // The stored report both refuses unknown clusters clearly and is the baseline that tells
      // new cluster-level findings from ones the cluster already had.
      const baseline = await loadClusterReport(metallb, cluster, credentials);
      const result = await validateManifests(
        metallb,
        cluster,
        objects,
        credentials,
      );
      const findings = findingsOfPosted(result, baseline);
      const errors = findings.filter(f => f.severity === 'error');
      const warnings = findings.filter(f => f.severity === 'warning');
      const inputErrors = [...problems, ...result.problems]
        .filter(p => p.severity === 'error')
        .map(formatInputProblem);

      for (const f of findings) {
        const line = `${f.service ?? 'cluster'}: [${f.severity}/${f.rule}] ${
          f.message
        }`;
        if (f.severity === 'info') ctx.logger.info(line);
        else ctx.logger.warn(line);
      }
      ctx.output('findings', findings);
      ctx.output(
        'services',
        result.services.map(s => ({
          service: `${s.namespace}/${s.name}`,
          status: s.status,
          outcome: s.metallb.outcome,
          ips: s.metallb.ips,
          pool: s.metallb.pool,
        })),
      );
      ctx.output('errorCount', errors.length);
      ctx.output('warningCount', warnings.length);
      ctx.output('files', files);

      const failing =
        ctx.input.failOnWarnings === true ? [...errors, ...warnings] : errors;
      if (failing.length > 0 || inputErrors.length > 0) {
        throw describeErrors(
          `${files.join(', ')}: ${
            failing.length
          } finding(s) against cluster '${cluster}'${
            ctx.isDryRun ? ' (dry run)' : ''
          }:`,
          failing,
          inputErrors,
        );
      }
      ctx.logger.info(
        `${files.length} file(s) pass against cluster '${cluster}' (scan of ${result.snapshotAt})`,
      );
    },
  });
}
