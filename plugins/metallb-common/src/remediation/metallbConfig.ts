import { isMap, parseDocument } from 'yaml';
import type {
  ConfigMap,
  Container,
  Service,
  Workload,
} from '../model/kubernetes';
import type { Remediation } from '../model/report';
import {
  backupCommand,
  manifestFileName,
  paragraphs,
  verifyCommand,
} from './common';
import {
  cleanServiceManifest,
  describeManifestFallbacks,
  serviceIdentity,
  setManifestClass,
} from './manifest';
import { isValidLoadBalancerClass } from './serviceClass';
import {
  asRecord,
  isRecord,
  ManifestObject,
  ManifestValue,
  jsonPatchCommand,
  kubectl,
  listPhrase,
  nonEmptyString,
  shellQuote,
  stringArray,
  stringRecord,
  toYaml,
  YamlDocument,
} from './util';

const METALLB_NAMESPACE = 'metallb-system';

/** Parameters of {@link metallbLbClassRemediation}. @public */
export interface MetallbLbClassParams {
  /** The class MetalLB should serve (`--lb-class`). */
  loadBalancerClass: string;
  /** MetalLB's namespace; default the controller's, else `metallb-system`. */
  namespace?: string;
  /** Helm release name; default `metallb`. */
  helmRelease?: string;
  /** Helm chart reference; default `metallb/metallb`. */
  helmChart?: string;
  /** MetalLB's controller Deployment, to patch the right container and argument. */
  controller?: Workload;
  /** MetalLB's speaker DaemonSet, likewise. */
  speaker?: Workload;
  /** Class-less Services MetalLB serves today; they are recreated with the class. */
  classlessServices?: Service[];
}

/** JSON-patch operations that add or replace `--lb-class` in a workload's MetalLB container. */
function lbClassPatch(
  workload: Workload | undefined,
  component: 'controller' | 'speaker',
  flag: string,
): ManifestObject[] {
  const containers = asRecord(
    asRecord(asRecord(asRecord(workload).spec).template).spec,
  ).containers;
  const list: Container[] = Array.isArray(containers)
    ? containers.filter(isRecord)
    : [];
  let index = list.findIndex(c => c.name === component);
  if (index < 0)
    index = list.findIndex(
      c => typeof c.image === 'string' && c.image.includes('metallb'),
    );
  if (index < 0) index = 0;
  const base = `/spec/template/spec/containers/${index}/args`;
  const container = list[index];
  if (container === undefined) {
    // Without the object, assume MetalLB's own manifests: the component's container comes first and has args.
    return [{ op: 'add', path: `${base}/-`, value: flag }];
  }
  const args = Array.isArray(container.args) ? container.args : undefined;
  if (!args) return [{ op: 'add', path: base, value: [flag] }];
  const at = args.findIndex(
    a => typeof a === 'string' && /^--?lb-class(=|$)/.test(a),
  );
  if (at < 0) return [{ op: 'add', path: `${base}/-`, value: flag }];
  if (args[at].includes('='))
    return [{ op: 'replace', path: `${base}/${at}`, value: flag }];
  // `--lb-class value` as two arguments: replace the value.
  return [
    {
      op: 'replace',
      path: `${base}/${at + 1}`,
      value: flag.slice(flag.indexOf('=') + 1),
    },
  ];
}

/**
 * `metallb-lb-class`: run MetalLB with `--lb-class` so it only serves Services of that class and
 * leaves class-less ones to the other controller; the class-less Services MetalLB serves today are
 * recreated with the class.
 * @public
 */
