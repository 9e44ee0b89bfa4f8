import { useEffect, useRef, useState } from 'react';
import { call } from '../bridge';
import { Busy } from '../components/Busy';
import { ChinaWarning } from '../components/ChinaWarning';
import { ErrorAlert } from '../components/ErrorAlert';
import { CodeField } from '../components/Field';
import { combineMobile, MobileInput, type MobileValue } from '../components/MobileInput';
import { StepHeading } from '../components/StepHeading';
import { SupportLink } from '../components/SupportLink';
import { useAction } from '../components/useAction';
import { useNow } from '../components/useNow';
import { format, formatTime, fromShared, t } from '../i18n';
import { useWizardStore } from '../store/wizard.store';

interface Sent {
  sentTo: string;
  resendAvailableAt: string;
  expiresAt: string;
}

/** Step 6: register the SMS phone method: number, code, resend with its cooldown, and the +86 path (§5.2). */
export function Phone(): React.JSX.Element {
  const { journey, setJourney } = useWizardStore();
  const [mobile, setMobile] = useState<MobileValue>({ iso: journey?.businessOperation === 'offshore' ? '' : 'SG', number: '' });
  const [mobileError, setMobileError] = useState<string | undefined>();
  const [isChina, setIsChina] = useState(false);
  // A code sent before a restart is shown again rather than sending another.
  const [sent, setSent] = useState<Sent | undefined>(journey?.phoneCode);
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);
  const send = useAction();
  const verify = useAction();
  const now = useNow(1000);
  // "Send code" goes away once a code is sent: keyboard focus moves on to the code box.
  const focusCode = useRef(false);
  useEffect(() => {
    if (sent && focusCode.current) {
      focusCode.current = false;
      document.getElementById('phone-code')?.focus();
    }
  }, [sent]);
  const cooldown = sent ? Math.max(0, Math.ceil((new Date(sent.resendAvailableAt).getTime() - now) / 1000)) : 0;

  const sendCode = () =>
    void send.run(async () => {
      const raw = combineMobile(mobile);
      if (!mobile.number.trim()) {
        setMobileError(t.register.mobileMissing);
        return;
      }
      if (!raw.startsWith('+')) {
        setMobileError(t.register.chooseCountryError);
        return;
      }
      const check = await call('validateMobile', mobile.iso ? { mobile: raw, defaultCountry: mobile.iso } : { mobile: raw });
      setIsChina(check.isChina);
      if (!check.valid || !check.e164) {
        setMobileError(fromShared(check.message) ?? t.errors.codes.VALIDATION_FAILED.next);
        return;
      }
      setMobileError(undefined);
      const result = await call('sendPhoneCode', { mobile: check.e164 });
      focusCode.current = true;
      setSent(result);
    });

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (code.length !== 6) return;
    const c = code;
    void verify.run(async () => setJourney(await call('verifyPhoneCode', { code: c }))).then((ok) => {
      if (!ok) setCode('');
    });
  };

  return (
    <>
      <StepHeading>{t.phone.title}</StepHeading>
      <p>{t.phone.intro}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          sendCode();
        }}
      >
        <MobileInput
          id="phone-number"
          value={mobile}
          onChange={(v) => {
            setMobile(v);
            setIsChina(v.iso === 'CN');
          }}
          error={mobileError}
          hint={t.register.mobileHint}
          disabled={!!sent}
        />
        {isChina && <ChinaWarning />}
        {!sent && (
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={send.busy}>
              {t.phone.send}
            </button>
          </div>
        )}
      </form>
      {send.busy && <Busy label={t.phone.sending} />}
      {send.error && <ErrorAlert error={send.error} />}
      {sent && (
        <>
          <p role="status">{format(t.phone.sentTo, { to: sent.sentTo, time: formatTime(sent.expiresAt) })}</p>
          <form noValidate onSubmit={submit}>
            <CodeField
              id="phone-code"
              label={t.phone.code}
              value={code}
              onChange={setCode}
              error={touched && code.length !== 6 && !verify.error ? t.errors.codes.MFA_REQUIRED.next : undefined}
            />
            {verify.error && <ErrorAlert error={verify.error} />}
            {verify.busy && <Busy label={t.phone.verifying} />}
            <div className="actions">
              <button type="submit" className="btn btn-primary" disabled={verify.busy}>
                {t.phone.verify}
              </button>
              <button
                type="button"
                className="btn btn-secondary"
                disabled={cooldown > 0 || send.busy}
                aria-describedby="phone-cooldown"
                onClick={sendCode}
              >
                {t.phone.resend}
              </button>
              <button
                type="button"
                className="btn btn-link"
                onClick={() => {
                  setSent(undefined);
                  setCode('');
                }}
              >
                {t.phone.changeNumber}
              </button>
            </div>
            <p id="phone-cooldown" className="hint" aria-live="off">
              {cooldown > 0 ? format(t.phone.resendIn, { seconds: cooldown }) : ''}
            </p>
          </form>
          <section aria-labelledby="phone-nocode" className="panel">
            <h2 id="phone-nocode">{t.phone.noCodeTitle}</h2>
            <p>{t.phone.noCode1}</p>
            <p>{t.phone.noCode2}</p>
            <SupportLink code="E-MFA-SMS-CODE" />
          </section>
        </>
      )}
    </>
  );
}
