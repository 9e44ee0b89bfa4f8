import { call } from '../bridge';
import { format, t } from '../i18n';
import { useWizardStore } from '../store/wizard.store';

/** The TechPass-SEED service desk (domain.md §5.3) when the organisation's settings are not loaded. */
export const DEFAULT_SUPPORT_URL = 'https://go.gov.sg/seed-techpass-support';

export interface SupportContext {
  step: string;
  code?: string | undefined;
  loginId?: string | undefined;
  version?: string | undefined;
  platform?: string | undefined;
  /** The journey's correlation id: the backend logs it on every request of this journey, so support finds them. */
  journeyId?: string | undefined;
  time: string;
}

/** What support needs to act without a round of questions (§5.3): never a password, code or secret. */
export function supportDetails(ctx: SupportContext): [string, string][] {
  const rows: [string, string | undefined][] = [
    [t.support.fieldStep, ctx.step],
    [t.support.fieldCode, ctx.code],
    [t.support.fieldUser, ctx.loginId],
    [t.support.fieldVersion, ctx.version],
    [t.support.fieldPlatform, ctx.platform],
    [t.support.fieldJourney, ctx.journeyId],
    [t.support.fieldTime, ctx.time],
  ];
  return rows.filter((r): r is [string, string] => !!r[1]);
}

export function supportUrl(base: string, ctx: SupportContext): string {
  const summary = format(t.support.subject, { what: ctx.code ? `${ctx.step} (${ctx.code})` : ctx.step });
  const description = supportDetails(ctx)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  const sep = base.includes('?') ? '&' : '?';
  return `${base}${sep}summary=${encodeURIComponent(summary)}&description=${encodeURIComponent(description)}`;
}

/** Opens an https link through the host's allow-list; falls back to a new tab when the host cannot open it. */
export async function openLink(url: string): Promise<void> {
  try {
    const { opened } = await call('openExternal', { url });
    if (opened) return;
  } catch {
    // fall through to the browser
  }
  window.open(url, '_blank', 'noopener,noreferrer');
}

/** A link to the service desk that pre-fills the step, error code, TechPass ID, app version and time. */
export function SupportLink({ code }: { code?: string | undefined }): React.JSX.Element {
  const { org, journey, appInfo } = useWizardStore();
  const step = journey?.step ? t.steps[journey.step] : t.steps.welcome;
  const ctx: SupportContext = {
    step,
    code,
    loginId: journey?.loginId ?? journey?.registration?.loginId,
    version: appInfo?.version,
    platform: appInfo?.platform,
    journeyId: journey?.correlationId,
    time: new Date().toISOString(),
  };
  const url = supportUrl(org?.supportUrl ?? DEFAULT_SUPPORT_URL, ctx);
  return (
    <div className="support">
      <a
        href={url}
        target="_blank"
        rel="noreferrer noopener"
        onClick={(e) => {
          e.preventDefault();
          void openLink(url);
        }}
      >
        {t.support.link} <span className="visually-hidden">{t.opensInBrowser}</span>
      </a>
      <p className="hint">{t.support.hint}</p>
      <details className="support-details">
        <summary>{t.support.details}</summary>
        <dl className="summary">
          {supportDetails(ctx).map(([k, v]) => (
            <div key={k} className="summary-row">
              <dt>{k}</dt>
              {/* Codes, IDs and versions for support to read as they are, in any language. */}
              <dd translate="no" data-i18n-external>
                {v}
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