export function metallbLbClassRemediation(
  params: MetallbLbClassParams,
): Remediation {
  const loadBalancerClass = nonEmptyString(params?.loadBalancerClass);
  if (!loadBalancerClass) {
    return {
      id: 'metallb-lb-class',
      title: 'No class given for MetalLB',
      description:
        'No class name was given, so no change can be proposed. Choose a class such as metallb.io/metallb for MetalLB to serve.',
    };
  }
  const controllerMeta = asRecord(asRecord(params.controller).metadata);
  const speakerMeta = asRecord(asRecord(params.speaker).metadata);
  const namespace =
    nonEmptyString(params.namespace) ??
    nonEmptyString(controllerMeta.namespace) ??
    METALLB_NAMESPACE;
  const speakerNamespace = nonEmptyString(speakerMeta.namespace) ?? namespace;
  const controllerName = nonEmptyString(controllerMeta.name) ?? 'controller';
  const speakerName = nonEmptyString(speakerMeta.name) ?? 'speaker';
  const release = nonEmptyString(params.helmRelease) ?? 'metallb';
  const chart = nonEmptyString(params.helmChart) ?? 'metallb/metallb';
  const flag = `--lb-class=${loadBalancerClass}`;

  const services = (
    Array.isArray(params.classlessServices) ? params.classlessServices : []
  ).filter(isRecord) as Service[];
  const documents: YamlDocument[] = services.map(service => {
    const manifest = cleanServiceManifest(service);
    setManifestClass(manifest, loadBalancerClass);
    const { namespace: ns, name } = serviceIdentity(service);
    return {
      object: manifest as unknown as ManifestObject,
      comment: `${ns}/${name} recreated with MetalLB's class`,
    };
  });
  const servicesFile = 'metallb-class-services.yaml';
  const refs = services.map(
    s => `${serviceIdentity(s).namespace}/${serviceIdentity(s).name}`,
  );

  const commands = [
    '# If MetalLB was installed with Helm:',
    `helm upgrade ${shellQuote(release)} ${shellQuote(chart)} -n ${shellQuote(
      namespace,
    )} --reuse-values --set ${shellQuote(
      `loadBalancerClass=${loadBalancerClass}`,
    )}`,
    '# If MetalLB was installed from its manifests (kubectl apply), patch both components instead:',
    jsonPatchCommand(
      'deployment',
      namespace,
      controllerName,
      lbClassPatch(params.controller, 'controller', flag),
    ),
    jsonPatchCommand(
      'daemonset',
      speakerNamespace,
      speakerName,
      lbClassPatch(params.speaker, 'speaker', flag),
    ),
    `kubectl rollout status deployment/${shellQuote(
      controllerName,
    )} -n ${shellQuote(namespace)}`,
    `kubectl rollout status daemonset/${shellQuote(
      speakerName,
    )} -n ${shellQuote(speakerNamespace)}`,
  ];
  if (services.length > 0) {
    commands.push('# Then recreate the class-less Services with the class:');
    for (const service of services) {
      const { namespace: ns, name } = serviceIdentity(service);
      commands.push(backupCommand(ns, name));
    }
    for (const service of services) {
      const { namespace: ns, name } = serviceIdentity(service);
      commands.push(kubectl('delete', 'service', ns, name, '--wait=true'));
    }
    commands.push(`kubectl apply -f ${servicesFile}`);
    for (const service of services) {
      const { namespace: ns, name } = serviceIdentity(service);
      commands.push(verifyCommand(ns, name));
    }
  }

  const fallbackNotes = services.flatMap(s =>
    describeManifestFallbacks(s).map(
      n => `${serviceIdentity(s).namespace}/${serviceIdentity(s).name}: ${n}`,
    ),
  );
  return {
    id: 'metallb-lb-class',
    title: `Run MetalLB with --lb-class=${loadBalancerClass}`,
    description: paragraphs(
      `Why: MetalLB without --lb-class serves every LoadBalancer Service that has no spec.loadBalancerClass, and so does the other controller here. Started with --lb-class=${loadBalancerClass} (Helm value loadBalancerClass), MetalLB serves only Services with exactly that class and ignores all others, so class-less Services are left to the other controller.`,
      `The flag must be set on both the controller (which assigns addresses) and the speaker (which announces them); the Helm value sets both. MetalLB has no mode that serves both class-less Services and a class.`,
      services.length > 0
        ? `The side effect: every class-less Service MetalLB serves today is dropped by MetalLB and stops being announced. The Services that should stay with MetalLB (${listPhrase(
            refs,
          )}) must carry spec.loadBalancerClass ${loadBalancerClass}, and since a class can only be set when a Service is created, they are saved, deleted and recreated (a short outage each; their requested-IP annotations are kept, so they get their addresses back if those are free).`
        : 'The side effect: every class-less Service MetalLB serves today is dropped by MetalLB and stops being announced; those that should stay with MetalLB must be recreated with the class (a class can only be set when a Service is created).',
      !isValidLoadBalancerClass(loadBalancerClass) &&
        `Warning: "${loadBalancerClass}" is not a valid class name; the API server will refuse it on Services.`,
      'The JSON patches are for installs made from MetalLB\'s manifests (Deployment "controller" and DaemonSet "speaker"); with Helm use only the helm command, or the next upgrade undoes the patch.',
      services.length > 0 && `Save the YAML below as ${servicesFile}.`,
      ...fallbackNotes,
    ),
    ...(documents.length > 0 ? { yaml: toYaml(documents) } : {}),
    commands,
  };
}

