import type { Service } from '../model/kubernetes';
import {
  describeManagement,
  describeManifestFallbacks,
  serviceIdentity,
} from './manifest';
import { fileSlug, kubectl, stringArray, asRecord } from './util';

/** Stable ids of the remediations this module builds; public API like the rule ids. @public */
export type RemediationId =
  | 'set-load-balancer-class'
  | 'split-service'
  | 'move-to-annotation'
  | 'remove-duplicate-request'
  | 'use-free-ip'
  | 'use-address-pool'
  | 'fix-sharing-key'
  | 'metallb-lb-class'
  | 'k3s-disable-servicelb'
  | 'kube-vip-ignore'
  | 'kube-vip-class-only'
  | 'chisel-load-balancer-class'
  | 'cilium-require-lb-class'
  | 'inlets-ignore'
  | 'purelb-class-only'
  | 'calico-requested-services-only'
  | 'tailscale-no-default-load-balancer'
  | 'kube-proxy-strict-arp'
  | 'migrate-legacy-configmap';

/** Joins paragraphs, skipping empty ones. */
export function paragraphs(
  ...parts: Array<string | false | undefined | null>
): string {
  return parts
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .join('\n\n');
}

/** The paragraphs every Service-based remediation ends with: input fallbacks and who manages the Service. */
export function serviceNotes(service: Service): string[] {
  const notes = describeManifestFallbacks(service);
  const management = describeManagement(service);
  if (management) notes.push(management);
  return notes;
}

/** `namespace/name` for text. */
export function serviceRefText(service: Service): string {
  const { name, namespace } = serviceIdentity(service);
  return `${namespace}/${name}`;
}

/** A file name for a manifest about this Service. */
export function manifestFileName(
  namespace: string,
  name: string,
  purpose: string,
): string {
  return `${fileSlug(`${namespace}-${name}`)}.${purpose}.yaml`;
}

/** The command that saves the live Service before it is changed or deleted. */
export function backupCommand(namespace: string, name: string): string {
  return `${kubectl(
    'get',
    'service',
    namespace,
    name,
    '-o',
    'yaml',
  )} > ${manifestFileName(namespace, name, 'backup')}`;
}

/** The command that shows the Service's external address afterwards. */
export function verifyCommand(namespace: string, name: string): string {
  return kubectl('get', 'service', namespace, name, '-o', 'wide');
}

/** Finalizers on the input, for the "delete hangs" hint. */
export function finalizersOf(service: Service): string[] {
  return stringArray(asRecord(asRecord(service).metadata).finalizers);
}

/** A hint for deletes that hang on a finalizer whose controller no longer runs. */
export function finalizerHint(service: Service): string {
  const finalizers = finalizersOf(service);
  if (finalizers.length === 0) return '';
  const { name, namespace } = serviceIdentity(service);
  return `The Service carries the finalizer(s) ${finalizers.join(
    ', ',
  )}; the controller that added each removes it when it has cleaned up. If the delete hangs because that controller is no longer running, clear them with: ${kubectl(
    'patch',
    'service',
    namespace,
    name,
    '--type=merge',
    '-p',
    `'{"metadata":{"finalizers":null}}'`,
  )}`;
}
