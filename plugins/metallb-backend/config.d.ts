import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** LB Doctor: LoadBalancer IP conflict scans (plugin id `metallb`). */
  metallb?: {
    /**
     * When the fleet scan runs. It runs on one backend instance at a time (scope `global`).
     * Default: `{ frequency: { minutes: 5 }, timeout: { minutes: 3 } }`.
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;

    scan?: {
      /** How many clusters are read at the same time. Integer 1-64, default 4. */
      concurrency?: number;
      /**
       * Time budget of one cluster's read; past it the cluster's scan fails (its previous result
       * stays, marked stale). A number is seconds; a duration object (`{ seconds: 90 }`) or an
       * ISO 8601 / ms-style string is also accepted. Default 60 seconds.
       */
      clusterTimeout?:
        | number
        | string
        | {
            days?: number;
            hours?: number;
            minutes?: number;
            seconds?: number;
            milliseconds?: number;
          };
      /** Page size (`limit`) of every Kubernetes list request. Integer 1-10000, default 500. */
      pageLimit?: number;
      /**
       * Worker threads that run the engine's analysis, so it overlaps reads and leaves the event
       * loop to HTTP requests. Integer 0-16 (0: analyse on the main thread); default one per spare
       * core, at most 2.
       */
      analysisWorkers?: number;
    };

    history?: {
      /** Days of scan runs and trend counts to keep. Integer 1-3650, default 30. */
      retentionDays?: number;
    };
  };
}
