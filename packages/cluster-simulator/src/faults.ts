import { FaultSpec } from './types';

/** mulberry32: a tiny seeded PRNG, so probabilistic faults repeat run after run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A path pattern: `^...` is a regular expression, anything else a glob where `*` spans one segment and `**` any. */
export function compilePathPattern(pattern: string): RegExp {
  if (pattern.startsWith('^')) return new RegExp(pattern);
  const escaped = pattern
    .split('**')
    .map(part =>
      part
        .split('*')
        .map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

export interface FaultDecision {
  latencyMs: number;
  status?: number;
  drop: boolean;
  truncate: boolean;
}

/** Decides, per request, which configured faults apply. Deterministic for a given seed and request order. */
export class FaultInjector {
  private readonly compiled: Array<{
    spec: FaultSpec;
    re: RegExp;
    seen: number;
    random: () => number;
  }>;

  constructor(faults: FaultSpec[], seed: number) {
    this.compiled = faults.map((spec, i) => ({
      spec,
      re: compilePathPattern(spec.path),
      seen: 0,
      random: seededRandom(seed + i * 7919),
    }));
  }

  decide(path: string): FaultDecision {
    const d: FaultDecision = { latencyMs: 0, drop: false, truncate: false };
    for (const f of this.compiled) {
      if (!f.re.test(path)) continue;
      f.seen += 1;
      const nth = f.spec.everyNth ?? 1;
      if (nth > 1 && f.seen % nth !== 0) continue;
      const p = f.spec.probability ?? 1;
      if (p < 1 && f.random() >= p) continue;
      d.latencyMs += f.spec.latencyMs ?? 0;
      if (f.spec.status && !d.status) d.status = f.spec.status;
      if (f.spec.drop) d.drop = true;
      if (f.spec.truncate) d.truncate = true;
    }
    return d;
  }
}
