import {
  METALLB_ANNOTATION,
  MetallbAnnotationPrefix,
} from '@lb-doctor/plugin-metallb-common';

/** One port of the Service, as the action takes it. */
export interface PortInput {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** The Service manifest the action writes: only fields a person would write by hand. */
export interface ServiceObject {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    type: 'LoadBalancer';
    loadBalancerClass?: string;
    ipFamilyPolicy?: 'SingleStack';
    ipFamilies?: Array<'IPv4' | 'IPv6'>;
    externalTrafficPolicy?: 'Cluster' | 'Local';
    selector: Record<string, string>;
    ports: Array<{
      name?: string;
      port: number;
      targetPort?: number | string;
      protocol: 'TCP' | 'UDP' | 'SCTP';
    }>;
  };
}

export interface ServiceParams {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  ports: PortInput[];
  loadBalancerClass?: string;
  ipFamily?: 'IPv4' | 'IPv6';
  externalTrafficPolicy?: 'Cluster' | 'Local';
  annotations?: Record<string, string>;
}

/**
 * Builds a LoadBalancer Service. Never sets `spec.loadBalancerIP`: it is deprecated in Kubernetes,
 * MetalLB refuses a Service that sets it together with the annotation, and other controllers read
 * it too, which is how the IP conflicts this plugin hunts begin.
 */
export function buildService(params: ServiceParams): ServiceObject {
  const annotations = params.annotations ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: params.name,
      namespace: params.namespace,
      ...(Object.keys(params.labels).length > 0
        ? { labels: { ...params.labels } }
        : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      type: 'LoadBalancer',
      ...(params.loadBalancerClass
        ? { loadBalancerClass: params.loadBalancerClass }
        : {}),
      // Only IPv6 is spelled out: IPv4 is the default family, and an explicit SingleStack IPv6
      // is what makes the API server give an IPv6 cluster IP MetalLB then matches.
      ...(params.ipFamily === 'IPv6'
        ? {
            ipFamilyPolicy: 'SingleStack' as const,
            ipFamilies: ['IPv6' as const],
          }
        : {}),
      ...(params.externalTrafficPolicy
        ? { externalTrafficPolicy: params.externalTrafficPolicy }
        : {}),
      selector: { ...params.selector },
      ports: params.ports.map(p => ({
        ...(p.name ? { name: p.name } : {}),
        port: p.port,
        ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}),
        protocol: p.protocol ?? 'TCP',
      })),
    },
  };
}

/** MetalLB's request annotations under the prefix the cluster's MetalLB reads. */
export function metallbAnnotations(
  prefix: MetallbAnnotationPrefix,
  request: { ip?: string; pool?: string; sharingKey?: string },
): Record<string, string> {
  const out: Record<string, string> = {};
  if (request.ip)
    out[`${prefix}${METALLB_ANNOTATION.loadBalancerIPs}`] = request.ip;
  if (request.pool)
    out[`${prefix}${METALLB_ANNOTATION.addressPool}`] = request.pool;
  if (request.sharingKey)
    out[`${prefix}${METALLB_ANNOTATION.allowSharedIp}`] = request.sharingKey;
  return out;
}
