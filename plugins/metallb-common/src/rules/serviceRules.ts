import { formatIp, parseIp } from '../ip';
import { isPoolCompatible, poolFor } from '../metallb/allocator';
import type { ReconcileFailure } from '../metallb/reconcile';
import {
  annotationsOf,
  clusterIpsOf,
  DEPRECATED_METALLB_PREFIX,
  labelsOf,
  metallbAnnotation,
} from '../metallb/serviceFacts';
import type { Service } from '../model/kubernetes';
import type { Finding, Owner, Remediation } from '../model/report';
import {
  fixSharingKeyRemediation,
  moveToAnnotationRemediation,
  removeDuplicateRequestRemediation,
  setLoadBalancerClassRemediation,
  useAddressPoolRemediation,
  useFreeIpRemediation,
} from '../remediation';
import { ServiceFacts, finding } from './context';
import { annotationPrefix, contentionFixes, perServiceOptOut } from './fixes';
import { poolNamed } from './pools';
import { writeLoopFinding } from './writeLoop';

/** A per-Service rule: zero or more findings. */
export type ServiceRule = (facts: ServiceFacts) => Finding[];

const describe = (facts: ServiceFacts) => `Service ${facts.key}`;

/** Pools that could serve the Service, with a few free IPs each (for "use this IP" fixes). */
function freeIpFixes(facts: ServiceFacts, limit = 2): Remediation[] {
  const { cluster, service } = facts;
  const subject = {
    namespace: service.metadata?.namespace ?? 'default',
    labels: labelsOf(service),
  };
  const families = new Set(
    clusterIpsOf(service).map(ip => parseIp(ip)?.family ?? 'ipv4'),
  );
  if (families.size === 0)
    families.add(service.spec?.ipFamilies?.[0] === 'IPv6' ? 'ipv6' : 'ipv4');
  const fixes: Remediation[] = [];
  // use-free-ip requests through the loadBalancerIPs annotation, which MetalLB reads from 0.12.0.
  const canRequest = cluster.features.loadBalancerIPsAnnotation;
  for (const pool of canRequest ? cluster.config.pools : []) {
    if (fixes.length >= limit) break;
    if (!isPoolCompatible(pool, subject)) continue;
    const ips: string[] = [];
    for (const family of families) {
      const free = cluster.allocator.freeAddresses(pool.name, family, 1);
      if (free.length === 0) break;
      ips.push(formatIp(free[0]));
    }
    if (ips.length !== families.size) continue;
    fixes.push(
      useFreeIpRemediation(service, {
        ips,
        pool: pool.name,
        annotationPrefix: annotationPrefix(cluster),
      }),
    );
  }
  const pool = cluster.config.pools.find(
    p => p.autoAssign && isPoolCompatible(p, subject),
  );
  if (pool)
    fixes.push(
      useAddressPoolRemediation(service, {
        pool: pool.name,
        annotationPrefix: annotationPrefix(cluster),
      }),
    );
  return fixes;
}

const foreignOwners = (owners: Owner[]) =>
  owners.filter(o => o.controller !== 'metallb');

