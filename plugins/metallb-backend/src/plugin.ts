import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  metallbPermissions,
  OwnershipDetector,
} from '@lb-doctor/plugin-metallb-common';
import {
  kubernetesClusterClientServiceRef,
  metallbOwnershipDetectorsExtensionPoint,
} from '@lb-doctor/plugin-metallb-node';
import { registerActions } from './actions/registerActions';
import { readMetallbSettings } from './config';
import { KnexMetallbStore } from './database/KnexMetallbStore';
import { AnalysisPool } from './scan/AnalysisPool';
import { Scanner } from './scan/Scanner';
import { createRouter } from './service/router';
import { ReportService } from './service/ReportService';

/** Id of the scheduled scan task. */
export const SCAN_TASK_ID = 'metallb-scan';

/**
 * LB Doctor backend: scans clusters through the kubernetes plugin, stores verdicts, serves them.
 * @public
 */
export const metallbPlugin = createBackendPlugin({
  pluginId: 'metallb',
  register(env) {
    const detectors: OwnershipDetector[] = [];
    env.registerExtensionPoint(metallbOwnershipDetectorsExtensionPoint, {
      addDetectors(...added) {
        detectors.push(...added);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        client: kubernetesClusterClientServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        lifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const settings = readMetallbSettings(deps.config);
        deps.permissionsRegistry.addPermissions(metallbPermissions);
        const store = await KnexMetallbStore.create({
          database: deps.database,
        });
        const analysis = new AnalysisPool({
          size: settings.analysisWorkers,
          logger: deps.logger,
        });
        deps.lifecycle.addShutdownHook(() => analysis.close());
        const scanner = new Scanner({
          client: deps.client,
          store,
          logger: deps.logger,
          concurrency: settings.concurrency,
          clusterTimeoutMs: settings.clusterTimeoutMs,
          pageLimit: settings.pageLimit,
          detectors: () => detectors,
          analysis,
        });
        const reports = new ReportService({
          store,
          catalog: deps.catalog,
          client: deps.client,
          logger: deps.logger,
          detectors: () => detectors,
        });

        await deps.scheduler.scheduleTask({
          id: SCAN_TASK_ID,
          scope: 'global',
          ...settings.schedule,
          fn: async signal => {
            const summary = await scanner.scan({ signal });
            const failed = summary.clusters.filter(c => c.status === 'failed');
            deps.logger.info(
              `Scanned ${summary.clusters.length} cluster(s), ${failed.length} failed`,
            );
            const cutoff = new Date(
              Date.now() - settings.retentionDays * 24 * 3600 * 1000,
            );
            await store.prune(cutoff);
          },
        });

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            reports,
            scanner,
            store,
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        registerActions(deps.actionsRegistry, reports);
      },
    });
  },
});