/** Parameters of {@link kubeProxyStrictArpRemediation}. @public */
export interface KubeProxyStrictArpParams {
  /** The kube-system/kube-proxy ConfigMap, when read: gives its mode and a complete fixed copy. */
  configMap?: ConfigMap;
}

const STRICT_ARP_SED = `sed -e "s/strictARP: false/strictARP: true/"`;

/**
 * `kube-proxy-strict-arp`: set `ipvs.strictARP: true` in kube-proxy's configuration (needed in IPVS
 * mode for MetalLB's layer 2 mode), as MetalLB's documentation shows it.
 * @public
 */
export function kubeProxyStrictArpRemediation(
  params: KubeProxyStrictArpParams = {},
): Remediation {
  const configMap = isRecord(params?.configMap) ? params.configMap : undefined;
  const data = stringRecord(asRecord(configMap).data);
  const configKey =
    'config.conf' in data
      ? 'config.conf'
      : Object.keys(data).find(k => /\.(conf|ya?ml)$/.test(k));
  const meta = asRecord(asRecord(configMap).metadata);
  const cmName = nonEmptyString(meta.name) ?? 'kube-proxy';
  const cmNamespace = nonEmptyString(meta.namespace) ?? 'kube-system';

  let mode: string | undefined;
  let strictArp: unknown;
  let fixed: string | undefined;
  if (configKey) {
    const doc = parseDocument(data[configKey]);
    if (doc.errors.length === 0 && isMap(doc.contents)) {
      const rawMode = doc.get('mode');
      mode = typeof rawMode === 'string' ? rawMode : '';
      strictArp = doc.getIn(['ipvs', 'strictARP']);
      doc.setIn(['ipvs', 'strictARP'], true);
      fixed = doc.toString();
    }
  }
  const why =
    "Why: in IPVS mode kube-proxy puts every LoadBalancer IP on a dummy interface (kube-ipvs0) of every node, and without strict ARP every node answers ARP requests for those IPs. MetalLB's layer 2 mode relies on only the elected node answering, so clients end up on random nodes and connections break. strictARP: true makes kube-proxy stop answering for them.";

  if (mode !== undefined && mode !== 'ipvs') {
    return {
      id: 'kube-proxy-strict-arp',
      title: 'kube-proxy does not run in IPVS mode: strictARP is not needed',
      description: paragraphs(
        why,
        `kube-proxy's configuration sets mode "${
          mode || '(default: iptables)'
        }", not ipvs, so this setting has no effect and nothing needs to change.`,
      ),
    };
  }
  if (strictArp === true) {
    return {
      id: 'kube-proxy-strict-arp',
      title: 'kube-proxy already has strictARP: true',
      description: paragraphs(
        why,
        'The configuration already sets ipvs.strictARP: true; nothing needs to change.',
      ),
      commands: [
        `kubectl get configmap ${shellQuote(cmName)} -n ${shellQuote(
          cmNamespace,
        )} -o yaml | grep strictARP`,
      ],
    };
  }

  const fixedFile = 'kube-proxy-strict-arp.yaml';
  const canSed = fixed === undefined || strictArp === false;
  const get = `kubectl get configmap ${shellQuote(cmName)} -n ${shellQuote(
    cmNamespace,
  )} -o yaml`;
  const commands = canSed
    ? [
        `${get} | ${STRICT_ARP_SED} | kubectl diff -f - -n ${shellQuote(
          cmNamespace,
        )}`,
        `${get} | ${STRICT_ARP_SED} | kubectl apply -f - -n ${shellQuote(
          cmNamespace,
        )}`,
      ]
    : [`kubectl diff -f ${fixedFile}`, `kubectl apply -f ${fixedFile}`];
  commands.push(
    `kubectl rollout restart daemonset/kube-proxy -n ${shellQuote(
      cmNamespace,
    )}`,
    `kubectl rollout status daemonset/kube-proxy -n ${shellQuote(cmNamespace)}`,
  );

  let yaml: string | undefined;
  if (fixed !== undefined && configKey) {
    const annotations = stringRecord(meta.annotations);
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    const labels = stringRecord(meta.labels);
    const metadata: ManifestObject = { name: cmName, namespace: cmNamespace };
    if (Object.keys(labels).length > 0) metadata.labels = labels;
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    const newData: Record<string, ManifestValue> = {
      ...data,
      [configKey]: fixed,
    };
    yaml = toYaml([
      {
        object: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata,
          data: newData,
        },
        comment: 'kube-proxy configuration with ipvs.strictARP: true',
      },
    ]);
  }

  return {
    id: 'kube-proxy-strict-arp',
    title: "Set strictARP: true in kube-proxy's IPVS configuration",
    description: paragraphs(
      why,
      mode === undefined &&
        "LB Doctor did not read kube-proxy's configuration: this only matters when its mode is ipvs (check with: kubectl get configmap kube-proxy -n kube-system -o yaml | grep mode).",
      canSed
        ? 'The commands are the ones MetalLB\'s documentation gives: the first shows the change (kubectl diff exits non-zero when there is one), the second applies it. They only flip an existing "strictARP: false" line.'
        : `The configuration has no strictARP line for sed to flip, so apply the YAML below (saved as ${fixedFile}) instead; it is the live ConfigMap with ipvs.strictARP: true added.`,
      'kube-proxy reads its configuration only at start, hence the restart of its DaemonSet. Clusters that configure kube-proxy with flags instead of this ConfigMap (k3s, RKE2) need the --ipvs-strict-arp flag on kube-proxy instead.',
    ),
    ...(yaml ? { yaml } : {}),
    commands,
  };
}