/** controller-contention: MetalLB and another controller both act on the Service. */
export const controllerContention: ServiceRule = facts => {
  const { owners, verdict, service, cluster } = facts;
  const metallb = owners.find(o => o.controller === 'metallb');
  const others = foreignOwners(owners);
  const actors = metallb && verdict.handled ? [metallb, ...others] : others;
  if (actors.length < 2) return [];
  const names = actors.map(o => o.controller);
  const fixes: Remediation[] = [];
  for (const other of others) {
    fixes.push(
      ...(metallb && verdict.handled
        ? contentionFixes(service, other, cluster)
        : []),
    );
    const optOut = perServiceOptOut(service, other.controller);
    if (optOut) fixes.push(optOut);
  }
  // An owner known only from being installed is a risk; marks on the Service show it acting.
  const acting = actors.filter(
    o =>
      (o.controller === 'metallb' && verdict.handled) ||
      !o.evidence.every(e => e.startsWith('installed')),
  );
  const severity = acting.length >= 2 ? 'error' : 'warning';
  const foreignIp = verdict.failures.find(
    f => f.stage === 'revalidate' && f.kind === 'not-in-pool',
  );
  // When no pool may serve the Service, MetalLB clears the status instead of writing its own IP
  // (metallb/metallb#2971): the fight is the same, the wording must not promise a MetalLB IP.
  const metallbWrite =
    verdict.ips.length > 0 ? 'writes its own' : 'leaves it without an IP';
  const consequence = foreignIp
    ? ` MetalLB removes the IP the other controller writes (${verdict.currentIps.join(
        ', ',
      )}) and ${metallbWrite}, and the other controller writes its IP back: the two rewrite this Service for ever.`
    : ' Each may overwrite what the other writes into the Service, which ends in a rewrite loop.';
  const risk =
    severity === 'warning'
      ? ' Nothing shows them fighting yet, but either may write its own IP at any time.'
      : '';
  return [
    finding(
      'controller-contention',
      severity,
      `${describe(facts)} is handled by ${names.join(
        ' and ',
      )} at the same time.${consequence}${risk} Give it one owner: its own loadBalancerClass, or one Service per controller.`,
      actors.flatMap(o => o.evidence.map(e => `${o.controller}: ${e}`)),
      dedupe(fixes),
    ),
  ];
};

function dedupe(fixes: Remediation[]): Remediation[] {
  const seen = new Set<string>();
  return fixes.filter(f => {
    const key = `${f.id}\n${f.yaml ?? ''}\n${(f.commands ?? []).join('\n')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** write-loop: evidence that the Service is being rewritten again and again. */
export const writeLoop: ServiceRule = facts => {
  const result = writeLoopFinding(facts);
  return result ? [result] : [];
};

/** deprecated-load-balancer-ip. */
export const deprecatedLoadBalancerIp: ServiceRule = facts => {
  const ip = facts.service.spec?.loadBalancerIP;
  if (typeof ip !== 'string' || ip === '') return [];
  const annotations = annotationsOf(facts.service);
  const both = Object.keys(annotations).some(
    k => k.endsWith('/loadBalancerIPs') && k.startsWith('metallb.'),
  );
  const { features } = facts.cluster;
  // Before 0.12.0 MetalLB ignores the annotation: moving the request there would lose the IP.
  const fixes =
    both || !features.loadBalancerIPsAnnotation
      ? []
      : [
          moveToAnnotationRemediation(facts.service, {
            annotationPrefix: annotationPrefix(facts.cluster),
          }),
        ];
  const advice = features.loadBalancerIPsAnnotation
    ? `Use the ${annotationPrefix(facts.cluster)}loadBalancerIPs annotation.`
    : `MetalLB ${features.version} reads no other way to ask for an IP; its replacement, the metallb.universe.tf/loadBalancerIPs annotation, needs MetalLB 0.12.0 or newer, so upgrade MetalLB before moving the request.`;
  return [
    finding(
      'deprecated-load-balancer-ip',
      'warning',
      `${describe(
        facts,
      )} asks for ${ip} through spec.loadBalancerIP, deprecated since Kubernetes 1.24: each controller reads it differently and it cannot express dual-stack. ${advice}`,
      [`spec.loadBalancerIP is "${ip}"`],
      fixes,
    ),
  ];
};

/** conflicting-ip-requests: field and annotation both set. */
export const conflictingIpRequests: ServiceRule = facts => {
  const field = facts.service.spec?.loadBalancerIP;
  if (typeof field !== 'string' || field === '') return [];
  const annotation = metallbAnnotation(
    annotationsOf(facts.service),
    'loadBalancerIPs',
    facts.cluster.features,
  );
  if (!annotation || annotation.value === '') return [];
  const handled = facts.verdict.handled;
  return [
    finding(
      'conflicting-ip-requests',
      handled ? 'error' : 'warning',
      `${describe(facts)} sets both spec.loadBalancerIP (${field}) and ${
        annotation.key
      } (${annotation.value}). MetalLB refuses such a Service${
        field === annotation.value ? ' even though both name the same IP' : ''
      } and gives it no IP. Keep only the annotation.`,
      [
        `spec.loadBalancerIP is "${field}"`,
        `annotation ${annotation.key} is "${annotation.value}"`,
      ],
      [
        removeDuplicateRequestRemediation(facts.service, {
          annotationPrefix: annotationPrefix(facts.cluster),
        }),
      ],
    ),
  ];
};

function failure(
  facts: ServiceFacts,
  ...kinds: ReconcileFailure['kind'][]
): ReconcileFailure | undefined {
  return facts.verdict.failures.find(f => kinds.includes(f.kind));
}

function eventEvidence(facts: ServiceFacts): string[] {
  return facts.verdict.events.map(
    e => `MetalLB would record ${e.type} ${e.reason}: ${e.message}`,
  );
}

/** ip-not-in-any-pool: a requested or current IP MetalLB has no pool for. */
export const ipNotInAnyPool: ServiceRule = facts => {
  const f = failure(facts, 'not-in-pool');
  if (!f) return [];
  const { verdict } = facts;
  if (f.stage === 'revalidate') {
    // A foreign controller's IP is the contention rule's business; here only MetalLB's own stale IPs.
    if (foreignOwners(facts.owners).length > 0) return [];
    return [
      finding(
        'ip-not-in-any-pool',
        'warning',
        `${describe(facts)} holds ${verdict.currentIps.join(
          ', ',
        )}, which is in none of MetalLB's address pools (a pool was changed or removed, or something else wrote it). MetalLB takes it away${
          verdict.ips.length ? ` and assigns ${verdict.ips.join(', ')}` : ''
        }.`,
        [f.message, ...eventEvidence(facts)],
        verdict.desired.kind === 'ips' ? freeIpFixes(facts) : [],
      ),
    ];
  }
  const requested =
    verdict.desired.kind === 'ips'
      ? verdict.desired.ips.map(formatIp).join(', ')
      : '';
  return [
    finding(
      'ip-not-in-any-pool',
      'error',
      `${describe(facts)} asks for ${
        requested || 'an IP'
      }, which is in none of MetalLB's address pools, so MetalLB gives it no IP. Ask for a free IP from a pool this Service may use, or drop the fixed IP.`,
      [f.message, ...eventEvidence(facts)],
      freeIpFixes(facts),
    ),
  ];
};

