import { useState } from 'react';
import type { CheckResult, SeedReport } from '../../../shared/domain/seed-report';
import { call } from '../bridge';
import { Busy } from '../components/Busy';
import { ErrorAlert } from '../components/ErrorAlert';
import { StepHeading } from '../components/StepHeading';
import { openLink, SupportLink } from '../components/SupportLink';
import { useAction } from '../components/useAction';
import { format, formatDateTime, t } from '../i18n';
import { useWizardStore } from '../store/wizard.store';

type ExportFormat = 'html' | 'text' | 'json';

/** Hands a file the web host returned to the browser as a download (Electron's host saves it itself). */
export function downloadFile(content: string, filename: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const ORDER: Record<CheckResult['status'], number> = { FAIL: 0, WARN: 1, UNKNOWN: 2, INFO: 3, PASS: 4, 'N/A': 5 };

function CheckItem({ check }: { check: CheckResult }): React.JSX.Element {
  const status = t.deviceCheck.status[check.status];
  return (
    <li className={`check check-${check.status === 'N/A' ? 'na' : check.status.toLowerCase()}`}>
      <p className="check-head">
        <span className="badge">{status}</span> <strong>{check.title}</strong> <span className="hint">{check.id}</span>
      </p>
      {check.status !== 'PASS' && check.status !== 'N/A' && check.remediation && (
        <p>
          <strong>{t.deviceCheck.remediation}:</strong> {check.remediation}
        </p>
      )}
      {check.needsElevation && check.status !== 'PASS' && <p className="hint">{t.deviceCheck.needsElevation}</p>}
      {check.evidence && (
        <details>
          <summary>{t.deviceCheck.evidence}</summary>
          <pre>{check.evidence}</pre>
        </details>
      )}
      {check.docUrl && check.status !== 'PASS' && (
        <a
          href={check.docUrl}
          target="_blank"
          rel="noreferrer noopener"
          onClick={(e) => {
            e.preventDefault();
            void openLink(check.docUrl ?? '');
          }}
        >
          {t.deviceCheck.doc}: {check.title} <span className="visually-hidden">{t.opensInBrowser}</span>
        </a>
      )}
    </li>
  );
}

/** Step 10: the SEED prerequisites report: per-check result and remediation, re-check, export for IT. */
export function DeviceCheck(): React.JSX.Element {
  const { journey, setJourney } = useWizardStore();
  const [report, setReport] = useState<SeedReport | undefined>(journey?.seedReport);
  const [fmt, setFmt] = useState<ExportFormat>('html');
  const [exported, setExported] = useState<string | undefined>();
  const check = useAction();
  const exp = useAction();
  const nav = useAction();

  const run = () => void check.run(async () => setReport(await call('runSeedCheck', {})));
  const doExport = () =>
    void exp.run(async () => {
      const res = await call('exportSeedReport', { format: fmt });
      if (res.content !== undefined) {
        downloadFile(res.content, res.filename, res.mimeType);
        setExported(format(t.deviceCheck.downloaded, { filename: res.filename }));
      } else {
        setExported(format(t.deviceCheck.exported, { path: res.path ?? res.filename }));
      }
    });

  const counts = report
    ? {
        pass: report.checks.filter((c) => c.status === 'PASS').length,
        fail: report.checks.filter((c) => c.status === 'FAIL').length,
        warn: report.checks.filter((c) => c.status === 'WARN').length,
      }
    : undefined;
  const sorted = report ? [...report.checks].sort((a, b) => ORDER[a.status] - ORDER[b.status]) : [];

  return (
    <>
      <StepHeading>{t.deviceCheck.title}</StepHeading>
      <p>{t.deviceCheck.intro}</p>
      <p className="alert alert-info">{t.deviceCheck.seedEmailNote}</p>
      <div className="actions">
        <button type="button" className="btn btn-primary" disabled={check.busy} onClick={run}>
          {report ? t.deviceCheck.rerun : t.deviceCheck.run}
        </button>
      </div>
      {check.busy && <Busy label={t.deviceCheck.running} />}
      {check.error && <ErrorAlert error={check.error} onRetry={run} />}
      {report && counts && !check.busy && (
        <section aria-labelledby="verdict">
          <div
            role="status"
            className={report.verdict === 'READY' ? 'alert alert-success' : 'alert alert-danger'}
          >
            <h2 id="verdict" className="alert-title">
              {t.deviceCheck.verdict[report.verdict]}
            </h2>
            <p>{t.deviceCheck.verdictBody[report.verdict]}</p>
            <p>{format(t.deviceCheck.summary, counts)}</p>
            <p className="hint">
              {format(t.deviceCheck.generatedAt, { time: formatDateTime(report.generatedAt), platform: report.platform })}
            </p>
          </div>
          <ul className="checks">
            {sorted.map((c) => (
              <CheckItem key={c.id} check={c} />
            ))}
          </ul>
          <section aria-labelledby="export-heading" className="panel">
            <h2 id="export-heading">{t.deviceCheck.exportTitle}</h2>
            <div className="field">
              <label htmlFor="export-format">{t.deviceCheck.format}</label>
              <select id="export-format" value={fmt} onChange={(e) => setFmt(e.target.value as ExportFormat)}>
                {(['html', 'text', 'json'] as const).map((f) => (
                  <option key={f} value={f}>
                    {t.deviceCheck.formats[f]}
                  </option>
                ))}
              </select>
            </div>
            <div className="actions">
              <button type="button" className="btn btn-secondary" disabled={exp.busy} onClick={doExport}>
                {t.deviceCheck.export}
              </button>
            </div>
            <p role="status">{exported ?? ''}</p>
            {exp.error && <ErrorAlert error={exp.error} />}
          </section>
          {report.verdict === 'BLOCKED' && <SupportLink code="SEED-BLOCKED" />}
        </section>
      )}
      {nav.error && <ErrorAlert error={nav.error} />}
      <div className="actions">
        <button
          type="button"
          className={report?.verdict === 'READY' ? 'btn btn-primary' : 'btn btn-secondary'}
          disabled={nav.busy}
          onClick={() => void nav.run(async () => setJourney(await call('navigate', { to: 'done' })))}
        >
          {t.deviceCheck.continue}
        </button>
      </div>
    </>
  );
}
