import type { SimulatedCluster } from '../cluster';
import { ResourceType } from '../resources';
import { KubeObject } from '../types';

/** Typed views of the Service fields the actors read and write. */
export interface LbIngress {
  ip?: string;
  hostname?: string;
  ipMode?: string;
  ports?: Array<{ port: number; protocol: string }>;
}

export interface ServiceObject extends KubeObject {
  spec: {
    type?: string;
    loadBalancerIP?: string;
    loadBalancerClass?: string;
    ports?: Array<{ port: number; protocol?: string; name?: string }>;
    [k: string]: unknown;
  };
  status?: { loadBalancer?: { ingress?: LbIngress[] } };
}

export function serviceType(cluster: SimulatedCluster): ResourceType {
  return cluster.typeByPlural('', 'services')!;
}

export function listServices(cluster: SimulatedCluster): ServiceObject[] {
  return cluster.store.list(serviceType(cluster)) as ServiceObject[];
}

/** `ns/name` or `name` (namespace `default`). */
export function splitRef(ref: string): { namespace: string; name: string } {
  const [a, b] = ref.includes('/') ? ref.split('/', 2) : ['default', ref];
  return { namespace: a, name: b };
}

export function getService(
  cluster: SimulatedCluster,
  ref: string,
): ServiceObject | undefined {
  const { namespace, name } = splitRef(ref);
  return cluster.store.get(serviceType(cluster), namespace, name) as
    | ServiceObject
    | undefined;
}

export function ingressIps(svc: ServiceObject): string[] {
  return (svc.status?.loadBalancer?.ingress ?? [])
    .map(i => i.ip)
    .filter((ip): ip is string => !!ip);
}

export function stringParam(
  params: Record<string, unknown>,
  key: string,
  fallback?: string,
): string {
  const v = params[key];
  if (typeof v === 'string' && v !== '') return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`actor parameter "${key}" is required`);
}

export function stringListParam(
  params: Record<string, unknown>,
  key: string,
): string[] {
  const v = params[key];
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return [v];
  return [];
}