/** pool-not-allowed. */
export const poolNotAllowed: ServiceRule = facts => {
  const f = failure(facts, 'pool-not-allowed');
  if (!f) return [];
  const pool = poolNamed(facts.cluster.config.pools, f.detail.pool);
  const limits: string[] = [];
  if (pool?.serviceAllocation?.namespaces.size)
    limits.push(
      `namespaces ${[...pool.serviceAllocation.namespaces].sort().join(', ')}`,
    );
  if (pool?.serviceAllocation?.serviceSelectors.length) {
    limits.push(
      `Services matching ${pool.serviceAllocation.serviceSelectors
        .map(s => s.text || '(everything)')
        .join(' or ')}`,
    );
  }
  return [
    finding(
      'pool-not-allowed',
      f.stage === 'revalidate' ? 'warning' : 'error',
      `Pool "${f.detail.pool}" only serves ${
        limits.join(' and ') || 'other Services'
      }; ${describe(facts)} (namespace ${
        facts.service.metadata?.namespace ?? 'default'
      }) may not use it${
        f.stage === 'revalidate'
          ? ', so MetalLB takes its IP away'
          : ', so MetalLB refuses the IP'
      }.`,
      [f.message, ...eventEvidence(facts)],
      freeIpFixes(facts),
    ),
  ];
};

/** unknown-address-pool. */
export const unknownAddressPool: ServiceRule = facts => {
  const f = failure(facts, 'unknown-pool');
  if (!f) return [];
  const names = facts.cluster.config.pools.map(p => p.name);
  return [
    finding(
      'unknown-address-pool',
      'error',
      `${describe(facts)} asks for address pool "${
        f.detail.pool
      }", which does not exist${
        names.length ? ` (pools: ${names.join(', ')})` : ''
      }. MetalLB does not fall back to another pool, so the Service gets no IP.`,
      [f.message, ...eventEvidence(facts)],
      freeIpFixes(facts),
    ),
  ];
};

