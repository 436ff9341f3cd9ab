/**
 * The demo portal's backend features, shared by `index.ts` and the integration test so the test
 * exercises exactly what `scripts/start` runs. A function, so each caller gets fresh imports.
 */
export function demoBackendFeatures() {
  return [
    // Serves the built frontend in production; in development the app has its own dev server.
    import('@backstage/plugin-app-backend'),

    // Auth: the guest provider signs everyone in as `user:default/guest` (or the configured
    // `auth.providers.guest.userEntityRef`).
    import('@backstage/plugin-auth-backend'),
    import('@backstage/plugin-auth-backend-module-guest-provider'),

    // Catalog, with the entity model of scaffolder templates.
    import('@backstage/plugin-catalog-backend'),
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),

    // Permissions, decided by our demo policy (allow all except the viewer's LB Doctor access).
    import('@backstage/plugin-permission-backend'),
    import('./permissionPolicy'),

    // Scaffolder, for the LB Service template of examples/templates, with LB Doctor's actions
    // that write and check LoadBalancer Services MetalLB accepts.
    import('@backstage/plugin-scaffolder-backend'),
    import('@lb-doctor/scaffolder-backend-module-metallb'),

    // Kubernetes: the cluster list and credentials LB Doctor scans through.
    import('@backstage/plugin-kubernetes-backend'),

    // LB Doctor itself: scans, stores and serves the LoadBalancer report under /api/metallb.
    import('@lb-doctor/plugin-metallb-backend'),

    // Exposes the registered actions (catalog, scaffolder, LB Doctor) over MCP.
    import('@backstage/plugin-mcp-actions-backend'),
  ];
}
