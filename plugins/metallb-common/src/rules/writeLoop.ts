import type { KubeEvent } from '../model/kubernetes';
import type { Finding } from '../model/report';
import {
  eventComponent,
  isUserTool,
  managedFieldsOf,
  ownsField,
} from '../ownership';
import { contentionFixes } from './fixes';
import { ServiceFacts, finding } from './context';

/** Event reasons that, repeated, show a Service being rewritten. */
const WRITE_REASONS = new Set([
  'ClearAssignment',
  'IPAllocated',
  'UpdatedLoadBalancer',
  'LoadbalancerIP',
]);

/**
 * MetalLB retries a Service it cannot serve and repeats AllocationFailed without writing anything;
 * those repeats only mean a loop when another controller keeps changing the Service.
 */
const RETRY_REASONS = new Set(['AllocationFailed', 'LoadBalancerFailed']);

/** client-go's EventSourceObjectSpamFilter burst (defaultSpamBurst). */
const SPAM_BURST = 25;

/** How often an event repeated, and over how long. */
function repetition(event: KubeEvent): {
  count: number;
  minutes: number | null;
} {
  const count =
    typeof event.count === 'number' && event.count > 0 ? event.count : 1;
  const first = Date.parse(
    String(event.firstTimestamp ?? event.eventTime ?? ''),
  );
  const last = Date.parse(String(event.lastTimestamp ?? event.eventTime ?? ''));
  const minutes =
    Number.isFinite(first) && Number.isFinite(last) && last > first
      ? (last - first) / 60000
      : null;
  return { count, minutes };
}

/** Writes per minute, rounded for people. */
function rate(count: number, minutes: number | null): string {
  if (minutes === null || minutes <= 0) return `${count} times`;
  const perMinute = count / minutes;
  let span = `${(minutes / 60).toFixed(1)} h`;
  if (minutes < 1) span = `${Math.round(minutes * 60)} s`;
  else if (minutes < 90) span = `${Math.round(minutes)} min`;
  return `${count} times in ${span} (${
    perMinute >= 10 ? Math.round(perMinute) : perMinute.toFixed(1)
  } writes/min)`;
}

/**
 * write-loop: the Service is rewritten again and again. Evidence, strongest first: repeated
 * MetalLB (or other controller) events; several controllers' managedFields entries on the
 * Service's load-balancer status written close together; and MetalLB's own predicted move of
 * removing an IP another controller keeps writing back.
 */
export function writeLoopFinding(facts: ServiceFacts): Finding | undefined {
  const evidence: string[] = [];
  let measured: string | undefined;
  let repeats = 0;
  for (const event of facts.events) {
    const reason = typeof event.reason === 'string' ? event.reason : '';
    const foreignWriter = facts.owners.some(o => o.controller !== 'metallb');
    if (
      !WRITE_REASONS.has(reason) &&
      !(foreignWriter && RETRY_REASONS.has(reason))
    )
      continue;
    const { count, minutes } = repetition(event);
    if (count < 3) continue;
    repeats += count;
    const text = `Event ${reason} from ${
      eventComponent(event) ?? 'unknown source'
    } seen ${rate(count, minutes)}`;
    evidence.push(text);
    if (!measured && minutes) measured = rate(count, minutes);
  }
  // client-go's event recorder (MetalLB's) lets 25 Events per object and type through, then one
  // per 5 minutes: seen on the real v0.16.1 controller, 13 IPAllocated + 12 ClearAssignment Events
  // while it rewrote the Service 120 times. So Events only bound the rate from below.
  const perType = new Map<string, number>();
  for (const event of facts.events) {
    const key = `${eventComponent(event) ?? ''}\n${event.type ?? ''}`;
    const { count } = repetition(event);
    perType.set(key, (perType.get(key) ?? 0) + count);
  }
  if (measured && [...perType.values()].some(n => n >= SPAM_BURST)) {
    measured = `at least ${measured}`;
    evidence.push(
      `Events undercount the writes: the event recorder passes ${SPAM_BURST} Events per Service and type, then about one per 5 minutes`,
    );
  }
  const flapping = new Set<string>();
  for (const writer of managedFieldsOf(facts.service)) {
    if (!writer.manager || isUserTool(writer.manager)) continue;
    if (
      ownsField(writer, 'status', 'loadBalancer') ||
      ownsField(writer, 'spec', 'loadBalancerIP')
    ) {
      flapping.add(
        `${writer.manager}${writer.time ? ` at ${writer.time}` : ''}`,
      );
    }
  }
  if (flapping.size >= 2) {
    evidence.push(
      `managedFields: ${[...flapping].join(
        ' and ',
      )} each wrote the load-balancer fields`,
    );
  }
  const foreign = facts.owners.filter(o => o.controller !== 'metallb');
  const predicted =
    facts.verdict.handled &&
    foreign.length > 0 &&
    facts.verdict.failures.some(
      f =>
        f.stage === 'revalidate' ||
        (f.stage === 'request' && f.kind === 'not-in-pool'),
    );
  if (predicted) {
    evidence.push(
      `MetalLB's next reconcile ${
        facts.verdict.outcome === 'assign'
          ? `replaces ${facts.verdict.currentIps.join(
              ', ',
            )} with ${facts.verdict.ips.join(', ')}`
          : 'removes the IP'
      } that ${foreign.map(o => o.controller).join(', ')} writes`,
    );
  }
  // MetalLB writes a bare [{ip}] status; another controller that adds fields (kube-vip's ports)
  // writes them back, and MetalLB strips them again.
  const ingress = facts.service.status?.loadBalancer?.ingress;
  const reshaped =
    facts.verdict.handled &&
    facts.verdict.writes &&
    facts.verdict.outcome === 'keep' &&
    foreign.length > 0 &&
    Array.isArray(ingress) &&
    ingress.some(
      entry =>
        entry &&
        typeof entry === 'object' &&
        Object.keys(entry).some(
          k => k !== 'ip' && !(k === 'ipMode' && entry.ipMode === 'VIP'),
        ),
    );
  if (reshaped) {
    evidence.push(
      `MetalLB rewrites status.loadBalancer.ingress as bare IPs, dropping the fields ${foreign
        .map(o => o.controller)
        .join(', ')} added`,
    );
  }
  const observed = repeats >= 3 || flapping.size >= 2;
  if (!observed && !predicted && !reshaped) return undefined;
  const message = observed
    ? `${`Service ${facts.key}`} is being rewritten in a loop${
        measured ? `: ${measured}` : ''
      }. Each write also loads the API server and etcd. Stop it by giving the Service a single owner.`
    : `Service ${
        facts.key
      } will be rewritten in a loop: MetalLB removes what ${foreign
        .map(o => o.controller)
        .join(
          ', ',
        )} writes, and it writes it back. Give the Service a single owner.`;
  const fixes =
    foreign.length > 0 && facts.verdict.handled
      ? contentionFixes(facts.service, foreign[0], facts.cluster)
      : [];
  return finding('write-loop', 'error', message, evidence, fixes);
}
