import type { Owner } from '../model/report';

/*
 * The evidence vocabulary. Detectors phrase their facts with these prefixes so that owners can be
 * ranked by the kind of fact behind them (a class or a write on the Service outweighs an installation
 * that merely could act). Evidence from third-party detectors in other words ranks as "other".
 */

const STRENGTH: Array<[RegExp, number]> = [
  [/^spec\.loadBalancerClass is /, 5],
  [/^managedFields: /, 4],
  [/^finalizer /, 4],
  [/^Event /, 3],
  [/^(annotation|label) /, 3],
  [/^status\./, 3],
  [/^[A-Z][A-Za-z0-9]+ \S/, 3],
  [/^installed /, 1],
];

/** How much one evidence line weighs: 5 class, 4 write on the Service, 3 other mark, 2 other, 1 installation. @public */
export function evidenceStrength(line: string): number {
  for (const [pattern, weight] of STRENGTH)
    if (pattern.test(line)) return weight;
  return 2;
}

/** The total weight of an owner's evidence. @public */
export function ownerStrength(owner: Owner): number {
  return owner.evidence.reduce((sum, line) => sum + evidenceStrength(line), 0);
}

/** Evidence with duplicates removed, first occurrence kept. @internal */
export function uniqueEvidence(lines: readonly string[]): string[] {
  // Detectors produce a handful of lines, usually distinct: check that before building a Set.
  if (lines.length <= 8) {
    let plain = true;
    for (let i = 0; plain && i < lines.length; i++) {
      const line = lines[i];
      if (typeof line !== 'string' || line === '') plain = false;
      for (let j = 0; plain && j < i; j++) if (lines[j] === line) plain = false;
    }
    if (plain) return lines.slice();
  }
  return [
    ...new Set(lines.filter(line => typeof line === 'string' && line !== '')),
  ];
}

/** The manager names quoted in managedFields evidence lines (`manager "x"`). @internal */
export function managersNamedIn(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const match = /^managedFields: manager "([^"]*)"/.exec(line);
    if (match) out.push(match[1]);
  }
  return out;
}
