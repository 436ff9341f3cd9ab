import type { ConfigMap } from '../model/kubernetes';
import { isRecord } from './flatten';

/**
 * Whether a ConfigMap can matter to the engine. Others are dropped: cluster dumps hold hundreds of
 * ConfigMaps (some with large or sensitive data) that no rule reads.
 */
export function isRelevantConfigMap(configMap: ConfigMap): boolean {
  const metadata = isRecord(configMap.metadata) ? configMap.metadata : {};
  const { name, namespace } = metadata;
  if (
    namespace === 'kube-system' &&
    (name === 'kube-proxy' || name === 'kubevip')
  )
    return true;
  if (name !== 'config') return false;
  if (namespace === 'metallb-system') return true;
  // MetalLB may be installed in another namespace; its legacy config is recognisable by content.
  const data = configMap.data;
  return (
    isRecord(data) &&
    typeof data.config === 'string' &&
    data.config.includes('address-pools')
  );
}
