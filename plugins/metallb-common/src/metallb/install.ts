import type { Container, Workload } from '../model/kubernetes';
import type { ClusterSnapshot } from '../model/snapshot';

/** One MetalLB controller Deployment found in the cluster. @public */
export interface MetallbControllerWorkload {
  /** `namespace/name` of the Deployment. */
  ref: string;
  namespace: string;
  image: string;
  /** The version from the image tag (`0.14.9`), `null` when the tag names none. */
  version: string | null;
  /** The `--lb-class` argument, `null` when unset or empty. */
  lbClass: string | null;
  replicas: number | null;
}

/** What the snapshot says about MetalLB's installation. @public */
export interface MetallbInstall {
  /** `true` when a controller or MetalLB's config was found, `false` when workloads were read and none is MetalLB's, `null` when unknown. */
  installed: boolean | null;
  controllers: MetallbControllerWorkload[];
  /** The version of the (first) controller, `null` when unknown. */
  version: string | null;
  /** The `--lb-class` of the (first) controller, `null` when unset. */
  lbClass: string | null;
  /** The namespace MetalLB runs in (its pools must live there), default `metallb-system`. */
  namespace: string;
  evidence: string[];
}

const CONTROLLER_IMAGE =
  /(^|\/)(metallb[-/]controller|metallb-rhel\d*|metallb-controller)(@|:|$)/;
const VERSION_IN_TAG = /^v?(\d+\.\d+\.\d+)/;

/** The container's command and args; hand-written manifests may hold anything there. */
function argsOf(container: Container): unknown[] {
  const list = (value: unknown) => (Array.isArray(value) ? value : []);
  return [...list(container.command), ...list(container.args)];
}

function isMetallbControllerContainer(container: Container): boolean {
  const image = typeof container.image === 'string' ? container.image : '';
  if (CONTROLLER_IMAGE.test(image)) return true;
  // Operator-built and mirrored images keep MetalLB's binary and flags but not its image name.
  const command = argsOf(container);
  return (
    image.includes('metallb') &&
    command.some(a => typeof a === 'string' && a.includes('/controller'))
  );
}

/** The version in an image reference's tag, e.g. `quay.io/metallb/controller:v0.14.9` gives `0.14.9`. */
export function versionFromImage(image: string): string | null {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon < 0) return null;
  const match = VERSION_IN_TAG.exec(withoutDigest.slice(colon + 1));
  return match ? match[1] : null;
}

function flagValue(args: readonly unknown[], flag: string): string | null {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg !== 'string') continue;
    for (const prefix of [`--${flag}`, `-${flag}`]) {
      if (arg === prefix) {
        const next = args[i + 1];
        return typeof next === 'string' ? next : null;
      }
      if (arg.startsWith(`${prefix}=`)) return arg.slice(prefix.length + 1);
    }
  }
  return null;
}

function controllerFromWorkload(
  workload: Workload,
): MetallbControllerWorkload | undefined {
  const containers = workload?.spec?.template?.spec?.containers;
  if (!Array.isArray(containers)) return undefined;
  const container = containers.find(
    c => c && typeof c === 'object' && isMetallbControllerContainer(c),
  );
  if (!container) return undefined;
  const namespace = String(workload.metadata?.namespace ?? 'default');
  const args = argsOf(container);
  const lbClass = flagValue(args, 'lb-class');
  const image = String(container.image ?? '');
  return {
    ref: `${namespace}/${workload.metadata?.name ?? '?'}`,
    namespace,
    image,
    version: versionFromImage(image),
    lbClass: lbClass ? lbClass : null,
    replicas:
      typeof workload.spec?.replicas === 'number'
        ? workload.spec.replicas
        : null,
  };
}

/** Finds MetalLB's controller Deployments, its version, `--lb-class` and namespace. @public */
export function detectMetallbInstall(
  snapshot: ClusterSnapshot,
): MetallbInstall {
  const controllers = (snapshot.deployments ?? [])
    .map(controllerFromWorkload)
    .filter((c): c is MetallbControllerWorkload => c !== undefined);
  const evidence = controllers.map(
    c =>
      `Deployment ${c.ref} runs ${c.image}${
        c.lbClass ? ` with --lb-class=${c.lbClass}` : ''
      }`,
  );
  const pools = snapshot.ipAddressPools ?? [];
  const legacyConfig = (snapshot.configMaps ?? []).find(
    cm =>
      cm?.metadata?.name === 'config' &&
      typeof cm.data?.config === 'string' &&
      cm.data.config.includes('address-pools'),
  );
  if (pools.length > 0)
    evidence.push(`${pools.length} IPAddressPool object(s) exist`);
  if (legacyConfig) {
    evidence.push(
      `ConfigMap ${
        legacyConfig.metadata?.namespace ?? '?'
      }/config holds a legacy MetalLB configuration`,
    );
  }

  let installed: boolean | null;
  if (controllers.length > 0 || pools.length > 0 || legacyConfig)
    installed = true;
  else if (snapshot.deployments !== undefined) installed = false;
  else installed = null;

  const first = controllers[0];
  const namespace =
    first?.namespace ??
    pools[0]?.metadata?.namespace ??
    legacyConfig?.metadata?.namespace ??
    'metallb-system';
  return {
    installed,
    controllers,
    version: first?.version ?? null,
    lbClass: first?.lbClass ?? null,
    namespace,
    evidence,
  };
}