/** One address pool of a legacy (MetalLB 0.12 and older) ConfigMap, as parsed. @public */
export interface LegacyAddressPool {
  name?: string;
  /** `layer2` or `bgp`. */
  protocol?: string;
  addresses?: string[];
  autoAssign?: boolean;
  avoidBuggyIPs?: boolean;
  bgpAdvertisements?: Array<{
    aggregationLength?: number;
    aggregationLengthV6?: number;
    localPref?: number;
    communities?: string[];
  }>;
}

/** Parameters of {@link migrateLegacyConfigMapRemediation}. @public */
export interface MigrateLegacyConfigMapParams {
  pools: LegacyAddressPool[];
  /** Namespace for the new objects: MetalLB's own (default `metallb-system`). */
  namespace?: string;
  /** The legacy `bgp-communities` aliases, resolved into the advertisements' communities. */
  bgpCommunities?: Record<string, string>;
  /** The legacy ConfigMap; default `config` in the same namespace. */
  configMapName?: string;
  configMapNamespace?: string;
  /** Whether the legacy configuration also has `peers` or `bfd-profiles` (not converted here). */
  hasPeersOrBfdProfiles?: boolean;
}

/** A name the API server accepts for the object (DNS-1123 subdomain), derived from the legacy one. */
function objectName(text: string, used: Set<string>): string {
  let base = text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 240)
    .replace(/[^a-z0-9]+$/g, '');
  if (base === '') base = 'pool';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  used.add(name);
  return name;
}

