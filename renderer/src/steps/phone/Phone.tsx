import { useEffect, useRef, useState } from 'react';
import { call } from '../../bridge';
import { ChinaWarning } from '../../components/ChinaWarning';
import { SmsDeliveryFailure, useSmsDelivery } from '../../components/SmsDelivery';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CodeField } from '../../components/Field';
import { BusySlot } from '../../components/BusySlot';
import {
  MobileInput,
  mobileMessage,
  mobileValueFromE164,
  useMobileCheck,
  type MobileValue,
} from '../../components/MobileInput';
import { StepHeading } from '../../components/StepHeading';
import { SupportLink } from '../../components/SupportLink';
import { asError, isConnectionProblem, useAction } from '../../components/useAction';
import { useNow } from '../../components/useNow';
import { fieldProblemText, format, formatTime, t } from '../../i18n';
import type { BridgeError } from '../../../../shared/domain/errors';
import type { MobileNumberFacts } from '../../../../shared/domain/mobile-check';
import { useWizardStore } from '../../store/wizard.store';

interface Sent {
  sentTo: string;
  resendAvailableAt: string;
  expiresAt: string;
}

/** Step 6: register the SMS phone method: number, code, resend with its cooldown, and the +86 path (§5.2). */
export function Phone(): React.JSX.Element {
  const { journey, setJourney } = useWizardStore();
  // The number given at registration, ready to use or change (the user is not asked for it twice).
  const [mobile, setMobile] = useState<MobileValue>({
    iso: journey?.businessOperation === 'offshore' ? '' : 'SG',
    number: '',
  });
  const registeredMobile = journey?.registeredMobile;
  useEffect(() => {
    if (!registeredMobile) return;
    let live = true;
    // Split into country and number by the host's rule; what the user has started typing meanwhile is kept.
    call('checkMobileNumber', { input: registeredMobile }).then(
      (facts) => {
        const prefill = mobileValueFromE164(registeredMobile, facts);
        if (live && prefill) setMobile((prev) => (prev.number ? prev : prefill));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [registeredMobile]);
  const [mobileError, setMobileError] = useState<string | undefined>();
  const mobileAnswer = useMobileCheck(mobile);
  const isChina = !!mobileAnswer.facts?.check.isChina || mobile.iso === 'CN';
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
  // While the user waits for the code: does the SMS service say it could not deliver it?
  const waiting = !!sent && new Date(sent.expiresAt).getTime() > now;
  const delivery = useSmsDelivery('getPhoneCodeDelivery', waiting, sent?.resendAvailableAt);

  const sendCode = () => {
    // The shared rule (the backend's own, answered by the host), before anything is sent; when the host cannot
    // answer, the failure is shown as any other.
    mobileAnswer.current().then(sendChecked, (err: unknown) => void send.run(() => Promise.reject(asError(err))));
  };

  const sendChecked = (facts: MobileNumberFacts) => {
    const { check } = facts;
    const problem = mobileMessage(facts);
    if (problem || !check.e164) {
      setMobileError(problem);
      document.getElementById('phone-number')?.focus();
      return;
    }
    const e164 = check.e164;
    setMobileError(undefined);
    let failure: BridgeError | undefined;
    void send
      .run(async () => {
        try {
          const result = await call('sendPhoneCode', { mobile: e164 });
          focusCode.current = true;
          setSent(result);
        } catch (err) {
          failure = (err as { error?: BridgeError }).error;
          throw err;
        }
      })
      .then(() => {
        // The server's objection to the number goes on the number field, not into a "check the fields" alert.
        const onField = failure?.fields?.mobile;
        if (failure?.code === 'VALIDATION_FAILED' && onField) {
          send.clear();
          setMobileError(fieldProblemText(onField));
          document.getElementById('phone-number')?.focus();
        }
      });
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (code.length !== 6) return;
    const c = code;
    void verify
      .run(async () => setJourney(await call('verifyPhoneCode', { code: c })))
      .then((ok) => {
        // A wrong code is cleared for the next one; after a timeout or a lost connection the code stays.
        if (!ok && !isConnectionProblem(verify.lastError())) setCode('');
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
          answer={mobileAnswer}
          onChange={(v) => {
            setMobile(v);
            setMobileError(undefined);
          }}
          error={mobileError}
          hint={t.register.mobileHint}
          disabled={!!sent}
        />
        {!sent && (
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={send.busy}>
              {t.phone.send}
            </button>
          </div>
        )}
        <BusySlot busy={send.busy} label={t.phone.sending} />
      </form>
      {/* After the number and its button, so Tab goes from the number to "Send code" as the form reads. */}
      {isChina && <ChinaWarning />}
      {send.error && <ErrorAlert error={send.error} focusOnShow />}
      {sent && (
        <>
          <p role="status">{format(t.phone.sentTo, { to: sent.sentTo, time: formatTime(sent.expiresAt) })}</p>
          <SmsDeliveryFailure
            delivery={delivery}
            title={format(t.phone.undelivered, { to: delivery?.sentTo ?? sent.sentTo })}
            actions={[t.phone.undeliveredCheckNumber, t.phone.undeliveredTryLater, t.phone.undeliveredSupport]}
          />
          <form noValidate onSubmit={submit}>
            <CodeField
              id="phone-code"
              label={t.phone.code}
              value={code}
              onChange={setCode}
              error={touched && code.length !== 6 && !verify.error ? t.errors.codes.MFA_REQUIRED.next : undefined}
            />
            {verify.error && <ErrorAlert error={verify.error} focusOnShow />}
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
            <BusySlot busy={verify.busy} label={t.phone.verifying} />
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
