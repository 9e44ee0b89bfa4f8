import type { CheckResult, SeedReport } from '../../../shared/domain/seed-report';

export type ReportFormat = 'json' | 'text' | 'html';

/** The CLI's and the export's JSON shape: verdict, checks, durationMs first, then the rest of the report. */
export function reportJson(report: SeedReport): string {
  const { verdict, checks, durationMs, ...rest } = report;
  const shaped = {
    verdict,
    checks: checks.map((c) => ({
      id: c.id,
      status: c.status,
      title: c.title,
      evidence: c.evidence,
      remediation: c.remediation,
      needsElevation: c.needsElevation,
      ...(c.docUrl ? { docUrl: c.docUrl } : {}),
    })),
    durationMs,
    ...rest,
  };
  return `${JSON.stringify(shaped, null, 2)}\n`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

/** Strips control characters (terminal escapes) from probe output before it is printed. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

export function reportText(report: SeedReport): string {
  const idW = 8;
  const stW = 8;
  const out: string[] = [];
  out.push(`SEED device check: ${report.verdict}`);
  out.push(`Platform ${report.platform} · ${report.generatedAt} · ${report.durationMs} ms`);
  out.push('');
  out.push(`${'ID'.padEnd(idW)}${'STATUS'.padEnd(stW)}TITLE`);
  out.push(`${'-'.repeat(idW - 1)} ${'-'.repeat(stW - 1)} ${'-'.repeat(50)}`);
  for (const c of report.checks) {
    out.push(
      `${c.id.padEnd(idW)}${c.status.padEnd(stW)}${clean(c.title)}${c.needsElevation ? ' (admin rights would help)' : ''}`,
    );
    out.push(indent(clean(c.evidence), ' '.repeat(idW + stW) + '│ '));
    if (c.remediation) {
      out.push(indent(`What to do: ${clean(c.remediation)}`, ' '.repeat(idW + stW) + '→ '));
      if (c.docUrl) out.push(`${' '.repeat(idW + stW)}→ ${c.docUrl}`);
    }
  }
  const counts = countStatuses(report.checks);
  out.push('');
  out.push(
    `Summary: ${Object.entries(counts)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ')}.`,
  );
  out.push(
    report.verdict === 'READY'
      ? 'READY: nothing on this device blocks SEED onboarding. Review any WARN items before you start.'
      : 'BLOCKED: fix every FAIL item above, then run the check again.',
  );
  return `${out.join('\n')}\n`;
}

function countStatuses(checks: readonly CheckResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of checks) counts[c.status] = (counts[c.status] ?? 0) + 1;
  return counts;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STATUS_CLASS: Record<string, string> = {
  PASS: 'pass',
  FAIL: 'fail',
  WARN: 'warn',
  INFO: 'info',
  UNKNOWN: 'unknown',
  'N/A': 'na',
};

/** A self-contained HTML page: inline CSS only, every value escaped, no scripts, links only to http(s). */
export function reportHtml(report: SeedReport): string {
  const rows = report.checks
    .map((c) => {
      const link =
        c.docUrl && /^https?:\/\//i.test(c.docUrl)
          ? `<a href="${escapeHtml(c.docUrl)}" rel="noreferrer">Documentation</a>`
          : '';
      return `<tr class="${STATUS_CLASS[c.status] ?? 'unknown'}">
<th scope="row">${escapeHtml(c.id)}</th>
<td><span class="status">${escapeHtml(c.status)}</span></td>
<td><strong>${escapeHtml(c.title)}</strong>${c.needsElevation ? ' <em>(admin rights would help)</em>' : ''}<pre>${escapeHtml(c.evidence)}</pre></td>
<td>${c.remediation ? `<pre>${escapeHtml(c.remediation)}</pre>` : ''}${link}</td>
</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>SEED device check: ${escapeHtml(report.verdict)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}
pre{white-space:pre-wrap;word-break:break-word;margin:.3rem 0;font-size:.85rem}
.status{font-weight:bold}
tr.fail .status{color:#a30000} tr.warn .status{color:#7a4d00} tr.pass .status{color:#006b21}
.verdict{font-size:1.4rem}
</style>
</head>
<body>
<h1>SEED device check</h1>
<p class="verdict">Verdict: <strong>${escapeHtml(report.verdict)}</strong></p>
<p>Platform ${escapeHtml(report.platform)} · generated ${escapeHtml(report.generatedAt)} · ${escapeHtml(String(report.durationMs))} ms</p>
<table>
<thead><tr><th scope="col">Check</th><th scope="col">Status</th><th scope="col">What was found</th><th scope="col">What to do</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

export function renderReport(report: SeedReport, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return reportJson(report);
    case 'text':
      return reportText(report);
    case 'html':
      return reportHtml(report);
  }
}

export function reportMimeType(format: ReportFormat): string {
  return format === 'json' ? 'application/json' : format === 'html' ? 'text/html' : 'text/plain';
}

/** e.g. seed-check-2026-11-30T16-20-00Z.html */
export function reportFilename(report: SeedReport, format: ReportFormat): string {
  const stamp = report.generatedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return `seed-check-${stamp}.${format === 'text' ? 'txt' : format}`;
}
