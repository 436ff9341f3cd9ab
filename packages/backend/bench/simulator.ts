/*
 * Child process of the benchmark: serves the simulated fleet, so its memory and CPU are not
 * counted as the backend's. Prints one JSON line with the clusters, then serves until killed.
 */
import { generateCluster, startSimulator } from '@lb-doctor/cluster-simulator';

async function main() {
  const [clusters, services] = process.argv
    .slice(3, 5)
    .map(v => Number.parseInt(v, 10));
  // The benchmark entity's own Service in every cluster, as an app deployed fleet-wide.
  const app = process.argv[5];
  const scenarios = Array.from({ length: clusters }, (_, c) => {
    const name = `bench-${String(c).padStart(2, '0')}`;
    // services - 1 generated, plus the entity's own Service.
    const scenario = generateCluster({
      name,
      services: services - 1,
      pools: 4,
      seed: 1000 + c,
    });
    scenario.objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: app,
        namespace: 'team-000',
        labels: { 'backstage.io/kubernetes-id': app },
      },
      spec: { type: 'LoadBalancer', ports: [{ port: 443, protocol: 'TCP' }] },
    });
    return scenario;
  });
  const sim = await startSimulator({
    scenarioObjects: scenarios,
    actors: false,
  });
  process.stdout.write(`${JSON.stringify({ clusters: sim.clusters })}\n`);
  const stop = () => {
    sim.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch(error => {
  process.stderr.write(`bench simulator: ${error}\n`);
  process.exit(1);
});
