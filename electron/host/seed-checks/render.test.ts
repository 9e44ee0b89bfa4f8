import { describe, expect, it } from 'vitest';
import type { SeedReport } from '../../../shared/domain/seed-report';
import { escapeHtml, renderReport, reportFilename } from './render';
import { verdictOf } from './run';

const evil = '<script>alert("x")</script> & \'quote\'';
const report: SeedReport = {
  verdict: 'BLOCKED',
  platform: 'windows',
  generatedAt: '2026-03-02T02:00:00.123Z',
  durationMs: 412,
  checks: [
    {
      id: 'SEED-01',
      status: 'PASS',
      title: 'Supported operating system',
      evidence: 'Windows',
      remediation: '',
      needsElevation: false,
      docUrl: 'https://docs.example/seed',
    },
    {
      id: 'SEED-09',
      status: 'FAIL',
      title: `Tanium ${evil}`,
      evidence: `service ${evil}\u001b[31m`,
      remediation: `Uninstall ${evil}`,
      needsElevation: true,
      docUrl: 'javascript:alert(1)',
    },
  ],
};

describe('renderReport', () => {
  it('json: verdict, checks with the CLI fields, durationMs', () => {
    const parsed = JSON.parse(renderReport(report, 'json')) as Record<string, unknown>;
    expect(Object.keys(parsed).slice(0, 3)).toEqual(['verdict', 'checks', 'durationMs']);
    expect((parsed.checks as Array<Record<string, unknown>>)[1]).toMatchObject({
      id: 'SEED-09',
      status: 'FAIL',
      title: expect.any(String),
      evidence: expect.any(String),
      remediation: expect.any(String),
      needsElevation: true,
    });
  });
  it('html: self-contained, everything escaped, no script, no javascript: links', () => {
    const html = renderReport(report, 'html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quote&#39;');
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/<link|<img|src=/i);
    expect(html).toContain('href="https://docs.example/seed"');
  });
  it('text: a table with verdict, statuses and what to do, control characters stripped', () => {
    const text = renderReport(report, 'text');
    expect(text).toMatch(/^SEED device check: BLOCKED/);
    expect(text).toMatch(/SEED-09 FAIL {4}Tanium/);
    expect(text).toContain('What to do: Uninstall');
    expect(text).toContain('(admin rights would help)');
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/Summary: 1 PASS, 1 FAIL\./);
  });
  it('escapeHtml escapes the five characters', () => expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;'));
  it('reportFilename is safe on every OS', () => {
    expect(reportFilename(report, 'html')).toBe('seed-check-2026-03-02T02-00-00Z.html');
    expect(reportFilename(report, 'text')).toMatch(/\.txt$/);
  });
});

describe('verdict', () => {
  it.each([
    [['PASS', 'WARN', 'INFO', 'UNKNOWN', 'N/A'], 'READY'],
    [['PASS', 'FAIL'], 'BLOCKED'],
    [[], 'READY'],
  ] as const)('%j → %s', (statuses, v) => expect(verdictOf(statuses.map((status) => ({ status })))).toBe(v));
});
