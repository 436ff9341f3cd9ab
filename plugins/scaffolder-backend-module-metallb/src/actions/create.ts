import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { MetallbServiceCreateAction } from './types';
import {
  ClusterReport,
  ControllerId,
  formatInputProblem,
  isValidLoadBalancerClass,
  LOAD_BALANCER_CONTROLLERS,
  metallbAnnotationPrefixForVersion,
  parseIp,
} from '@lb-doctor/plugin-metallb-common';
import type { MetallbService } from '@lb-doctor/plugin-metallb-node';
import { stringify } from 'yaml';
import {
  describeErrors,
  findingsOfPosted,
  loadClusterReport,
  validateManifests,
} from './cluster';
import { usedAddresses, pickFreeIp } from './freeIp';
import {
  buildService,
  metallbAnnotations,
  PortInput,
  ServiceObject,
} from './manifest';

/** Options of {@link createMetallbServiceCreateAction}. @public */
export interface MetallbServiceCreateActionOptions {
  metallb: MetallbService;
}

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Template form fields left empty arrive as `''`; they mean "not set". */
const blank = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

function checkName(what: string, value: string, pattern: RegExp) {
  if (value.length > 63 || !pattern.test(value)) {
    throw new InputError(
      `${what} "${value}" is not a valid Kubernetes name: at most 63 lower-case letters, digits and "-", ` +
        'starting with a letter and ending with a letter or digit',
    );
  }
}

function checkPorts(ports: PortInput[]) {
  if (ports.length === 0)
    throw new InputError('A LoadBalancer Service needs at least one port');
  // The API server refuses a multi-port Service with unnamed ports, and duplicate port/protocol pairs.
  if (ports.length > 1 && ports.some(p => !p.name)) {
    throw new InputError(
      'Every port needs a name when the Service has more than one',
    );
  }
  const seen = new Set<string>();
  for (const p of ports) {
    const key = `${p.protocol ?? 'TCP'}/${p.port}`;
    if (seen.has(key)) throw new InputError(`Port ${key} is listed twice`);
    seen.add(key);
  }
}

interface ExternalTarget {
  loadBalancerClass: string;
  suffix: string;
}

/** The other controller's class and split suffix, from the known profiles unless overridden. */
function externalTarget(
  controller: string,
  loadBalancerClass: string | undefined,
  suffix: string | undefined,
): ExternalTarget {
  const profile = LOAD_BALANCER_CONTROLLERS[controller as ControllerId];
  const cls = loadBalancerClass ?? profile?.loadBalancerClass;
  if (!cls) {
    throw new InputError(
      `Controller "${controller}" has no loadBalancerClass LB Doctor knows; set loadBalancerClass to the class it serves`,
    );
  }
  if (!isValidLoadBalancerClass(cls)) {
    throw new InputError(
      `"${cls}" is not a valid loadBalancerClass (an optional DNS prefix, "/", and a name of at most 63 characters)`,
    );
  }
  return {
    loadBalancerClass: cls,
    suffix: suffix ?? profile?.splitSuffix ?? 'external',
  };
}

/** The MetalLB request of the Service: the IP, given or picked from the pool. */
function metallbRequest(
  report: ClusterReport,
  request: { ip?: string; pool?: string; family: 'IPv4' | 'IPv6' },
  cluster: string,
): { ip?: string; pool?: string } {
  const { ip, pool } = request;
  if (ip !== undefined && !parseIp(ip)) {
    throw new InputError(`"${ip}" is not an IP address`);
  }
  const pools = report.metallb.pools;
  const poolReport = pool ? pools.find(p => p.name === pool) : undefined;
  if (pool && !poolReport) {
    throw new InputError(
      `Cluster '${cluster}' has no MetalLB pool "${pool}"; its pools are: ${
        pools.map(p => p.name).join(', ') || 'none'
      }`,
    );
  }
  if (ip !== undefined || !poolReport) return { ip, pool };
  const family = request.family === 'IPv6' ? 'ipv6' : 'ipv4';
  const picked = pickFreeIp(poolReport, family, usedAddresses(report));
  if (!picked) {
    throw new InputError(
      `Pool "${pool}" of cluster '${cluster}' has no free ${request.family} address in its latest scan`,
    );
  }
  return { ip: picked, pool };
}

/**
 * `metallb:service:create`: writes a LoadBalancer Service (or the split pair) that the target
 * cluster's MetalLB accepts, checked by the engine against the latest scan before it is written.
 * @public
 */
