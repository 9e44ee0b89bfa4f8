import { useCallback, useEffect, useState } from 'react';
import { call } from '../../bridge';
import { BusySlot } from '../../components/BusySlot';
import { CopyButton } from '../../components/CopyButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CodeField } from '../../components/Field';
import { StepHeading } from '../../components/StepHeading';
import { isConnectionProblem, useAction } from '../../components/useAction';
import { format, t } from '../../i18n';
import { useWizardStore } from '../../store/wizard.store';
import { ClockDriftWarning } from './ClockDriftWarning';

/**
 * The QR code as an SVG data: URL (the CSP allows img data:; nothing is injected as HTML). The encoder is loaded
 * only when this step needs it, which keeps it out of the first load.
 */
export async function qrDataUrl(otpauthUri: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP", easier to type from a phone screen. */
export function groupKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

function accountLabel(uri: string): string {
  try {
    const path = decodeURIComponent(new URL(uri).pathname.replace(/^\/+/, ''));
    const label = path.replace(/^totp\//, '');
    const colon = label.indexOf(':');
    return colon > 0 ? `${label.slice(colon + 1)} (${label.slice(0, colon)})` : label;
  } catch {
    return 'TechPass';
  }
}

/**
 * Step 5: enrol a TOTP authenticator. The secret lives only in this component's state: it never reaches the store,
 * and it is dropped when the screen goes away.
 */
export function Authenticator(): React.JSX.Element {
  const { journey, setJourney } = useWizardStore();
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string; qr: string } | undefined>();
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);
  const enrol = useAction();
  const verify = useAction();
  const { run } = enrol;

  const start = useCallback(() => {
    void run(async () => {
      const res = await call('startAuthenticatorEnrolment', {});
      setEnrolment({ secret: res.secret, uri: res.otpauthUri, qr: await qrDataUrl(res.otpauthUri) });
    });
  }, [run]);

  useEffect(() => {
    start();
    return () => setEnrolment(undefined);
  }, [start]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (code.length !== 6) return;
    const c = code;
    void verify
      .run(async () => {
        setJourney(await call('verifyAuthenticator', { code: c }));
        setEnrolment(undefined);
      })
      .then((ok) => {
        // A wrong code is cleared for the next one; after a timeout or a lost connection the code stays.
        if (!ok && !isConnectionProblem(verify.lastError())) setCode('');
      });
  };

  return (
    <>
      <StepHeading>{t.authenticator.title}</StepHeading>
      <p>{t.authenticator.intro}</p>
      <ClockDriftWarning seconds={journey?.clockDriftSeconds} />
      <div className="auth-layout">
        <section aria-labelledby="auth-how" className="auth-how">
          <h2 id="auth-how">{t.authenticator.howTitle}</h2>
          <ol>
            <li>{t.authenticator.how1}</li>
            <li>{t.authenticator.how2}</li>
            <li>{t.authenticator.how3}</li>
            <li>{t.authenticator.how4}</li>
          </ol>
          <p className="hint">{t.authenticator.anyApp}</p>
        </section>
        <section aria-label={t.authenticator.qrAlt} className="auth-qr">
          <BusySlot busy={enrol.busy} label={t.authenticator.generating} />
          {enrol.error && <ErrorAlert error={enrol.error} onRetry={start} retryLabel={t.authenticator.retryEnrol} />}
          {enrolment && (
            <>
              <img src={enrolment.qr} alt={t.authenticator.qrAlt} width={220} height={220} className="qr" />
              <h3>{t.authenticator.cantScan}</h3>
              <p>{t.authenticator.manualIntro}</p>
              <p>
                <span className="visually-hidden">
                  {t.authenticator.manualKeyLabel}
                  {t.labelSep}
                </span>
                <code className="secret" data-testid="manual-key">
                  {groupKey(enrolment.secret)}
                </code>
              </p>
              <p className="hint">{format(t.authenticator.accountName, { account: accountLabel(enrolment.uri) })}</p>
              <CopyButton value={enrolment.secret} label={t.authenticator.copyKey} done={t.authenticator.copied} />
            </>
          )}
        </section>
      </div>
      <form onSubmit={submit} noValidate>
        <CodeField
          id="auth-code"
          label={t.authenticator.code}
          value={code}
          onChange={setCode}
          error={touched && code.length !== 6 && !verify.error ? t.errors.codes.MFA_REQUIRED.next : undefined}
        />
        {verify.error && <ErrorAlert error={verify.error} words={t.errors.authenticatorCode} focusOnShow />}
        <BusySlot busy={verify.busy} label={t.authenticator.verifying} />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={verify.busy || !enrolment}>
            {t.authenticator.verify}
          </button>
        </div>
      </form>
    </>
  );
}
