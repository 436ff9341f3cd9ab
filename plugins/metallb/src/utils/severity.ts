import {
  RULES,
  type RuleDescriptor,
  type RuleId,
  type ServiceStatus,
} from '@lb-doctor/plugin-metallb-common';

const RANK: Record<ServiceStatus, number> = {
  error: 0,
  warning: 1,
  info: 2,
  ok: 3,
};

/** Sorts worst first; a newer backend may send a status this UI does not know, which sorts last. */
export function compareSeverity(a: ServiceStatus, b: ServiceStatus): number {
  return (RANK[a] ?? 9) - (RANK[b] ?? 9);
}

const RULES_BY_ID = new Map<string, RuleDescriptor>(RULES.map(r => [r.id, r]));

/**
 * The catalog entry of a rule. Looked up defensively: the backend may run a newer engine with
 * rules this bundle does not know yet, and the UI must still show the finding.
 */
export function describeRule(rule: RuleId | string): {
  title: string;
  description?: string;
} {
  const found = RULES_BY_ID.get(rule);
  return found
    ? { title: found.title, description: found.description }
    : { title: rule };
}