export function createMetallbServiceCreateAction(
  options: MetallbServiceCreateActionOptions,
): MetallbServiceCreateAction {
  const { metallb } = options;
  return createTemplateAction({
    id: 'metallb:service:create',
    description:
      'Writes a LoadBalancer Service manifest for MetalLB, another controller, or both (split), ' +
      "checked against the target cluster's latest LB Doctor scan",
    supportsDryRun: true,
    examples: [
      {
        description: 'A MetalLB Service with an IP picked from a pool',
        example: stringify({
          steps: [
            {
              id: 'service',
              action: 'metallb:service:create',
              name: 'Create the LoadBalancer Service',
              input: {
                cluster: 'healthy-dc',
                name: 'storefront',
                namespace: 'shop',
                ports: [{ name: 'http', port: 80, targetPort: 8080 }],
                mode: 'metallb',
                pool: 'public',
                targetPath: 'k8s/service.yaml',
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: z =>
        z.object({
          cluster: z
            .string()
            .min(1)
            .describe('Name of the target cluster, as LB Doctor knows it'),
          name: z.string().min(1).describe('Name of the Service'),
          namespace: z
            .string()
            .optional()
            .describe('Namespace of the Service; default "default"'),
          labels: z
            .record(z.string())
            .optional()
            .describe(
              'Labels of the Service (MetalLB serviceSelectors match them)',
            ),
          selector: z
            .record(z.string())
            .optional()
            .describe('Pod selector; default app.kubernetes.io/name: <name>'),
          ports: z
            .array(
              z.object({
                name: z.string().optional(),
                port: z.number().int().min(1).max(65535),
                targetPort: z
                  .union([z.number().int().min(1).max(65535), z.string()])
                  .optional(),
                protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
              }),
            )
            .optional()
            .describe(
              'Ports of the Service; default one TCP port 80 named http',
            ),
          mode: z
            .enum(['metallb', 'external', 'split'])
            .optional()
            .describe(
              'metallb: MetalLB assigns the IP; external: another controller (by loadBalancerClass); ' +
                'split: one Service each, same selector and ports. Default metallb',
            ),
          pool: z
            .string()
            .optional()
            .describe('MetalLB IPAddressPool to take the IP from'),
          ip: z
            .string()
            .optional()
            .describe(
              'IP to request from MetalLB; picked free from the pool when only a pool is given',
            ),
          sharingKey: z
            .string()
            .optional()
            .describe(
              'MetalLB allow-shared-ip key, to share an IP with Services of the same key',
            ),
          ipFamily: z
            .enum(['IPv4', 'IPv6'])
            .optional()
            .describe('IP family of the Service; default IPv4'),
          externalTrafficPolicy: z
            .enum(['Cluster', 'Local'])
            .optional()
            .describe('externalTrafficPolicy (IP sharing compares it)'),
          externalController: z
            .string()
            .optional()
            .describe(
              'The other controller for external and split modes; default chisel-operator',
            ),
          loadBalancerClass: z
            .string()
            .optional()
            .describe(
              "The other controller's loadBalancerClass; default its known class",
            ),
          splitSuffix: z
            .string()
            .optional()
            .describe(
              'Suffix of the external Service in split mode (<name>-<suffix>)',
            ),
          targetPath: z
            .string()
            .optional()
            .describe(
              'Workspace path of the manifest file; default k8s/service.yaml',
            ),
        }),
      output: {
        manifest: z => z.string().describe('The manifest(s), as YAML'),
        files: z =>
          z.array(z.string()).describe('Workspace paths of the files written'),
        ips: z =>
          z
            .array(z.string())
            .describe('IPs MetalLB gives the MetalLB Service, per the engine'),
        pool: z =>
          z
            .string()
            .nullable()
            .describe(
              'The pool the IPs come from; null when MetalLB assigns none',
            ),
        services: z =>
          z
            .array(z.string())
            .describe('namespace/name of each Service written'),
        annotationPrefix: z =>
          z
            .string()
            .describe(
              "MetalLB annotation prefix used, from the cluster's MetalLB version",
            ),
      },
    },
    async handler(ctx) {
      // The scaffolder checks inputs against the JSON schema but applies no defaults: do it here.
      const input = ctx.input;
      const name = input.name.trim();
      const namespace = blank(input.namespace) ?? 'default';
      const mode = input.mode ?? 'metallb';
      const ports: PortInput[] = input.ports ?? [
        { name: 'http', port: 80, protocol: 'TCP' },
      ];
      const ipFamily = input.ipFamily ?? 'IPv4';
      const targetPath = blank(input.targetPath) ?? 'k8s/service.yaml';
      const ip = blank(input.ip);
      const pool = blank(input.pool);
      const sharingKey = blank(input.sharingKey);
      checkName('Service name', name, DNS_1035_LABEL);
      checkName('Namespace', namespace, DNS_1123_LABEL);
      checkPorts(ports);
      if (mode === 'external' && (ip || pool || sharingKey)) {
        throw new InputError(
          'ip, pool and sharingKey are MetalLB requests; in external mode no MetalLB Service is written (use split)',
        );
      }
      const external =
        mode === 'metallb'
          ? undefined
          : externalTarget(
              blank(input.externalController) ?? 'chisel-operator',
              blank(input.loadBalancerClass),
              blank(input.splitSuffix),
            );
      const externalName =
        mode === 'split' ? `${name}-${external!.suffix}` : name;
      if (mode === 'split')
        checkName('Split Service name', externalName, DNS_1035_LABEL);

      const credentials = await ctx.getInitiatorCredentials();
      const report = await loadClusterReport(
        metallb,
        input.cluster,
        credentials,
      );
      const prefix = metallbAnnotationPrefixForVersion(
        report.metallb.version ?? report.metallb.assumedVersion,
      );
      if (external && report.metallb.lbClass === external.loadBalancerClass) {
        throw new InputError(
          `MetalLB in cluster '${input.cluster}' serves class "${external.loadBalancerClass}" itself; pick the other controller's class`,
        );
      }

      const common = {
        namespace,
        labels: input.labels ?? {},
        selector: input.selector ?? { 'app.kubernetes.io/name': name },
        ports,
        ipFamily,
        externalTrafficPolicy: input.externalTrafficPolicy,
      };
      const services: ServiceObject[] = [];
      let request: { ip?: string; pool?: string } = {};
      if (mode !== 'external') {
        if (report.metallb.installed === false) {
          throw new InputError(
            `MetalLB is not installed in cluster '${input.cluster}' (per its latest scan); use external mode`,
          );
        }
        request = metallbRequest(
          report,
          { ip, pool, family: ipFamily },
          input.cluster,
        );
        services.push(
          buildService({
            ...common,
            name,
            // MetalLB running with --lb-class only handles Services of that class.
            loadBalancerClass: report.metallb.lbClass ?? undefined,
            annotations: metallbAnnotations(prefix, { ...request, sharingKey }),
          }),
        );
      }
      if (external) {
        services.push(
          buildService({
            ...common,
            name: externalName,
            loadBalancerClass: external.loadBalancerClass,
          }),
        );
      }
      const manifest = services.map(s => stringify(s)).join('---\n');

      // The engine decides: pools, serviceAllocation, families, sharing, other controllers.
      const result = await validateManifests(
        metallb,
        input.cluster,
        manifest,
        credentials,
      );
      const findings = findingsOfPosted(result, report);
      const errors = findings.filter(f => f.severity === 'error');
      const problems = result.problems
        .filter(p => p.severity === 'error')
        .map(formatInputProblem);
      if (errors.length > 0 || problems.length > 0) {
        throw describeErrors(
          `The Service would not work in cluster '${input.cluster}':`,
          errors,
          problems,
        );
      }
      for (const f of findings) {
        ctx.logger.warn(`${f.service ?? 'cluster'}: [${f.rule}] ${f.message}`);
      }

      const verdict =
        mode === 'external'
          ? undefined
          : result.services.find(
              s => s.namespace === namespace && s.name === name,
            )?.metallb;
      // The engine's prediction; the pinned request when the engine could not tell (unknown outcome).
      let ips: string[] = verdict?.ips ?? [];
      if (ips.length === 0 && request.ip) ips = [request.ip];

      const target = resolveSafeChildPath(ctx.workspacePath, targetPath);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, manifest, 'utf8');
      ctx.logger.info(
        `Wrote ${services.length} Service(s) to ${targetPath}${
          ctx.isDryRun ? ' (dry run)' : ''
        }`,
      );

      ctx.output('manifest', manifest);
      ctx.output('files', [targetPath]);
      ctx.output('ips', ips);
      ctx.output('pool', verdict?.pool ?? request.pool ?? null);
      ctx.output(
        'services',
        services.map(s => `${s.metadata.namespace}/${s.metadata.name}`),
      );
      ctx.output('annotationPrefix', prefix);
    },
  });
}
