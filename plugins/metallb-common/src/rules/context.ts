import type { Allocator } from '../metallb/allocator';
import type { MetallbConfig } from '../metallb/config';
import type { MetallbInstall } from '../metallb/install';
import type { ServiceVerdict } from '../metallb/reconcile';
import type { MetallbFeatures } from '../metallb/version';
import type { KubeEvent, Service } from '../model/kubernetes';
import type { Finding, Owner, RuleId, Severity } from '../model/report';
import type { ClusterSnapshot } from '../model/snapshot';
import type { InstalledController } from '../ownership/types';

/** Everything the cluster-level analysis knows, shared by all rules. */
export interface ClusterFacts {
  snapshot: ClusterSnapshot;
  install: MetallbInstall;
  features: MetallbFeatures;
  /** Whether the version was read from the cluster (else assumed). */
  versionKnown: boolean;
  config: MetallbConfig;
  lbClass: string | null;
  installed: InstalledController[];
  verdicts: Map<string, ServiceVerdict>;
  allocator: Allocator;
  services: Map<string, Service>;
}

/** What a per-Service rule sees. */
export interface ServiceFacts {
  key: string;
  service: Service;
  verdict: ServiceVerdict;
  owners: Owner[];
  events: KubeEvent[];
  cluster: ClusterFacts;
}

/** Builds a finding with sorted, de-duplicated evidence. */
export function finding(
  rule: RuleId,
  severity: Severity,
  message: string,
  evidence: string[],
  remediations: Finding['remediations'] = [],
): Finding {
  return {
    rule,
    severity,
    message,
    evidence: [...new Set(evidence)],
    remediations,
  };
}
