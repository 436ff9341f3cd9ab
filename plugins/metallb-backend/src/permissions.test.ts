import {
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { startSimulator } from '@lb-doctor/cluster-simulator';
import type { FleetReportItem } from '@lb-doctor/plugin-metallb-node';
import request from 'supertest';
import { metallbPlugin } from './plugin';
import { kubernetesConfig } from './__testUtils__/kubernetesConfig';

jest.setTimeout(60_000);

/** The catalog's own read permission (@backstage/plugin-catalog-common), by name. */
const catalogEntityReadPermission = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

const component = (name: string, annotations: Record<string, string>) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  } satisfies Entity);

const entities = [
  component('storefront', { 'backstage.io/kubernetes-id': 'storefront' }),
  component('edge', {
    'backstage.io/kubernetes-label-selector':
      'app in (edge-gateway, media-server)',
    'backstage.io/kubernetes-namespace': 'edge',
  }),
];

const ADMIN = 'user:default/admin';
/** May read the report but not the edge component, and may not start scans. */
const READER = 'user:default/reader';
/** May read catalog entities (but edge) and nothing of the plugin's own. */
const VIEWER = 'user:default/viewer';

/**
 * The permission policy under test: by user, by permission name and, for catalog entities, by
 * entity ref. Service principals (the metallb plugin calling the kubernetes plugin) are allowed.
 */
function decide(
  user: string | undefined,
  req: { permission: Permission; resourceRef?: string },
): AuthorizeResult.ALLOW | AuthorizeResult.DENY {
  const { permission } = req;
  if (!user || user === ADMIN) return AuthorizeResult.ALLOW;
  if (
    permission.name === 'catalog.entity.read' &&
    req.resourceRef === 'component:default/edge'
  ) {
    return AuthorizeResult.DENY;
  }
  if (permission.name === 'metallb.scan.create') return AuthorizeResult.DENY;
  if (permission.name === 'metallb.report.read' && user === VIEWER) {
    return AuthorizeResult.DENY;
  }
  return AuthorizeResult.ALLOW;
}

const policyFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory(): PermissionsService {
    const userOf = (credentials: { principal: unknown }): string | undefined =>
      (credentials.principal as { type?: string; userEntityRef?: string })
        .type === 'user'
        ? (credentials.principal as { userEntityRef: string }).userEntityRef
        : undefined;
    return {
      async authorize(requests, { credentials }) {
        return requests.map(r => ({ result: decide(userOf(credentials), r) }));
      },
      async authorizeConditional(requests, { credentials }) {
        return requests.map(r => ({
          result: decide(userOf(credentials), {
            permission: r.permission,
          }),
        }));
      },
    };
  },
});

/**
 * The catalog as its backend behaves under the permission framework: an entity the caller may not
 * read is not found and is left out of lists. The in-memory catalog mock ignores permissions, so
 * this asks the same permissions service per entity.
 */