/** ip-not-in-requested-pool. */
export const ipNotInRequestedPool: ServiceRule = facts => {
  const f = failure(facts, 'pool-mismatch');
  if (!f) return [];
  return [
    finding(
      'ip-not-in-requested-pool',
      'error',
      `${describe(facts)} asks for an IP of pool "${
        f.detail.pool
      }" but also for a pool by name that does not contain it; MetalLB refuses both.`,
      [f.message, ...eventEvidence(facts)],
      freeIpFixes(facts),
    ),
  ];
};

/** ip-family-mismatch. */
export const ipFamilyMismatch: ServiceRule = facts => {
  const f = failure(
    facts,
    'family-mismatch',
    'same-family',
    'too-many',
    'family-unavailable',
  );
  const invalid = facts.verdict.failures.find(
    x =>
      x.kind === 'invalid-request' &&
      x.message.startsWith('IPFamilyForAddresses'),
  );
  const chosen = f ?? invalid;
  if (!chosen) return [];
  return [
    finding(
      'ip-family-mismatch',
      'error',
      `${describe(facts)} cannot get IPs of its family (${
        clusterIpsOf(facts.service).join(', ') || 'cluster IP not set'
      }; policy ${facts.service.spec?.ipFamilyPolicy ?? 'SingleStack'}): ${
        chosen.message
      }. A single-stack Service takes one IP of its family; a dual-stack one needs one IPv4 and one IPv6 from the same pool.`,
      [chosen.message, ...eventEvidence(facts)],
      freeIpFixes(facts),
    ),
  ];
};

/** `externalTrafficPolicy` and MetalLB's backend key (`Local`: the sorted selector, else ""). */
function backendOf(service: Service): { policy: string; key: string } {
  const policy = service.spec?.externalTrafficPolicy ?? 'Cluster';
  const selector = service.spec?.selector ?? {};
  const key =
    policy === 'Local'
      ? Object.keys(selector)
          .sort()
          .map(k => `${k}=${selector[k]}`)
          .join(',')
      : '';
  return { policy, key };
}

/**
 * Which of MetalLB's sharing conditions fails. Its Event says "can't change sharing key" for all
 * of them (METALLB.md §9), so the objects are the only way to tell the user what to change.
 */
function sharingMismatch(
  facts: ServiceFacts,
  own: string,
  others: string[],
  otherKeys: string[],
): string {
  const generic = `the sharing keys or traffic policies differ (key "${own}" vs ${otherKeys
    .map(k => `"${k}"`)
    .join(
      ', ',
    )}; externalTrafficPolicy Local needs identical selectors, and Cluster never shares with Local)`;
  if (own === '' || otherKeys.some(k => k !== own)) {
    return `the sharing keys differ (key "${own}" vs ${otherKeys
      .map(k => `"${k}"`)
      .join(', ')}); both need the same non-empty allow-shared-ip key`;
  }
  const mine = backendOf(facts.service);
  for (const name of others) {
    const other = facts.cluster.services.get(name);
    if (!other) continue;
    const theirs = backendOf(other);
    if (theirs.key === mine.key) continue;
    if (theirs.policy !== mine.policy) {
      return `the sharing keys match, but it uses externalTrafficPolicy ${mine.policy} and ${name} uses ${theirs.policy}; MetalLB shares an address between Local Services with identical selectors or between Cluster Services, never between Local and Cluster`;
    }
    return `the sharing keys match and both use externalTrafficPolicy Local, but their selectors differ (${
      mine.key || 'none'
    } vs ${
      theirs.key || 'none'
    }); Local Services share an address only when they select the same Pods`;
  }
  return generic;
}

