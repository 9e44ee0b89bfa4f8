import { useState } from 'react';
import type { CheckResult, CheckStatus, SeedReport } from '../../../../shared/domain/seed-report';
import { call } from '../../bridge';
import { BusySlot } from '../../components/BusySlot';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StepHeading } from '../../components/StepHeading';
import { openLink, SupportLink } from '../../components/SupportLink';
import { useAction } from '../../components/useAction';
import { format, formatDateTime, t } from '../../i18n';
import { useForLocale } from '../../i18n/useForLocale';
import { localiseCheck, seedTexts, type SeedTexts } from '../../i18n/seed';
import { useWizardStore } from '../../store/wizard.store';

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

/** Statuses that ask the user to do something; information and "does not apply" never give orders. */
const ACTIONABLE: readonly CheckStatus[] = ['FAIL', 'WARN'];

/** What the user confirms on this screen (the probes cannot see it): check id → attestation. */
const CONFIRMABLE = { 'SEED-16': 'recoveryKeysReady', 'SEED-17': 'internetDevice' } as const;
type Attestations = { recoveryKeysReady?: boolean; internetDevice?: boolean };
const isConfirmable = (id: string): id is keyof typeof CONFIRMABLE => id in CONFIRMABLE;

/** Every check counted once, in every status, so the parts add up to the total. */
export function summarise(checks: readonly CheckResult[]): string {
  const keys = [
    ['pass', 'PASS'],
    ['fail', 'FAIL'],
    ['warn', 'WARN'],
    ['unknown', 'UNKNOWN'],
    ['info', 'INFO'],
    ['na', 'N/A'],
  ] as const;
  const parts = keys
    .map(([key, status]) => [key, checks.filter((c) => c.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([key, count]) => format(t.deviceCheck.summaryParts[key], { count }));
  return format(t.deviceCheck.summary, { total: checks.length, parts: parts.join(', ') });
}

function CheckItem({
  check,
  confirmed,
  onConfirm,
  busy,
  texts,
}: {
  check: CheckResult;
  confirmed: boolean;
  onConfirm: (id: keyof typeof CONFIRMABLE, value: boolean) => void;
  busy: boolean;
  /** The SEED texts in the screen's language (none: the report's own English words). */
  texts: SeedTexts | undefined;
}): React.JSX.Element {
  const status = t.deviceCheck.status[check.status];
  const actionable = ACTIONABLE.includes(check.status);
  const words = localiseCheck(check, texts);
  const clear = check.status === 'WARN' ? (words.clearWarning ?? t.deviceCheck.warnFallback) : undefined;
  const confirmId = `confirm-${check.id}`;
  return (
    <li className={`check check-${check.status === 'N/A' ? 'na' : check.status.toLowerCase()}`}>
      <p className="check-head">
        <span className="badge">{status}</span> <strong>{words.title}</strong> <span className="hint">{check.id}</span>
      </p>
      {actionable && words.remediation && (
        <p>
          <strong>
            {t.deviceCheck.remediation}
            {t.labelSep}
          </strong>
          {words.remediation}
        </p>
      )}
      {actionable && words.deviceDetails && (
        <p>
          <strong>
            {t.deviceCheck.deviceDetails}
            {t.labelSep}
          </strong>
          <span lang="en" data-i18n-external>
            {words.deviceDetails}
          </span>
        </p>
      )}
      {clear && <p>{clear}</p>}
      {isConfirmable(check.id) && (check.status === 'WARN' || check.status === 'INFO' || confirmed) && (
        <div className="confirm">
          <input
            type="checkbox"
            id={confirmId}
            checked={confirmed}
            disabled={busy}
            aria-describedby={`${confirmId}-hint`}
            onChange={(e) => onConfirm(check.id as keyof typeof CONFIRMABLE, e.target.checked)}
          />
          <label htmlFor={confirmId}>{t.deviceCheck.confirm[check.id]}</label>
          <p id={`${confirmId}-hint`} className="hint">
            {t.deviceCheck.confirmHint}
          </p>
        </div>
      )}
      {check.needsElevation && actionable && <p className="hint">{t.deviceCheck.needsElevation}</p>}
      {check.evidence && (
        <details>
          <summary>{t.deviceCheck.evidence}</summary>
          <pre lang="en" data-i18n-external>
            {check.evidence}
          </pre>
        </details>
      )}
      {check.docUrl && actionable && (
        <a
          href={check.docUrl}
          target="_blank"
          rel="noreferrer noopener"
          onClick={(e) => {
            e.preventDefault();
            void openLink(check.docUrl ?? '');
          }}
        >
          {t.deviceCheck.doc}
          {t.labelSep}
          {words.title} <span className="visually-hidden">{t.opensInBrowser}</span>
        </a>
      )}
    </li>
  );
}

/** Step 10: the SEED prerequisites report: per-check result and remediation, re-check, export for IT. */
export function DeviceCheck(): React.JSX.Element {
  const { journey, setJourney } = useWizardStore();
  const [report, setReport] = useState<SeedReport | undefined>(journey?.seedReport);
  const { value: texts } = useForLocale(seedTexts);
  const [fmt, setFmt] = useState<ExportFormat>('html');
  // What the user confirmed; sent with every run so "Check again" keeps it.
  const [attestations, setAttestations] = useState<Attestations>({});
  const [exported, setExported] = useState<string | undefined>();
  const check = useAction();
  const exp = useAction();
  const nav = useAction();

  const runWith = (a: Attestations) =>
    void check.run(async () => setReport(await call('runSeedCheck', { attestations: a })));
  const run = () => runWith(attestations);
  const confirm = (id: keyof typeof CONFIRMABLE, value: boolean) => {
    const next = { ...attestations, [CONFIRMABLE[id]]: value };
    setAttestations(next);
    runWith(next);
  };
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
      <BusySlot busy={check.busy} label={t.deviceCheck.running} />
      {check.error && <ErrorAlert error={check.error} onRetry={run} />}
      {report && (
        <section aria-labelledby="verdict">
          <div role="status" className={report.verdict === 'READY' ? 'alert alert-success' : 'alert alert-danger'}>
            <h2 id="verdict" className="alert-title">
              {t.deviceCheck.verdict[report.verdict]}
            </h2>
            <p>{t.deviceCheck.verdictBody[report.verdict]}</p>
            <p>{summarise(report.checks)}</p>
            <p className="hint">
              {format(t.deviceCheck.generatedAt, {
                time: formatDateTime(report.generatedAt),
                platform: report.platform,
              })}
            </p>
          </div>
          <ul className="checks">
            {sorted.map((c) => (
              <CheckItem
                key={c.id}
                check={c}
                busy={check.busy}
                confirmed={isConfirmable(c.id) && attestations[CONFIRMABLE[c.id]] === true}
                onConfirm={confirm}
                texts={texts}
              />
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