const permissionedCatalogFactory = createServiceFactory({
  service: catalogServiceRef,
  deps: { permissions: coreServices.permissions },
  factory({ permissions }): CatalogService {
    const base = catalogServiceMock({ entities });
    const readable = async (
      entity: Entity,
      credentials: Parameters<
        PermissionsService['authorize']
      >[1]['credentials'],
    ) => {
      const [decision] = await permissions.authorize(
        [
          {
            permission: catalogEntityReadPermission,
            resourceRef: stringifyEntityRef(entity),
          },
        ],
        { credentials },
      );
      return decision.result === AuthorizeResult.ALLOW;
    };
    const overrides: Partial<CatalogService> = {
      async getEntityByRef(ref, options) {
        const entity = await base.getEntityByRef(ref, options);
        return entity && (await readable(entity, options.credentials))
          ? entity
          : undefined;
      },
      async getEntities(req, options) {
        const { items } = await base.getEntities(req, options);
        const allowed = await Promise.all(
          items.map(e => readable(e, options.credentials)),
        );
        return { items: items.filter((_, i) => allowed[i]) };
      },
    };
    return new Proxy(base, {
      get(target, prop, receiver) {
        if (prop in overrides) return overrides[prop as keyof CatalogService];
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  },
});

describe('permissions', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const as = (user: string) => mockCredentials.user.header(user);

  beforeAll(async () => {
    sim = await startSimulator({ scenarios: ['edge-chisel'], actors: false });
    backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        metallbPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: kubernetesConfig({
              name: 'edge-chisel',
              url: sim.clusters[0].url,
              token: sim.clusters[0].token,
            }),
          },
        }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        policyFactory,
        permissionedCatalogFactory,
      ],
    });
    const scan = await request(backend.server)
      .post('/api/metallb/scan')
      .set('authorization', as(ADMIN))
      .send({});
    if (scan.status !== 200) throw new Error(`scan failed: ${scan.text}`);
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
  });

  it('serves an entity only to callers the catalog lets read it', async () => {
    const admin = await request(backend.server)
      .get('/api/metallb/entity/default/component/edge')
      .set('authorization', as(ADMIN));
    expect(admin.status).toBe(200);
    expect(admin.body.services.length).toBeGreaterThan(0);

    // Refused as the catalog refuses it: not found, so its existence does not leak.
    for (const user of [READER, VIEWER]) {
      const denied = await request(backend.server)
        .get('/api/metallb/entity/default/component/edge')
        .set('authorization', as(user));
      expect(denied.status).toBe(404);
      expect(denied.body.error.name).toBe('NotFoundError');
      expect(JSON.stringify(denied.body)).not.toContain('edge-gateway');
    }

    // The same caller still reads an entity it is allowed to, without any metallb permission.
    const allowed = await request(backend.server)
      .get('/api/metallb/entity/default/component/storefront')
      .set('authorization', as(VIEWER));
    expect(allowed.status).toBe(200);
    expect(allowed.body.services.length).toBeGreaterThan(0);
  });

  it('names on report rows only the entities the caller may read', async () => {
    const rows = async (user: string) => {
      const res = await request(backend.server)
        .get('/api/metallb/report?limit=1000')
        .set('authorization', as(user));
      expect(res.status).toBe(200);
      return Object.fromEntries(
        (res.body.items as FleetReportItem[]).map(s => [
          `${s.namespace}/${s.name}`,
          s.entityRefs,
        ]),
      );
    };
    const admin = await rows(ADMIN);
    const reader = await rows(READER);
    expect(admin['edge/edge-gateway']).toEqual(['component:default/edge']);
    // The row stays (the report permission covers Services), the unreadable entity does not.
    expect(reader['edge/edge-gateway']).toEqual([]);
    expect(reader['storefront/storefront']).toEqual([
      'component:default/storefront',
    ]);

    const byEntity = await request(backend.server)
      .get('/api/metallb/report?entity=component:default/edge')
      .set('authorization', as(READER));
    expect(byEntity.status).toBe(404);
  });

  it('refuses the report and scans without the plugin permissions', async () => {
    for (const path of [
      '/report',
      '/report/export',
      '/clusters',
      '/clusters/edge-chisel',
      '/history',
    ]) {
      const res = await request(backend.server)
        .get(`/api/metallb${path}`)
        .set('authorization', as(VIEWER));
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(res.body.error.message).toContain('metallb.report.read');
    }
    const validate = await request(backend.server)
      .post('/api/metallb/validate')
      .set('authorization', as(VIEWER))
      .send({ cluster: 'edge-chisel', manifests: 'kind: Service' });
    expect(validate.status).toBe(403);

    // Reading the report does not allow starting scans.
    const report = await request(backend.server)
      .get('/api/metallb/report')
      .set('authorization', as(READER));
    expect(report.status).toBe(200);
    for (const user of [READER, VIEWER]) {
      const scan = await request(backend.server)
        .post('/api/metallb/scan')
        .set('authorization', as(user))
        .send({ cluster: 'edge-chisel' });
      expect(scan.status).toBe(403);
      expect(scan.body.error.message).toContain('metallb.scan.create');
    }
  });
});
