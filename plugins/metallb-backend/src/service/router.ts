import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  METALLB_ANNOTATION,
  metallbAnnotationPrefixForVersion,
  metallbReportReadPermission,
  metallbScanCreatePermission,
} from '@lb-doctor/plugin-metallb-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { MetallbStore } from '../database/MetallbStore';
import type { Scanner } from '../scan/Scanner';
import { toCsv, toMarkdown } from './exporters';
import { reportQuerySchema } from './reportQuery';
import type { ReportService } from './ReportService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  reports: ReportService;
  scanner: Scanner;
  store: MetallbStore;
}

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(i => `${i.path.join('.') || 'request'}: ${i.message}`)
        .join('; '),
    );
  }
  return result.data;
}

const nameSchema = z.string().min(1).max(253);

const historySchema = z.object({
  cluster: nameSchema.optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

const scanSchema = z.object({ cluster: nameSchema.optional() }).strict();

const validateSchema = z.object({
  cluster: nameSchema,
  manifests: z.union([
    z
      .string()
      .min(1)
      .max(5 * 1024 * 1024),
    z.array(z.record(z.unknown())).min(1).max(1000),
  ]),
});

const freeIpsSchema = z.object({
  namespace: nameSchema.default('default'),
  family: z.enum(['ipv4', 'ipv6']).default('ipv4'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

const entityParams = z.object({
  namespace: nameSchema,
  kind: nameSchema,
  name: nameSchema,
});

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, reports, scanner, store } = options;
  const router = Router();
  router.use(express.json({ limit: '6mb' }));

  /** Throws 403 unless the caller holds the permission; returns the credentials. */
  const authorize = async (req: Request, permission: BasicPermission) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
    return credentials;
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/entity/:namespace/:kind/:name', async (req, res) => {
    const ref = parse(entityParams, req.params);
    const credentials = await httpAuth.credentials(req);
    res.json(await reports.entityStatus(ref, credentials));
  });

  router.get('/report', async (req, res) => {
    const credentials = await authorize(req, metallbReportReadPermission);
    const query = parse(reportQuerySchema, req.query);
    res.json(await reports.report(query, credentials));
  });

  router.get('/report/export', async (req, res) => {
    const credentials = await authorize(req, metallbReportReadPermission);
    const { format, ...rest } = parse(
      reportQuerySchema.extend({
        format: z.enum(['csv', 'json', 'markdown']).default('json'),
      }),
      req.query,
    );
    const { items } = await reports.report(rest, credentials, false);
    if (format === 'csv') {
      res.type('text/csv').attachment('lb-report.csv').send(toCsv(items));
    } else if (format === 'markdown') {
      res
        .type('text/markdown')
        .attachment('lb-report.md')
        .send(toMarkdown(items));
    } else {
      res.attachment('lb-report.json').json(items);
    }
  });

  router.get('/clusters', async (req, res) => {
    await authorize(req, metallbReportReadPermission);
    res.json({ items: await reports.clusterStates() });
  });

  router.get('/clusters/:cluster', async (req, res) => {
    await authorize(req, metallbReportReadPermission);
    const cluster = parse(nameSchema, req.params.cluster);
    res.json(await reports.clusterState(cluster));
  });

  /**
   * Free addresses of a pool for a new Service in `namespace`, for pickers (the scaffolder field).
   * Rather than walking the pool here, it asks the engine: `limit` probe Services request the pool
   * over the latest snapshot, and each gets the address MetalLB would give it, so held and
   * requested addresses, avoidBuggyIPs and the pool's serviceAllocation all count.
   */
  router.get('/clusters/:cluster/pools/:pool/free-ips', async (req, res) => {
    await authorize(req, metallbReportReadPermission);
    const cluster = parse(nameSchema, req.params.cluster);
    const pool = parse(nameSchema, req.params.pool);
    const { namespace, family, limit } = parse(freeIpsSchema, req.query);
    const metallb = (await reports.clusterState(cluster)).report?.metallb;
    if (!metallb) {
      throw new NotFoundError(
        `Cluster '${cluster}' has never been scanned successfully; run POST /scan for it first`,
      );
    }
    if (!metallb.pools.some(p => p.name === pool)) {
      throw new NotFoundError(
        `Cluster '${cluster}' has no MetalLB pool "${pool}"`,
      );
    }
    const prefix = metallbAnnotationPrefixForVersion(
      metallb.version ?? metallb.assumedVersion,
    );
    const probes = Array.from({ length: limit }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        // Zero-padded so the engine's name order is the probes' order.
        name: `lb-doctor-free-ip-probe-${String(i).padStart(2, '0')}`,
        namespace,
        annotations: { [`${prefix}${METALLB_ANNOTATION.addressPool}`]: pool },
      },
      spec: {
        type: 'LoadBalancer',
        ...(metallb.lbClass ? { loadBalancerClass: metallb.lbClass } : {}),
        ...(family === 'ipv6'
          ? { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] }
          : {}),
        ports: [{ port: 80, protocol: 'TCP' }],
      },
    }));
    const result = await reports.validate({ cluster, manifests: probes });
    const ips = result.services.flatMap(s =>
      s.metallb.pool === pool ? s.metallb.ips : [],
    );
    // When nothing is free, the first probe's event says why (pool full, namespace not allowed).
    const why = result.services.find(s => s.metallb.ips.length === 0)?.metallb
      .event?.message;
    res.json({
      cluster,
      pool,
      namespace,
      family,
      snapshotAt: result.snapshotAt,
      ips,
      ...(ips.length === 0 && why ? { reason: why } : {}),
    });
  });

  router.get('/history', async (req, res) => {
    await authorize(req, metallbReportReadPermission);
    const query = parse(historySchema, req.query);
    const rows = await store.getHistory(query);
    // One point per cluster and scan, counts keyed by rule then severity.
    const points = new Map<
      number,
      {
        cluster: string;
        scannedAt: string;
        statuses: Record<string, number>;
        rules: Record<string, Record<string, number>>;
      }
    >();
    for (const r of rows) {
      const point = points.get(r.runId) ?? {
        cluster: r.cluster,
        scannedAt: r.scannedAt,
        statuses: {},
        rules: {},
      };
      if (r.rule === '*') point.statuses[r.severity] = r.count;
      else
        point.rules[r.rule] = { ...point.rules[r.rule], [r.severity]: r.count };
      points.set(r.runId, point);
    }
    res.json({ items: [...points.values()] });
  });

  router.post('/scan', async (req, res) => {
    await authorize(req, metallbScanCreatePermission);
    const body = parse(scanSchema, req.body ?? {});
    res.json(await scanner.scan({ cluster: body.cluster }));
  });

  router.post('/validate', async (req, res) => {
    await authorize(req, metallbReportReadPermission);
    const body = parse(validateSchema, req.body);
    res.json(await reports.validate(body));
  });

  return router;
}