/** ip-in-use and sharing-conflict. */
export const ipInUse: ServiceRule = facts => {
  const f = failure(facts, 'sharing-key', 'port-in-use');
  if (!f) return [];
  const own =
    metallbAnnotation(
      annotationsOf(facts.service),
      'allow-shared-ip',
      facts.cluster.features,
    )?.value ?? '';
  const others = f.detail.otherServices ?? [];
  const otherKeys = others.map(k => {
    const other = facts.cluster.services.get(k);
    return other
      ? metallbAnnotation(
          annotationsOf(other),
          'allow-shared-ip',
          facts.cluster.features,
        )?.value ?? ''
      : '';
  });
  const wantsSharing = own !== '' || otherKeys.some(k => k !== '');
  const group = [
    facts.service,
    ...others
      .map(k => facts.cluster.services.get(k))
      .filter((s): s is NonNullable<typeof s> => !!s),
  ];
  const fixes: Remediation[] = [...freeIpFixes(facts)];
  if (wantsSharing || f.kind === 'sharing-key') {
    fixes.push(
      fixSharingKeyRemediation(group, {
        sharingKey: own || otherKeys.find(k => k) || undefined,
        ips: f.detail.ip,
        annotationPrefix: annotationPrefix(facts.cluster),
        requestWithField: !facts.cluster.features.loadBalancerIPsAnnotation,
      }),
    );
  }
  if (!wantsSharing && f.kind === 'sharing-key') {
    return [
      finding(
        'ip-in-use',
        'error',
        `${describe(facts)} wants ${f.detail.ip}, which ${others.join(
          ', ',
        )} already holds and does not share. Pick a free IP, or let both Services share it with the same allow-shared-ip key.`,
        [f.message, ...eventEvidence(facts)],
        fixes,
      ),
    ];
  }
  const why =
    f.kind === 'port-in-use'
      ? `port ${f.detail.port} is already used on ${
          f.detail.ip
        } by ${others.join(', ')}`
      : sharingMismatch(facts, own, others, otherKeys);
  return [
    finding(
      'sharing-conflict',
      'error',
      `${describe(facts)} cannot share ${f.detail.ip} with ${others.join(
        ', ',
      )}: ${why}.`,
      [f.message, ...eventEvidence(facts)],
      fixes,
    ),
  ];
};

/**
 * Why a Service with a sharing key could not join an address already shared under that key
 * (metallb/metallb#2553: Services sharing key "global" fill the only address with traffic policy
 * Cluster, a Local Service then finds "no available IPs"). Empty when nothing explains it.
 */
function sharingBlockers(
  facts: ServiceFacts,
  pools: ReadonlyArray<{ name: string }>,
): string {
  const own =
    metallbAnnotation(
      annotationsOf(facts.service),
      'allow-shared-ip',
      facts.cluster.features,
    )?.value ?? '';
  if (own === '') return '';
  const names = new Set(pools.map(p => p.name));
  const mine = backendOf(facts.service);
  const blocked = new Map<string, string[]>();
  for (const [key, other] of facts.cluster.services) {
    if (key === facts.key) continue;
    const verdict = facts.cluster.verdicts.get(key);
    if (!verdict || verdict.ips.length === 0 || !verdict.pool) continue;
    if (!names.has(verdict.pool)) continue;
    const theirKey =
      metallbAnnotation(
        annotationsOf(other),
        'allow-shared-ip',
        facts.cluster.features,
      )?.value ?? '';
    if (theirKey !== own) continue;
    const theirs = backendOf(other);
    if (theirs.key === mine.key) continue;
    const reason =
      theirs.policy === mine.policy
        ? `externalTrafficPolicy Local with other selectors (${
            theirs.key || 'none'
          })`
        : `externalTrafficPolicy ${theirs.policy}`;
    for (const ip of verdict.ips)
      blocked.set(ip, [...(blocked.get(ip) ?? []), `${key}: ${reason}`]);
  }
  if (blocked.size === 0) return '';
  const list = [...blocked]
    .map(([ip, users]) => `${ip} (${users.join('; ')})`)
    .join(', ');
  return ` The addresses shared under its key "${own}" cannot take it: ${list}, while it uses externalTrafficPolicy ${
    mine.policy
  }${
    mine.policy === 'Local' ? ` with selector ${mine.key || 'none'}` : ''
  }. MetalLB shares an address only between Cluster Services or between Local Services with identical selectors.`;
}

