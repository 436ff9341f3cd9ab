import {
  formatInputProblem,
  type ClusterReport,
  type Finding,
  type FleetReport,
  type MetallbReport,
  type PoolReport,
  type ServiceReport,
} from '@lb-doctor/plugin-metallb-common';
import type { FormatContext } from './context';
import { bySeverity, serviceRef, topRule } from './findings';
import { cell, truncate, wrap } from './text';

/** Terminal width the table must fit; wider terminals still read it fine. */
export const TABLE_WIDTH = 80;
const DETAIL_INDENT = ' '.repeat(10);

interface Column {
  header: string;
  /**
   * Narrowest the column may be squeezed to; `undefined` for columns never squeezed: status and
   * outcome are short words, and rule ids are what users grep for (the longest has 27 characters).
   */
  min?: number;
  value(service: ServiceReport): string;
}

// With the widest fixed values the minimums add up to exactly 80 columns, so a row always fits.
const COLUMNS: Column[] = [
  { header: 'STATUS', value: s => s.status },
  { header: 'SERVICE', min: 13, value: serviceRef },
  { header: 'OUTCOME', value: s => s.metallb.outcome },
  // 15 keeps one IPv4 address whole.
  { header: 'IPS', min: 15, value: s => s.metallb.ips.join(',') || '-' },
  {
    header: 'OWNERS',
    min: 6,
    value: s => s.owners.map(o => o.controller).join(',') || '-',
  },
  { header: 'RULE', value: s => topRule(s) ?? '-' },
];

/** A human-readable summary: per cluster a line, its Services, then findings with fixes. */
export function formatTable(
  report: FleetReport,
  context: FormatContext,
): string {
  const lines: string[] = [];
  report.clusters.forEach((cluster, index) => {
    if (index > 0) lines.push('');
    lines.push(...clusterSection(cluster));
  });
  if (report.findings.length > 0) {
    lines.push('', 'FLEET FINDINGS');
    for (const finding of bySeverity(report.findings))
      lines.push(...findingLines(finding, 'fleet'));
  }
  if (context.problems.length > 0) {
    lines.push('', 'INPUT WARNINGS');
    for (const problem of context.problems) {
      lines.push(...wrap(formatInputProblem(problem), TABLE_WIDTH, '  '));
    }
  }
  return `${lines.map(l => l.trimEnd()).join('\n')}\n`;
}

function clusterSection(cluster: ClusterReport): string[] {
  const { summary } = cluster;
  const counts = (['ok', 'info', 'warning', 'error'] as const)
    .filter(k => summary[k] > 0)
    .map(k => `${summary[k]} ${k}`);
  const head = `CLUSTER ${cluster.name}: ${summary.services} Services${
    counts.length ? ` (${counts.join(', ')})` : ''
  }; ${describeMetallb(cluster.metallb)}`;
  const lines = [truncate(head, TABLE_WIDTH)];
  if (cluster.metallb.pools.length > 0) {
    lines.push(
      truncate(
        `  pools: ${cluster.metallb.pools.map(describePool).join(', ')}`,
        TABLE_WIDTH,
      ),
    );
  }
  lines.push('');
  if (cluster.services.length === 0) lines.push('  (no Services)');
  else lines.push(...serviceTable(cluster.services));

  const findings = [
    ...bySeverity(cluster.findings).map(f => findingLines(f, 'cluster')),
    ...cluster.services.flatMap(s =>
      bySeverity(s.findings).map(f => findingLines(f, serviceRef(s))),
    ),
  ];
  if (findings.length > 0) lines.push('', 'FINDINGS', ...findings.flat());
  return lines;
}

function serviceTable(services: readonly ServiceReport[]): string[] {
  const rows = services.map(s => COLUMNS.map(c => c.value(s)));
  const widths = fitWidths(
    COLUMNS.map((c, i) =>
      Math.max(c.header.length, ...rows.map(r => r[i].length)),
    ),
  );
  const render = (values: string[]) =>
    values.map((v, i) => cell(v, widths[i])).join(' ');
  return [render(COLUMNS.map(c => c.header)), ...rows.map(render)];
}

/**
 * Shrinks the widest squeezable column one step at a time until the row fits, so that one long
 * value (an IPv6 address, a long Service name) does not push every other column off screen.
 */
function fitWidths(natural: number[]): number[] {
  const widths = [...natural];
  const floor = natural.map((w, i) => Math.min(w, COLUMNS[i].min ?? w));
  const total = () => widths.reduce((a, b) => a + b, 0) + widths.length - 1;
  while (total() > TABLE_WIDTH) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (
        w > floor[i] &&
        (widest < 0 || w - floor[i] > widths[widest] - floor[widest])
      )
        widest = i;
    });
    if (widest < 0) break;
    widths[widest]--;
  }
  return widths;
}

function findingLines(finding: Finding, target: string): string[] {
  return [
    truncate(
      `  ${finding.severity.padEnd(7)} ${finding.rule} ${target}`,
      TABLE_WIDTH,
    ),
    ...wrap(finding.message, TABLE_WIDTH, DETAIL_INDENT),
    ...finding.remediations.flatMap(r =>
      wrap(`fix: ${r.title}`, TABLE_WIDTH, DETAIL_INDENT),
    ),
  ];
}

function describeMetallb(metallb: MetallbReport): string {
  if (metallb.installed === false) return 'MetalLB not installed';
  const version = metallb.version ?? `${metallb.assumedVersion} (assumed)`;
  const installed =
    metallb.installed === null
      ? 'MetalLB install unknown, modelled as'
      : 'MetalLB';
  const lbClass = metallb.lbClass ? `, lb-class ${metallb.lbClass}` : '';
  return `${installed} ${version}${lbClass}`;
}

function describePool(pool: PoolReport): string {
  const families: string[] = [];
  const { ipv4, ipv6 } = pool.capacity;
  if (ipv4 !== 0 || ipv6 === 0) families.push(`${pool.used.ipv4}/${ipv4}`);
  if (ipv6 !== 0) families.push(`${pool.used.ipv6}/${ipv6}`);
  return `${pool.name} ${families.join('+')}`;
}
