import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type { Entity } from '@backstage/catalog-model';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
  useApiHolder,
} from '@backstage/core-plugin-api';
import {
  KubernetesBackendClient,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import {
  analyzeClusterInBrowser,
  metallbApiRef,
  type ClusterInfo,
  type ClusterServiceReport,
} from '../../api';
import { FindingsList } from '../FindingsList';
import { ServicesTable } from '../ServicesTable';

const KUBERNETES_ID = 'backstage.io/kubernetes-id';
const KUBERNETES_NAMESPACE = 'backstage.io/kubernetes-namespace';

/**
 * The entity's Services of one browser-analysed cluster: those labelled with the entity's
 * kubernetes-id (in its kubernetes-namespace, when set). An entity mapped by a label selector
 * gets every LoadBalancer Service of the cluster, and is told so.
 */
function entityServices(
  entity: Entity,
  result: Awaited<ReturnType<typeof analyzeClusterInBrowser>>,
): { services: ClusterServiceReport[]; byId: boolean } {
  const annotations = entity.metadata.annotations ?? {};
  const id = annotations[KUBERNETES_ID];
  const namespace = annotations[KUBERNETES_NAMESPACE];
  const ours = new Set(
    (result.snapshot.services ?? [])
      .filter(
        s =>
          (!id || s.metadata?.labels?.[KUBERNETES_ID] === id) &&
          (!namespace || s.metadata?.namespace === namespace),
      )
      .map(s => `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name}`),
  );
  return {
    byId: Boolean(id),
    services: result.report.services
      .filter(s => ours.has(`${s.namespace}/${s.name}`))
      .map(s => ({ ...s, cluster: result.report.name })),
  };
}

/**
 * How long the kubernetes client keeps the cluster list: one analysis makes fifteen proxy
 * requests, each of which looks up the cluster's auth provider.
 */
const CLUSTERS_CACHE_TTL_MS = 60_000;

function ClusterAnalysis(props: { cluster: ClusterInfo; entity: Entity }) {
  const { cluster, entity } = props;
  // Resolved on click: most users never analyse in the browser.
  const apis = useApiHolder();
  const [state, analyse] = useAsyncFn(async () => {
    const discoveryApi = apis.get(discoveryApiRef);
    const fetchApi = apis.get(fetchApiRef);
    const kubernetesAuthProvidersApi = apis.get(kubernetesAuthProvidersApiRef);
    if (!discoveryApi || !fetchApi) {
      throw new Error('the app provides no discovery or fetch API');
    }
    if (!kubernetesAuthProvidersApi) {
      throw new Error(
        "this app does not provide the Kubernetes plugin's auth providers API; install @backstage/plugin-kubernetes in the app to analyse clusters with your own credentials",
      );
    }
    // The kubernetes plugin's own client: its proxy() looks up the cluster's auth provider and
    // sends the user's token for it, exactly as the Kubernetes tab does. Not the app's
    // kubernetesApi instance, whose uncached cluster list would be fetched once per request.
    const kubernetesApi = new KubernetesBackendClient({
      discoveryApi,
      fetchApi,
      kubernetesAuthProvidersApi,
      clustersCacheTtlMs: CLUSTERS_CACHE_TTL_MS,
    });
    return analyzeClusterInBrowser({ cluster: cluster.name, kubernetesApi });
  }, [cluster.name, apis]);
  const [opened, setOpened] = useState(false);
  const found = state.value ? entityServices(entity, state.value) : undefined;

  return (
    <Box mb={2} component="section" aria-label={`Cluster ${cluster.name}`}>
      <Typography variant="body2" gutterBottom>
        LB Doctor's backend cannot scan <strong>{cluster.name}</strong>
        {cluster.reason ? ` (${cluster.reason})` : ''}. You can analyse it here
        with your own access to the cluster; nothing is stored.
      </Typography>
      <Button
        variant="outlined"
        color="primary"
        disabled={state.loading}
        onClick={() => {
          setOpened(true);
          analyse();
        }}
      >
        {state.loading
          ? `Analysing ${cluster.name}…`
          : `Analyse ${cluster.name} with my credentials`}
      </Button>
      {opened && state.error ? (
        <Typography color="error" role="alert">
          Could not read {cluster.name} with your credentials:{' '}
          {state.error.message}
        </Typography>
      ) : null}
      {found ? (
        <Box mt={2}>
          {state.value?.unreadable.length ? (
            <Typography variant="body2" color="textSecondary">
              Not readable with your access (analysed without):{' '}
              {state.value.unreadable.join(', ')}
            </Typography>
          ) : null}
          {found.byId ? null : (
            <Typography variant="body2" color="textSecondary">
              This entity is mapped by a label selector; all LoadBalancer
              Services of the cluster are shown.
            </Typography>
          )}
          {found.services.length === 0 ? (
            <Typography variant="body2">
              No LoadBalancer Service of this entity in {cluster.name}.
            </Typography>
          ) : (
            <>
              <FindingsList services={found.services} />
              <ServicesTable services={found.services} />
            </>
          )}
        </Box>
      ) : null}
    </Box>
  );
}

/** @public */
export interface BrowserAnalysisProps {
  entity: Entity;
}

/**
 * For clusters the backend cannot scan (their auth provider needs a signed-in user), offers to
 * analyse them in the browser through the kubernetes proxy with the user's own access.
 */
export function BrowserAnalysis(props: BrowserAnalysisProps) {
  const api = useApi(metallbApiRef);
  const clusters = useAsync(() => api.getClusters(), [api]);
  const notScannable = (clusters.value?.items ?? []).filter(c => !c.scannable);
  if (notScannable.length === 0) return null;
  return (
    <Box mt={3}>
      <Typography variant="h6" component="h2" gutterBottom>
        Clusters that need your credentials
      </Typography>
      {notScannable.map(cluster => (
        <ClusterAnalysis
          key={cluster.name}
          cluster={cluster}
          entity={props.entity}
        />
      ))}
    </Box>
  );
}
