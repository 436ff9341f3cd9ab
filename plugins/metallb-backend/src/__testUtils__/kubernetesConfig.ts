/** A cluster the kubernetes plugin reaches with a service-account token (the simulator's kind). */
export interface TestCluster {
  name: string;
  url: string;
  token: string;
}

/**
 * The `kubernetes:` config block for clusters located from config, read with service-account
 * tokens, as the tests that start the real kubernetes backend plugin need it.
 */
export function kubernetesConfig(...clusters: TestCluster[]) {
  return {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: clusters.map(c => ({
          name: c.name,
          url: c.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: c.token,
          skipTLSVerify: true,
        })),
      },
    ],
  };
}