function integerIn(
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  return typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= min &&
    value <= max
    ? value
    : undefined;
}

/** Reads a field in either the parsed camelCase form or the legacy file's kebab-case form. */
function field(
  record: Record<string, unknown>,
  camel: string,
  kebab: string,
): unknown {
  return camel in record ? record[camel] : record[kebab];
}

/**
 * `migrate-legacy-configmap`: turn a legacy ConfigMap's address pools into IPAddressPool and
 * L2Advertisement/BGPAdvertisement objects (metallb.io/v1beta1) in MetalLB's namespace.
 * @public
 */
export function migrateLegacyConfigMapRemediation(
  params: MigrateLegacyConfigMapParams,
): Remediation {
  const namespace = nonEmptyString(params?.namespace) ?? METALLB_NAMESPACE;
  const cmName = nonEmptyString(params?.configMapName) ?? 'config';
  const cmNamespace = nonEmptyString(params?.configMapNamespace) ?? namespace;
  const aliases = stringRecord(params?.bgpCommunities);
  const pools = (Array.isArray(params?.pools) ? params.pools : []).filter(
    isRecord,
  );

  const poolDocs: YamlDocument[] = [];
  const advertisementDocs: YamlDocument[] = [];
  const notes: string[] = [];
  const usedPools = new Set<string>();
  const usedL2 = new Set<string>();
  const usedBgp = new Set<string>();

  pools.forEach((pool, index) => {
    const legacyName = nonEmptyString(pool.name) ?? `pool-${index + 1}`;
    const addresses = stringArray(pool.addresses)
      .map(a => a.trim())
      .filter(a => a !== '');
    if (addresses.length === 0) {
      notes.push(
        `Pool "${legacyName}" has no addresses and is left out (an IPAddressPool needs at least one).`,
      );
      return;
    }
    const name = objectName(legacyName, usedPools);
    if (name !== legacyName)
      notes.push(
        `Pool "${legacyName}" is named "${name}": object names must be lower-case letters, digits, "-" and ".".`,
      );
    const autoAssign = field(pool, 'autoAssign', 'auto-assign');
    const avoidBuggyIPs = field(pool, 'avoidBuggyIPs', 'avoid-buggy-ips');
    const spec: ManifestObject = { addresses };
    spec.autoAssign = typeof autoAssign === 'boolean' ? autoAssign : true;
    spec.avoidBuggyIPs =
      typeof avoidBuggyIPs === 'boolean' ? avoidBuggyIPs : false;
    poolDocs.push({
      object: {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'IPAddressPool',
        metadata: { name, namespace },
        spec,
      },
      comment: `From legacy pool "${legacyName}"`,
    });

    const protocol =
      typeof pool.protocol === 'string'
        ? pool.protocol.trim().toLowerCase()
        : '';
    if (protocol === 'layer2') {
      advertisementDocs.push({
        object: {
          apiVersion: 'metallb.io/v1beta1',
          kind: 'L2Advertisement',
          metadata: { name: objectName(`${name}-l2`, usedL2), namespace },
          spec: { ipAddressPools: [name] },
        },
      });
    } else if (protocol === 'bgp') {
      const legacyAds = field(pool, 'bgpAdvertisements', 'bgp-advertisements');
      const ads =
        Array.isArray(legacyAds) && legacyAds.length > 0
          ? legacyAds.filter(isRecord)
          : [{}];
      for (const ad of ads) {
        const adSpec: ManifestObject = { ipAddressPools: [name] };
        const aggregationLength = integerIn(
          field(ad, 'aggregationLength', 'aggregation-length'),
          1,
          32,
        );
        const aggregationLengthV6 = integerIn(
          field(ad, 'aggregationLengthV6', 'aggregation-length-v6'),
          1,
          128,
        );
        const localPref = integerIn(
          field(ad, 'localPref', 'localpref'),
          0,
          4294967295,
        );
        const communities = stringArray(ad.communities).map(
          c => aliases[c] ?? c,
        );
        if (aggregationLength !== undefined)
          adSpec.aggregationLength = aggregationLength;
        if (aggregationLengthV6 !== undefined)
          adSpec.aggregationLengthV6 = aggregationLengthV6;
        if (localPref !== undefined) adSpec.localPref = localPref;
        if (communities.length > 0) adSpec.communities = communities;
        advertisementDocs.push({
          object: {
            apiVersion: 'metallb.io/v1beta1',
            kind: 'BGPAdvertisement',
            metadata: { name: objectName(`${name}-bgp`, usedBgp), namespace },
            spec: adSpec,
          },
        });
      }
    } else {
      notes.push(
        `Pool "${legacyName}" has protocol "${
          protocol || '(none)'
        }", neither layer2 nor bgp: only its IPAddressPool is written; MetalLB assigns its addresses but announces them only once an L2Advertisement or BGPAdvertisement selects it.`,
      );
    }
  });

  if (poolDocs.length === 0) {
    return {
      id: 'migrate-legacy-configmap',
      title: 'No legacy address pool to migrate',
      description: paragraphs(
        'No usable address pool was found in the legacy configuration, so there is nothing to convert.',
        ...notes,
      ),
    };
  }

  const file = 'metallb-pools.yaml';
  const refs = poolDocs.map(d => String(asRecord(d.object.metadata).name));
  return {
    id: 'migrate-legacy-configmap',
    title: `Convert the legacy MetalLB ConfigMap ${cmNamespace}/${cmName} into IPAddressPool objects`,
    description: paragraphs(
      `Why: MetalLB 0.13.2 and later no longer read the ConfigMap ${cmNamespace}/${cmName}; pools and announcements are now separate objects (IPAddressPool, L2Advertisement, BGPAdvertisement in metallb.io/v1beta1). A newer MetalLB with only the ConfigMap has no pools at all, and with no pools it removes the address of every Service.`,
      `The YAML holds the pool(s) ${listPhrase(
        refs,
      )} with the same addresses, autoAssign and avoidBuggyIPs, plus one advertisement per pool (layer2 pools get an L2Advertisement, bgp pools one BGPAdvertisement per legacy bgp-advertisements entry, with community aliases resolved). They must live in MetalLB's namespace, ${namespace}: MetalLB ignores pools anywhere else and its webhook refuses them.`,
      `Order matters: upgrade MetalLB (its new version installs the CRDs), then apply ${file} right away. Until the pools exist the new controller has none and clears the Services' addresses; Services that request a fixed IP get it back, the others get the first free address of their pool, which may differ from before. To keep addresses stable, pin them first with the loadBalancerIPs annotation.`,
      params?.hasPeersOrBfdProfiles &&
        "The legacy configuration also has BGP peers or BFD profiles: those become BGPPeer (metallb.io/v1beta2) and BFDProfile objects, not written here; MetalLB's configmaptocrs tool converts the whole ConfigMap.",
      'Delete the old ConfigMap only once every Service has its address again.',
      ...notes,
    ),
    yaml: toYaml([...poolDocs, ...advertisementDocs]),
    commands: [
      `kubectl get configmap ${shellQuote(cmName)} -n ${shellQuote(
        cmNamespace,
      )} -o yaml > ${manifestFileName(cmNamespace, cmName, 'backup')}`,
      '# Upgrade MetalLB to 0.13.2 or newer now (Helm or manifests), then immediately:',
      `kubectl apply -f ${file}`,
      `kubectl get ipaddresspools.metallb.io,l2advertisements.metallb.io,bgpadvertisements.metallb.io -n ${shellQuote(
        namespace,
      )}`,
      'kubectl get services -A --field-selector spec.type=LoadBalancer',
      `kubectl delete configmap ${shellQuote(cmName)} -n ${shellQuote(
        cmNamespace,
      )}`,
    ],
  };
}
