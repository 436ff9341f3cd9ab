import type { FleetReportItem } from '@lb-doctor/plugin-metallb-node';

const COLUMNS = [
  'cluster',
  'namespace',
  'name',
  'status',
  'ingress',
  'requested',
  'owners',
  'metallb',
  'rules',
  'messages',
  'entities',
] as const;

function row(item: FleetReportItem): Record<(typeof COLUMNS)[number], string> {
  return {
    cluster: item.cluster,
    namespace: item.namespace,
    name: item.name,
    status: item.status,
    ingress: item.ingress.join(' '),
    requested: item.requested.map(r => r.value).join(' '),
    owners: item.owners.map(o => o.controller).join(' '),
    metallb: item.metallb.outcome,
    rules: item.findings.map(f => f.rule).join(' '),
    messages: item.findings.map(f => f.message).join(' | '),
    entities: item.entityRefs.join(' '),
  };
}

/** RFC 4180 quoting; a leading formula character is neutralised so spreadsheets do not run it. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(items: FleetReportItem[]): string {
  const lines = [COLUMNS.join(',')];
  for (const item of items) {
    const r = row(item);
    lines.push(COLUMNS.map(c => csvCell(r[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function mdCell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ') || ' ';
}

export function toMarkdown(items: FleetReportItem[]): string {
  const header = [
    'Cluster',
    'Service',
    'Status',
    'Ingress',
    'Owners',
    'Entities',
    'Findings',
  ];
  const lines = [
    '# LoadBalancer report',
    '',
    `${items.length} Service(s).`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
  ];
  for (const item of items) {
    const r = row(item);
    lines.push(
      `| ${[
        r.cluster,
        `${r.namespace}/${r.name}`,
        r.status,
        r.ingress,
        r.owners,
        r.entities,
        item.findings
          .map(f => `${f.severity} ${f.rule}: ${f.message}`)
          .join('<br>'),
      ]
        .map(mdCell)
        .join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