/** pool-exhausted and no-pool-available for a Service that needs an IP. */
export const noAddress: ServiceRule = facts => {
  const f = failure(facts, 'pool-exhausted', 'no-available', 'no-pools');
  if (!f || facts.verdict.ips.length > 0) return [];
  const { cluster, service } = facts;
  if (f.kind === 'pool-exhausted') {
    return [
      finding(
        'pool-exhausted',
        'error',
        `Pool "${f.detail.pool}" has no free address left for ${describe(
          facts,
        )}.`,
        [f.message, ...eventEvidence(facts)],
        freeIpFixes(facts),
      ),
    ];
  }
  const subject = {
    namespace: service.metadata?.namespace ?? 'default',
    labels: labelsOf(service),
  };
  const candidates = cluster.config.pools.filter(
    p =>
      p.autoAssign &&
      (p.serviceAllocation === null ||
        ((p.serviceAllocation.namespaces.has(subject.namespace) ||
          p.serviceAllocation.serviceSelectors.length > 0) &&
          isPoolCompatible(p, subject))),
  );
  if (candidates.length > 0 && f.kind === 'no-available') {
    return [
      finding(
        'pool-exhausted',
        'error',
        `Every pool ${describe(facts)} may use automatically (${candidates
          .map(p => p.name)
          .join(', ')}) is full for its IP family.${sharingBlockers(
          facts,
          candidates,
        )}`,
        [f.message, ...eventEvidence(facts)],
        freeIpFixes(facts),
      ),
    ];
  }
  return [
    finding(
      'no-pool-available',
      'error',
      f.kind === 'no-pools'
        ? `MetalLB has no ${
            cluster.config.errors.length > 0 ? 'valid ' : ''
          }address pool${
            cluster.config.errors.length > 0
              ? ' (see the configuration errors)'
              : ' at all'
          }, so ${describe(
            facts,
          )} gets no IP (MetalLB clears it without an event).`
        : `No address pool may give ${describe(
            facts,
          )} an IP automatically: every pool has autoAssign off or a serviceAllocation that excludes it.`,
      [f.message, ...eventEvidence(facts)],
      freeIpFixes(facts),
    ),
  ];
};

/** class-unserved: a class nobody serves. */
export const classUnserved: ServiceRule = facts => {
  const { service, cluster, owners } = facts;
  if (
    cluster.snapshot.deployments === undefined &&
    cluster.snapshot.daemonSets === undefined
  )
    return [];
  const cls = service.spec?.loadBalancerClass;
  if (typeof cls === 'string' && cls !== '') {
    const served =
      cluster.installed.some(c => c.classes.includes(cls)) || owners.length > 0;
    if (served) return [];
    return [
      finding(
        'class-unserved',
        'error',
        `${describe(
          facts,
        )} has loadBalancerClass "${cls}", which no installed controller serves, so nothing gives it an IP. The class cannot be changed: recreate the Service with a served class${
          cluster.installed.length
            ? ` (${
                [...new Set(cluster.installed.flatMap(c => c.classes))].join(
                  ', ',
                ) || 'none declared'
              })`
            : ''
        } or none.`,
        [
          `spec.loadBalancerClass is "${cls}"`,
          ...cluster.installed.map(
            c => `${c.controller} serves ${c.classes.join(', ') || 'no class'}`,
          ),
        ],
        cluster.lbClass === null
          ? [
              setLoadBalancerClassRemediation(service, {
                loadBalancerClass: cls,
              }),
            ].slice(0, 0)
          : [],
      ),
    ];
  }
  if (cluster.lbClass && owners.length === 0) {
    return [
      finding(
        'class-unserved',
        'error',
        `${describe(
          facts,
        )} has no loadBalancerClass, but MetalLB runs with --lb-class=${
          cluster.lbClass
        } and only serves that class; no other installed controller takes class-less Services. Recreate it with loadBalancerClass "${
          cluster.lbClass
        }".`,
        [
          `MetalLB --lb-class=${cluster.lbClass}`,
          'spec.loadBalancerClass is not set',
        ],
        [
          setLoadBalancerClassRemediation(service, {
            loadBalancerClass: cluster.lbClass,
            controller: 'metallb',
          }),
        ],
      ),
    ];
  }
  return [];
};

