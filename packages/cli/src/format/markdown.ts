import {
  formatInputProblem,
  type ClusterReport,
  type Finding,
  type FleetReport,
  type ServiceReport,
  type ServiceStatus,
} from '@lb-doctor/plugin-metallb-common';
import type { FormatContext } from './context';
import { bySeverity, serviceRef, topRule } from './findings';

const ICON: Record<ServiceStatus, string> = {
  ok: '✅',
  info: 'ℹ️',
  warning: '⚠️',
  error: '❌',
};

/**
 * A pull-request comment: a summary table up front, then per cluster the Services needing attention
 * and each finding collapsed in `<details>` with its remediation, so a clean run stays short.
 */
export function formatMarkdown(
  report: FleetReport,
  context: FormatContext,
): string {
  const out: string[] = ['## LB Doctor report', ''];
  out.push('| Cluster | Services | OK | Info | Warning | Error |');
  out.push('|---|--:|--:|--:|--:|--:|');
  for (const { name, summary: s } of report.clusters) {
    out.push(
      `| ${code(name)} | ${s.services} | ${s.ok} | ${s.info} | ${s.warning} | ${
        s.error
      } |`,
    );
  }
  out.push('');
  if (report.findings.length > 0) {
    out.push('### Fleet findings', '');
    for (const finding of bySeverity(report.findings))
      out.push(...details(finding, 'fleet'));
  }
  for (const cluster of report.clusters) out.push(...clusterSection(cluster));
  if (context.problems.length > 0) {
    out.push('### Input warnings', '');
    for (const problem of context.problems)
      out.push(`- ${inline(formatInputProblem(problem))}`);
    out.push('');
  }
  out.push(`<sub>lb-doctor ${escapeHtml(context.version)}</sub>`);
  return `${out.join('\n')}\n`;
}

function clusterSection(cluster: ClusterReport): string[] {
  const out = [`### Cluster ${code(cluster.name)}`, ''];
  const flagged = cluster.services.filter(s => s.status !== 'ok');
  const clean = cluster.services.filter(s => s.status === 'ok');
  if (flagged.length > 0) out.push(...serviceTable(flagged), '');
  if (clean.length > 0) {
    out.push(
      `<details><summary>${clean.length} Service(s) without findings</summary>`,
      '',
    );
    out.push(...serviceTable(clean), '', '</details>', '');
  }
  if (cluster.services.length === 0) out.push('No Services.', '');
  const findings = [
    ...bySeverity(cluster.findings).map(f => details(f, 'cluster')),
    ...flagged.flatMap(s =>
      bySeverity(s.findings).map(f => details(f, serviceRef(s))),
    ),
  ];
  if (findings.length > 0) out.push('#### Findings', '', ...findings.flat());
  return out;
}

function serviceTable(services: readonly ServiceReport[]): string[] {
  return [
    '| Status | Service | MetalLB | IPs | Owners | Top finding |',
    '|---|---|---|---|---|---|',
    ...services.map(s => {
      const ips = s.metallb.ips.length
        ? s.metallb.ips.map(code).join(', ')
        : '—';
      const owners = s.owners.map(o => o.controller).join(', ') || '—';
      const rule = topRule(s);
      return `| ${ICON[s.status]} ${s.status} | ${code(serviceRef(s))} | ${
        s.metallb.outcome
      } | ${ips} | ${cellText(owners)} | ${rule ? code(rule) : '—'} |`;
    }),
  ];
}

function details(finding: Finding, target: string): string[] {
  const summary = `${ICON[finding.severity]} <code>${escapeHtml(
    finding.rule,
  )}</code> ${escapeHtml(target)}: ${escapeHtml(finding.message)}`;
  // Nothing to expand: an empty <details> would only make the reader click for nothing.
  if (finding.evidence.length === 0 && finding.remediations.length === 0) {
    return [`- ${summary.replace(/\n/g, ' ')}`, ''];
  }
  const out = ['<details>', `<summary>${summary}</summary>`, ''];
  if (finding.evidence.length > 0) {
    out.push(
      'Evidence:',
      '',
      ...finding.evidence.map(e => `- ${inline(e)}`),
      '',
    );
  }
  for (const remedy of finding.remediations) {
    out.push(
      `**Fix: ${inline(remedy.title)}**`,
      '',
      inline(remedy.description),
      '',
    );
    if (remedy.yaml) out.push(...fence(remedy.yaml, 'yaml'), '');
    if (remedy.commands?.length)
      out.push(...fence(remedy.commands.join('\n'), 'sh'), '');
  }
  out.push('</details>', '');
  return out;
}

/** A fenced block whose fence is longer than any backtick run inside, so content cannot close it. */
function fence(text: string, language: string): string[] {
  const longest = Math.max(
    2,
    ...(text.match(/`+/g) ?? []).map(run => run.length),
  );
  const marks = '`'.repeat(longest + 1);
  return [`${marks}${language}`, text.replace(/\n$/, ''), marks];
}

/** Inline code that survives backticks and pipes in the value (Service names cannot have them, messages can). */
function code(text: string): string {
  return `<code>${escapeHtml(text).replace(/\|/g, '&#124;')}</code>`;
}

function cellText(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Text outside tables: keep it on one line and inert (no HTML from input reaches the comment). */
function inline(text: string): string {
  return escapeHtml(text).replace(/\n/g, ' ');
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
