import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import { metallbReportReadPermission } from '@lb-doctor/plugin-metallb-common';
import type { ReportService } from '../service/ReportService';

const ENTITY_REF = /^([^:/]+):(?:([^:/]+)\/)?([^:/]+)$/;

/** MCP actions: read-only views of the stored results for AI assistants. */
export function registerActions(
  actionsRegistry: ActionsRegistryService,
  reports: ReportService,
): void {
  actionsRegistry.register({
    name: 'get-entity-lb-status',
    title: 'Get LoadBalancer status of a catalog entity',
    description:
      'Returns the LoadBalancer Services of a catalog entity (matched like the kubernetes plugin does, by backstage.io/kubernetes-id or label selector), with what MetalLB does with each, which controllers own it, and findings with fixes.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('Entity ref, e.g. component:default/storefront'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          missingAnnotation: z.string().optional(),
          services: z.array(z.record(z.unknown())),
          clusters: z.array(z.record(z.unknown())),
          scannedAt: z.string().nullable(),
        }),
    },
    action: async ({ input, credentials }) => {
      const match = ENTITY_REF.exec(input.entityRef.trim());
      if (!match) throw new InputError(`Invalid entity ref ${input.entityRef}`);
      const status = await reports.entityStatus(
        { kind: match[1], namespace: match[2] ?? 'default', name: match[3] },
        credentials,
      );
      return {
        output: {
          entityRef: status.entityRef,
          ...(status.missingAnnotation
            ? { missingAnnotation: status.missingAnnotation }
            : {}),
          services: status.services as unknown as Record<string, unknown>[],
          clusters: status.clusters,
          scannedAt: status.scannedAt,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-fleet-report',
    title: 'Get the fleet LoadBalancer report',
    description:
      'Returns counts and the LoadBalancer Services with problems across all scanned clusters, filterable by cluster, rule, severity and controller.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    visibilityPermission: metallbReportReadPermission,
    schema: {
      input: z =>
        z.object({
          cluster: z.string().optional(),
          rule: z.string().optional(),
          severity: z.enum(['ok', 'info', 'warning', 'error']).optional(),
          controller: z.string().optional(),
          limit: z.number().int().min(1).max(200).default(50),
        }),
      output: z =>
        z.object({
          summary: z.record(z.unknown()),
          items: z.array(z.record(z.unknown())),
          totalItems: z.number(),
        }),
    },
    action: async ({ input, credentials }) => {
      const page = await reports.report(
        {
          cluster: input.cluster ? [input.cluster] : undefined,
          namespace: undefined,
          rule: input.rule ? [input.rule] : undefined,
          severity: input.severity ? [input.severity] : undefined,
          controller: input.controller ? [input.controller] : undefined,
          offset: 0,
          limit: input.limit,
        },
        credentials,
      );
      return {
        output: {
          summary: page.summary as unknown as Record<string, unknown>,
          items: page.items as unknown as Record<string, unknown>[],
          totalItems: page.totalItems,
        },
      };
    },
  });
}