/** ingress-mismatch: status IPs differ from the request. */
export const ingressMismatch: ServiceRule = facts => {
  const { verdict } = facts;
  if (verdict.desired.kind !== 'ips' || verdict.currentIps.length === 0)
    return [];
  const wanted = verdict.desired.ips.map(formatIp).sort();
  const current = [...verdict.currentIps].sort();
  if (
    wanted.length === current.length &&
    wanted.every((ip, i) => ip === current[i])
  )
    return [];
  const fixedNext =
    verdict.ips.length > 0 && [...verdict.ips].sort().join() === wanted.join();
  let after = '';
  if (verdict.handled) {
    after = fixedNext
      ? ' MetalLB will assign the requested IP at its next reconcile.'
      : ' MetalLB cannot assign the requested IP (see the other findings).';
  }
  return [
    finding(
      'ingress-mismatch',
      'warning',
      `${describe(facts)} asks for ${wanted.join(
        ', ',
      )} but its status shows ${current.join(', ')}.${after}`,
      [
        `requested ${wanted.join(', ')}`,
        `status.loadBalancer.ingress holds ${current.join(', ')}`,
      ],
    ),
  ];
};

/** dual-stack-oscillation: METALLB.md §8. */
export const dualStackOscillation: ServiceRule = facts => {
  const { service, verdict, cluster } = facts;
  if (
    !verdict.handled ||
    service.spec?.ipFamilyPolicy !== 'PreferDualStack' ||
    !cluster.features.preferDualStack
  )
    return [];
  if (clusterIpsOf(service).length !== 1) return [];
  const holding = verdict.ips.length > 0 ? verdict.ips : verdict.currentIps;
  const pool = verdict.pool
    ? poolNamed(cluster.config.pools, verdict.pool)
    : undefined;
  if (!pool || new Set(pool.cidrs.map(c => c.family)).size < 2) return [];
  return [
    finding(
      'dual-stack-oscillation',
      'warning',
      `${describe(
        facts,
      )} is PreferDualStack with a single cluster IP, and its pool "${
        pool.name
      }" has both families: MetalLB adds a second IP at one reconcile and removes it at the next, for ever. Make the Service SingleStack, or give it dual-stack cluster IPs.`,
      [
        `ipFamilyPolicy PreferDualStack`,
        `one cluster IP ${clusterIpsOf(service)[0]}`,
        `pool ${pool.name} has IPv4 and IPv6`,
        `IPs now ${holding.join(', ') || 'none'}`,
      ],
    ),
  ];
};

/** deprecated-annotation. */
export const deprecatedAnnotation: ServiceRule = facts => {
  if (!facts.cluster.features.metallbIoPrefix) return [];
  const keys = Object.keys(annotationsOf(facts.service))
    .filter(
      k =>
        k.startsWith(`${DEPRECATED_METALLB_PREFIX}/`) &&
        !k.endsWith('/ip-allocated-from-pool'),
    )
    .sort();
  if (keys.length === 0) return [];
  return [
    finding(
      'deprecated-annotation',
      'info',
      `${describe(facts)} uses ${keys.join(
        ', ',
      )}; the metallb.universe.tf/ prefix is deprecated since MetalLB 0.14.9 and may be dropped. Rename to metallb.io/.`,
      keys.map(k => `annotation ${k}`),
      facts.service.spec?.loadBalancerIP
        ? []
        : [
            moveToAnnotationRemediation(facts.service, {
              annotationPrefix: 'metallb.io/',
            }),
          ].filter(r => !!r.yaml),
    ),
  ];
};

