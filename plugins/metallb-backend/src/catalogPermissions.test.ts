import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  DefinitivePolicyDecision,
  Permission,
} from '@backstage/plugin-permission-common';
import { startSimulator } from '@lb-doctor/cluster-simulator';
import type { FleetReportItem } from '@lb-doctor/plugin-metallb-node';
import path from 'node:path';
import request from 'supertest';
import { metallbPlugin } from './plugin';
import { kubernetesConfig } from './__testUtils__/kubernetesConfig';

jest.setTimeout(120_000);

/** The demo's catalog, as app-config.yaml has the catalog read it. */
const DEMO_ENTITIES = path.resolve(
  __dirname,
  '../../../examples/entities.yaml',
);

/** Sees every entity. */
const GUEST = 'user:default/guest';
/** May not read the edge-gateway component; everything else is allowed. */
const VIEWER = 'user:default/viewer';
const HIDDEN = 'component:default/edge-gateway';

/**
 * The permission policy under test, decided per request as a policy does. For `catalog.entity.read`
 * (a resource permission, which the catalog asks for conditionally) the viewer gets a condition on
 * the catalog's own `HAS_METADATA` rule, so the real catalog backend filters the entity out of
 * every read. Service principals (the catalog's processing, metallb calling the kubernetes plugin)
 * are allowed.
 */
function decide(
  credentials: BackstageCredentials,
  permission: Permission,
): DefinitivePolicyDecision | ConditionalPolicyDecision {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
  };
  if (
    principal.type === 'user' &&
    principal.userEntityRef === VIEWER &&
    permission.name === 'catalog.entity.read'
  ) {
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        not: {
          rule: 'HAS_METADATA',
          resourceType: 'catalog-entity',
          params: { key: 'name', value: 'edge-gateway' },
        },
      },
    };
  }
  return { result: AuthorizeResult.ALLOW };
}

const policyFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory(): PermissionsService {
    return {
      async authorize(requests, { credentials }) {
        // A resource check (with resourceRef) has no condition to hand back: the viewer is
        // refused the hidden entity, everything else follows the policy.
        return requests.map(r => {
          const decision = decide(credentials, r.permission);
          if (decision.result !== AuthorizeResult.CONDITIONAL) return decision;
          const ref = 'resourceRef' in r ? r.resourceRef : undefined;
          return {
            result:
              ref === HIDDEN ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
          };
        });
      },
      async authorizeConditional(requests, { credentials }) {
        return requests.map(r => decide(credentials, r.permission));
      },
    } as PermissionsService;
  },
});

describe('catalog permissions, with the real catalog backend', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const as = (user: string) => mockCredentials.user.header(user);

  beforeAll(async () => {
    sim = await startSimulator({ scenarios: ['edge-chisel'], actors: false });
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        kubernetesPlugin,
        metallbPlugin,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'API',
                    'Resource',
                    'Location',
                    'Group',
                    'User',
                  ],
                },
              ],
              locations: [{ type: 'file', target: DEMO_ENTITIES }],
            },
            kubernetes: kubernetesConfig({
              name: 'edge-chisel',
              url: sim.clusters[0].url,
              token: sim.clusters[0].token,
            }),
          },
        }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        policyFactory,
      ],
    });
    // The catalog ingests the file location in the background: wait until it serves both entities.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const res = await request(backend.server)
        .get('/api/catalog/entities/by-name/component/default/edge-gateway')
        .set('authorization', as(GUEST));
      const other = await request(backend.server)
        .get('/api/catalog/entities/by-name/component/default/storefront')
        .set('authorization', as(GUEST));
      if (res.status === 200 && other.status === 200) break;
      if (Date.now() > deadline) {
        throw new Error(`catalog did not ingest ${DEMO_ENTITIES}`);
      }
      await new Promise(r => setTimeout(r, 250));
    }
    const scan = await request(backend.server)
      .post('/api/metallb/scan')
      .set('authorization', as(GUEST))
      .send({});
    if (scan.status !== 200) throw new Error(`scan failed: ${scan.text}`);
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
  });

  it('hides the entity in the catalog itself from the viewer only', async () => {
    const viewer = await request(backend.server)
      .get('/api/catalog/entities/by-name/component/default/edge-gateway')
      .set('authorization', as(VIEWER));
    expect(viewer.status).toBe(404);
    const guest = await request(backend.server)
      .get('/api/catalog/entities/by-name/component/default/edge-gateway')
      .set('authorization', as(GUEST));
    expect(guest.status).toBe(200);
  });

  it('answers /entity/... with 404 to the user the catalog refuses, 200 to another', async () => {
    const guest = await request(backend.server)
      .get('/api/metallb/entity/default/component/edge-gateway')
      .set('authorization', as(GUEST));
    expect(guest.status).toBe(200);
    expect(guest.body.services.map((s: { name: string }) => s.name)).toContain(
      'edge-gateway',
    );

    const viewer = await request(backend.server)
      .get('/api/metallb/entity/default/component/edge-gateway')
      .set('authorization', as(VIEWER));
    expect(viewer.status).toBe(404);
    expect(viewer.body.error.name).toBe('NotFoundError');
    expect(JSON.stringify(viewer.body)).not.toContain('"services"');

    // The viewer still reads the entities the catalog lets it read.
    const storefront = await request(backend.server)
      .get('/api/metallb/entity/default/component/storefront')
      .set('authorization', as(VIEWER));
    expect(storefront.status).toBe(200);
    expect(storefront.body.services.length).toBeGreaterThan(0);
  });

  it('leaves the refused entity out of report entityRefs for that user only', async () => {
    const refsOf = async (user: string) => {
      const res = await request(backend.server)
        .get('/api/metallb/report?limit=1000')
        .set('authorization', as(user));
      expect(res.status).toBe(200);
      return new Map(
        (res.body.items as FleetReportItem[]).map(s => [
          `${s.namespace}/${s.name}`,
          s.entityRefs,
        ]),
      );
    };
    const guest = await refsOf(GUEST);
    const viewer = await refsOf(VIEWER);
    const gatewayRow = [...guest.entries()].find(([, refs]) =>
      refs.includes(HIDDEN),
    );
    expect(gatewayRow).toBeDefined();
    const [row] = gatewayRow!;
    // The Service row stays for the viewer; only the entity it may not read is left out.
    expect(viewer.get(row)).toEqual(guest.get(row)!.filter(r => r !== HIDDEN));
    expect([...viewer.values()].flat()).not.toContain(HIDDEN);
    expect([...viewer.values()].flat()).toContain(
      'component:default/storefront',
    );
  });
});
