/*
 * The LB Doctor demo backend, started from create-app's scaffolding (Backstage 1.55) and trimmed
 * to what the demo needs. The feature list lives in ./features so the integration test runs the
 * same one.
 */
import { createBackend } from '@backstage/backend-defaults';
import { demoBackendFeatures } from './features';

const backend = createBackend();

for (const feature of demoBackendFeatures()) {
  backend.add(feature);
}

backend.start();