/** pool-not-advertised. */
export const poolNotAdvertised: ServiceRule = facts => {
  const { verdict, cluster } = facts;
  if (!verdict.pool || verdict.ips.length === 0) return [];
  const pool = poolNamed(cluster.config.pools, verdict.pool);
  if (!pool?.advertised || pool.advertised.l2 || pool.advertised.bgp) return [];
  return [
    finding(
      'pool-not-advertised',
      'warning',
      `${describe(facts)} gets ${verdict.ips.join(', ')} from pool "${
        pool.name
      }", but no L2Advertisement or BGPAdvertisement selects that pool: the IP is assigned and nobody answers for it.`,
      [`pool ${pool.name} is selected by no advertisement`],
    ),
  ];
};

/** pending-service: no IP and nothing more specific. */
export const pendingService: ServiceRule = facts => {
  const { verdict, service, owners } = facts;
  const ingress = service.status?.loadBalancer?.ingress;
  const hasIngress = Array.isArray(ingress) && ingress.length > 0;
  if (
    verdict.handled &&
    verdict.outcome !== 'fail' &&
    verdict.outcome !== 'clear' &&
    verdict.outcome !== 'unknown'
  )
    return [];
  if (!verdict.handled && (hasIngress || owners.length > 0)) return [];
  if (verdict.handled && verdict.ips.length > 0) return [];
  return [
    finding(
      'pending-service',
      'warning',
      verdict.handled
        ? `${describe(facts)} ${
            verdict.outcome === 'clear'
              ? "loses its external IP at MetalLB's next reconcile"
              : 'has no external IP'
          }${
            verdict.outcome === 'unknown'
              ? " and MetalLB's pools were not read, so the cause is unknown"
              : ''
          }.`
        : `${describe(
            facts,
          )} has no external IP and no known controller serves it.`,
      hasIngress ? [] : ['status.loadBalancer.ingress is empty'],
    ),
  ];
};

/** metallb-known-bug: bugs of the running release that hit this Service. */
export const metallbKnownBug: ServiceRule = facts => {
  const { cluster, verdict, service } = facts;
  if (!verdict.handled || !cluster.versionKnown) return [];
  const features = cluster.features;
  const version = features.version;
  const results: Finding[] = [];
  if (
    !features.preferDualStack &&
    service.spec?.ipFamilyPolicy === 'PreferDualStack' &&
    verdict.ips.length === 0
  ) {
    results.push(
      finding(
        'metallb-known-bug',
        'warning',
        `MetalLB ${version} treats PreferDualStack as RequireDualStack, so ${describe(
          facts,
        )} stays without an IP when no pool has both families. Fixed in MetalLB 0.14.9.`,
        [`MetalLB ${version}`, 'ipFamilyPolicy PreferDualStack'],
      ),
    );
  }
  if (
    !features.singleClusterIPPreferDualStackFixed &&
    service.spec?.ipFamilyPolicy === 'PreferDualStack' &&
    clusterIpsOf(service).length === 1 &&
    verdict.ips.length === 2
  ) {
    results.push(
      finding(
        'metallb-known-bug',
        'warning',
        `MetalLB ${version} gives ${describe(
          facts,
        )}, which has a single cluster IP, IPs of both families; they get reshuffled when other Services are deleted. Fixed in MetalLB 0.15.0.`,
        [`MetalLB ${version}`, `IPs ${verdict.ips.join(', ')}`],
      ),
    );
  }
  if (verdict.staleConfig) {
    results.push(
      finding(
        'metallb-known-bug',
        'error',
        `MetalLB ${version} rejects the new pool configuration because it would take away IPs in use, and keeps running the old one: pool changes do not take effect. Fixed in MetalLB 0.14.2.`,
        verdict.notes,
      ),
    );
  }
  return results;
};

/** The per-Service rules, in the order they run. */
export const SERVICE_RULES: readonly ServiceRule[] = [
  controllerContention,
  writeLoop,
  conflictingIpRequests,
  classUnserved,
  unknownAddressPool,
  ipNotInAnyPool,
  poolNotAllowed,
  ipNotInRequestedPool,
  ipFamilyMismatch,
  ipInUse,
  noAddress,
  dualStackOscillation,
  metallbKnownBug,
  ingressMismatch,
  pendingService,
  poolNotAdvertised,
  deprecatedLoadBalancerIp,
  deprecatedAnnotation,
];

export { poolFor, labelsOf };
