/**
 * The funnel report as people read it: a text table, CSV (one row per group and step) and a self-contained HTML page
 * with an inline SVG bar chart (no script, no stylesheet or font from elsewhere).
 */
import type { FunnelReport } from '../../../shared/api/observability';
import { formatCsv } from '../cli/csv';
import { FUNNEL_STAGE_LABELS, type FunnelStage } from './funnel';

type Stats = FunnelReport['total'][number];

const label = (stage: string): string => FUNNEL_STAGE_LABELS[stage as FunnelStage] ?? stage;
const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

/** Seconds as people say them: 45s, 12m, 3.5h, 2.0d. */
export function humanDuration(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86_400).toFixed(1)}d`;
}

function textTable(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function stageRows(stages: readonly Stats[]): string[][] {
  return [
    ['STEP', 'REACHED', 'CONVERSION', 'DROP-OFF', 'MEDIAN', 'P90'],
    ...stages.map((s) => [
      label(s.stage),
      String(s.count),
      pct(s.conversion),
      String(s.dropOff),
      humanDuration(s.medianSecondsFromPrevious),
      humanDuration(s.p90SecondsFromPrevious),
    ]),
  ];
}

const deadlineLine = (r: FunnelReport): string =>
  `About to hit a deadline in the next ${humanDuration(r.deadlines.withinSeconds)}: ${r.deadlines.activation} activation, ${r.deadlines.seedEmail} SEED email.`;

export function funnelAsTable(r: FunnelReport): string {
  const parts = [
    `Onboarding funnel for invitations sent ${r.since} to ${r.until}`,
    '',
    'All invitations',
    textTable(stageRows(r.total)),
  ];
  for (const g of r.groups)
    parts.push('', `${g.businessOperation}, country code ${g.countryCode}`, textTable(stageRows(g.stages)));
  parts.push(
    '',
    deadlineLine(r),
    '(conversion: of those who reached the previous step; times: from the previous step)',
  );
  return `${parts.join('\n')}\n`;
}

export function funnelAsCsv(r: FunnelReport): string {
  const header = [
    'businessOperation',
    'countryCode',
    'stage',
    'reached',
    'eligible',
    'conversion',
    'dropOff',
    'medianSecondsFromPrevious',
    'p90SecondsFromPrevious',
  ];
  const row = (op: string, cc: string, s: Stats) => [
    op,
    cc,
    s.stage,
    String(s.count),
    String(s.eligible),
    s.conversion === null ? '' : s.conversion.toFixed(4),
    String(s.dropOff),
    s.medianSecondsFromPrevious === null ? '' : String(s.medianSecondsFromPrevious),
    s.p90SecondsFromPrevious === null ? '' : String(s.p90SecondsFromPrevious),
  ];
  return formatCsv([
    header,
    ...r.total.map((s) => row('all', 'all', s)),
    ...r.groups.flatMap((g) => g.stages.map((s) => row(g.businessOperation, g.countryCode, s))),
  ]);
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A horizontal bar per step, its length the share of invitations that reached it. */
function barChart(stages: readonly Stats[], title: string): string {
  const first = stages[0]?.count ?? 0;
  const labelWidth = 230;
  const barWidth = 420;
  const rowHeight = 28;
  const height = stages.length * rowHeight + 10;
  const bars = stages
    .map((s, i) => {
      const share = first === 0 ? 0 : s.count / first;
      const y = i * rowHeight + 5;
      const w = Math.max(share > 0 ? 2 : 0, Math.round(share * barWidth));
      return [
        `<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${escapeHtml(label(s.stage))}</text>`,
        `<rect x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowHeight - 8}" rx="3" fill="#1f6feb"><title>${escapeHtml(`${label(s.stage)}: ${s.count}`)}</title></rect>`,
        `<text x="${labelWidth + w + 6}" y="${y + 18}">${s.count} (${escapeHtml(pct(first === 0 ? null : share))})</text>`,
      ].join('');
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${labelWidth + barWidth + 120} ${height}" width="100%" style="max-width:${labelWidth + barWidth + 120}px" font-family="system-ui, sans-serif" font-size="13" fill="#1b1f24">\n${bars}\n</svg>`;
}

function htmlTable(stages: readonly Stats[], caption: string): string {
  const head = ['Step', 'Reached', 'Conversion', 'Drop-off', 'Median from previous', 'P90 from previous']
    .map((h) => `<th scope="col">${h}</th>`)
    .join('');
  const body = stages
    .map(
      (s) =>
        `<tr><th scope="row">${escapeHtml(label(s.stage))}</th><td>${s.count}</td><td>${pct(s.conversion)}</td><td>${s.dropOff}</td><td>${humanDuration(s.medianSecondsFromPrevious)}</td><td>${humanDuration(s.p90SecondsFromPrevious)}</td></tr>`,
    )
    .join('\n');
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function funnelAsHtml(r: FunnelReport): string {
  const title = `Onboarding funnel, ${r.since.slice(0, 10)} to ${r.until.slice(0, 10)}`;
  const sections = [
    `<section><h2>All invitations</h2>${barChart(r.total, 'Invitations reaching each onboarding step')}${htmlTable(r.total, 'All invitations')}</section>`,
    ...r.groups.map((g) => {
      const name = `${g.businessOperation}, country code ${g.countryCode}`;
      return `<section><h2>${escapeHtml(name)}</h2>${barChart(g.stages, `Onboarding steps: ${name}`)}${htmlTable(g.stages, name)}</section>`;
    }),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; color: #1b1f24; margin: 1.5rem; max-width: 60rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.3rem 0.5rem; text-align: right; }
th[scope="row"], thead th:first-child { text-align: left; }
section { overflow-x: auto; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Invitations sent from ${escapeHtml(r.since)} to ${escapeHtml(r.until)} (report made ${escapeHtml(r.generatedAt)}). Conversion is of those who reached the previous step; times are from the previous step.</p>
<p>${escapeHtml(deadlineLine(r))}</p>
${sections.join('\n')}
</body>
</html>
`;
}
