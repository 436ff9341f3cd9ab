import type { Service } from '../../model/kubernetes';
import type { Owner } from '../../model/report';
import type { OwnershipContext, OwnershipDetector } from '../types';
import { describeWriter, managedFieldsOf } from '../managedFields';
import { isLoadBalancerWriter, isUserTool, recognizeWriter } from '../managers';

/** Names that many unrelated binaries share; they never identify a controller on their own. */
const AMBIGUOUS = new Set([
  '',
  'controller',
  'manager',
  'operator',
  'unknown',
  'allocator',
]);

function describe(manager: string): string {
  if (manager === 'unknown')
    return 'a client that sent no User-Agent, e.g. a kube-rs controller';
  return 'a name many binaries share; no other mark on the Service identifies it';
}

/**
 * A writer of status.loadBalancer.ingress or spec.loadBalancerIP that no known controller claims and
 * that is not a person's or GitOps tool's client: something reconciles this Service that the engine
 * cannot name.
 * @public
 */
export const unknownDetector: OwnershipDetector = {
  id: 'unknown',
  detect(service: Service, context: OwnershipContext): Owner | undefined {
    const evidence: string[] = [];
    for (const writer of managedFieldsOf(service)) {
      if (!isLoadBalancerWriter(writer) || isUserTool(writer.manager)) continue;
      if (recognizeWriter(writer, service, context)) continue;
      const line = describeWriter(writer);
      evidence.push(
        AMBIGUOUS.has(writer.manager)
          ? `${line} (${describe(writer.manager)})`
          : line,
      );
    }
    return evidence.length > 0
      ? { controller: 'unknown', evidence: [...new Set(evidence)] }
      : undefined;
  },
};
