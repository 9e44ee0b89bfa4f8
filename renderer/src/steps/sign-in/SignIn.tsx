import { useState } from 'react';
import { isEmailNotTechPassId, loginIdFor, usernameFromLoginId } from '../../../../shared/domain/registration-rules';
import type { BridgeError } from '../../../../shared/domain/errors';
import { call } from '../../bridge';
import { BusySlot } from '../../components/BusySlot';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CodeField, Field } from '../../components/Field';
import { PasswordChecklist } from '../../components/PasswordChecklist';
import { ResendInitialPassword } from '../../components/ResendInitialPassword';
import { StepHeading } from '../../components/StepHeading';
import { SupportLink } from '../../components/SupportLink';
import { isConnectionProblem, useAction } from '../../components/useAction';
import { format, t } from '../../i18n';
import { useWizardStore } from '../../store/wizard.store';

const EXAMPLE_ID = 'jane.tan@techpass.gov.sg';
const STATE_CODES = ['ACCOUNT_LOCKED', 'ACCOUNT_DISABLED', 'ACCOUNT_TERMINATED', 'ACCOUNT_RISK'] as const;
type AccountStateCode = (typeof STATE_CODES)[number];

function isStateCode(code: string): code is AccountStateCode {
  return (STATE_CODES as readonly string[]).includes(code);
}

/** Step 4: sign in with the TechPass ID (never the email) and the first or self-set password. */
export function SignIn(): React.JSX.Element {
  const { journey, setJourney } = useWizardStore();
  const [loginId, setLoginId] = useState(journey?.loginId ?? journey?.registration?.loginId ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [mfa, setMfa] = useState(journey?.mfaPending === true);
  const [blocked, setBlocked] = useState<AccountStateCode | undefined>();
  const [resetting, setResetting] = useState(false);
  const [touched, setTouched] = useState(false);
  const action = useAction();
  const useUsername = isEmailNotTechPassId(loginId);
  const username = usernameFromLoginId(loginId);
  const delivery = journey?.passwordDelivery ?? journey?.registration?.passwordDelivery;

  if (resetting) {
    return (
      <PasswordReset
        loginId={username ? loginIdFor(username) : ''}
        onDone={() => {
          setResetting(false);
          setBlocked(undefined);
        }}
      />
    );
  }
  if (blocked) {
    const s = t.signIn.states[blocked];
    return (
      <>
        <StepHeading focusOnMount>{s.title}</StepHeading>
        <div className="alert alert-danger">
          <p>{s.body}</p>
          <p>
            <strong>{t.errors.whatNext}</strong> {s.next}
          </p>
        </div>
        <div className="actions">
          {blocked === 'ACCOUNT_LOCKED' && (
            <button type="button" className="btn btn-primary" onClick={() => setResetting(true)}>
              {t.signIn.reset.title}
            </button>
          )}
          <button type="button" className="btn btn-secondary" onClick={() => setBlocked(undefined)}>
            {t.signIn.reset.backToSignIn}
          </button>
        </div>
        <SupportLink code={blocked} />
      </>
    );
  }

  const onError = (err: BridgeError | undefined) => {
    if (err && isStateCode(err.code)) setBlocked(err.code);
  };

  const submitPassword = async (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (useUsername || !username || !password) return;
    // The password stays in its field until the sign-in is done: a slow link or a timeout must not make the user
    // type it again. It is cleared once accepted (and never leaves this component's state).
    const pw = password;
    let failure: BridgeError | undefined;
    await action.run(async () => {
      try {
        const res = await call('signIn', { loginId: loginIdFor(username), password: pw });
        setPassword('');
        if (res.status === 'mfa_required') setMfa(true);
        else setJourney(res.journey);
      } catch (err) {
        failure = (err as { error?: BridgeError }).error;
        throw err;
      }
    });
    onError(failure);
  };

  const submitCode = async (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (code.length !== 6) return;
    const c = code;
    const ok = await action.run(async () => setJourney(await call('submitMfaCode', { code: c })));
    // A wrong code is cleared for the next one; after a timeout or a lost connection the code stays.
    if (ok || !isConnectionProblem(action.lastError())) setCode('');
  };

  if (mfa) {
    return (
      <>
        <StepHeading focusOnMount>{t.signIn.mfaTitle}</StepHeading>
        <p>{t.signIn.mfaIntro}</p>
        <form onSubmit={(e) => void submitCode(e)} noValidate>
          <CodeField
            id="signin-code"
            label={t.signIn.code}
            value={code}
            onChange={setCode}
            error={touched && code.length > 0 && code.length !== 6 ? t.errors.codes.CODE_INVALID.next : undefined}
          />
          {action.error && <ErrorAlert error={action.error} words={t.errors.authenticatorCode} focusOnShow />}
          <BusySlot busy={action.busy} label={t.working} />
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={action.busy}>
              {t.signIn.verifyCode}
            </button>
          </div>
        </form>
      </>
    );
  }

  const knownId = journey?.registration?.loginId ?? journey?.loginId;
  const loginError = useUsername
    ? format(t.signIn.useUsername, { example: knownId ?? EXAMPLE_ID })
    : touched && !username
      ? t.signIn.loginMissing
      : undefined;

  return (
    <>
      <StepHeading>{t.signIn.title}</StepHeading>
      <p>{t.signIn.intro}</p>
      <form onSubmit={(e) => void submitPassword(e)} noValidate>
        <Field
          liveError
          id="signin-login"
          label={t.signIn.loginId}
          hint={format(t.signIn.loginIdHint, { example: EXAMPLE_ID })}
          error={loginError}
          required
          autoComplete="username"
          spellCheck={false}
          autoCapitalize="none"
          value={loginId}
          onChange={(e) => setLoginId(e.target.value)}
        />
        <Field
          id="signin-password"
          label={t.signIn.password}
          hint={delivery === 'sms' ? t.signIn.passwordHintSms : undefined}
          type="password"
          required
          autoComplete="current-password"
          error={touched && !password && !action.error && !action.busy ? t.signIn.passwordMissing : undefined}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {action.error && <ErrorAlert error={action.error} focusOnShow />}
        <BusySlot busy={action.busy} label={t.signIn.submitting} />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={action.busy}>
            {t.signIn.submit}
          </button>
          {!journey?.registration && (
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => void action.run(async () => setJourney(await call('navigate', { to: 'welcome' })))}
            >
              {t.back}
            </button>
          )}
          {journey?.registration && (
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => void action.run(async () => setJourney(await call('navigate', { to: 'account-created' })))}
            >
              {t.signIn.backToAccount}
            </button>
          )}
          <button type="button" className="btn btn-link" onClick={() => setResetting(true)}>
            {t.signIn.forgot}
          </button>
        </div>
      </form>
      {delivery !== 'self_set' && (
        <details className="panel">
          <summary>{t.signIn.noSmsTitle}</summary>
          <ResendInitialPassword
            loginId={username ? loginIdFor(username) : ''}
            registeredMobile={journey?.registeredMobile}
          />
          <p>{t.signIn.noSmsBody}</p>
          <SupportLink code="E-SMS-MISSING" />
        </details>
      )}
    </>
  );
}

/** Self-service reset (§5.1): an SMS code and a new password; also clears LOCKED. */
function PasswordReset({ loginId: initial, onDone }: { loginId: string; onDone: () => void }): React.JSX.Element {
  const [loginId, setLoginId] = useState(initial);
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const [pw, setPw] = useState('');
  const [confirm, setConfirm] = useState('');
  const [finished, setFinished] = useState(false);
  const action = useAction();
  const username = usernameFromLoginId(loginId);
  return (
    <>
      <StepHeading focusOnMount>{t.signIn.reset.title}</StepHeading>
      {finished ? (
        <div role="status" className="alert alert-success">
          <p>{t.signIn.reset.done}</p>
        </div>
      ) : (
        <>
          <p>{t.signIn.reset.intro}</p>
          <Field
            id="reset-login"
            label={t.signIn.loginId}
            required
            autoComplete="username"
            value={loginId}
            onChange={(e) => setLoginId(e.target.value)}
          />
          {!sent ? (
            <div className="actions">
              <button
                type="button"
                className="btn btn-primary"
                disabled={action.busy || !username}
                onClick={() =>
                  void action.run(async () => {
                    await call('startPasswordReset', { loginId: loginIdFor(username ?? '') });
                    setSent(true);
                  })
                }
              >
                {t.signIn.reset.send}
              </button>
            </div>
          ) : (
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                if (code.length !== 6 || !pw || pw !== confirm) return;
                const newPassword = pw;
                setPw('');
                setConfirm('');
                void action.run(async () => {
                  await call('completePasswordReset', { loginId: loginIdFor(username ?? ''), code, newPassword });
                  setFinished(true);
                });
              }}
            >
              <p role="status">{t.signIn.reset.sent}</p>
              <CodeField id="reset-code" label={t.signIn.code} value={code} onChange={setCode} />
              <details className="panel">
                <summary>{t.signIn.reset.noCodeTitle}</summary>
                <p>{t.signIn.reset.noCodeBody}</p>
                <SupportLink code="E-MFA-SMS-CODE" />
              </details>
              <Field
                id="reset-new"
                label={t.signIn.reset.newPassword}
                type="password"
                autoComplete="new-password"
                required
                aria-describedby="reset-checklist"
                value={pw}
                onChange={(e) => setPw(e.target.value)}
              />
              <Field
                id="reset-confirm"
                label={t.signIn.reset.confirm}
                type="password"
                autoComplete="new-password"
                required
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
              />
              <PasswordChecklist id="reset-checklist" password={pw} context={{ username, confirm }} />
              <div className="actions">
                <button type="submit" className="btn btn-primary" disabled={action.busy}>
                  {t.signIn.reset.submit}
                </button>
              </div>
            </form>
          )}
          {action.error && <ErrorAlert error={action.error} />}
          <BusySlot busy={action.busy} label={t.working} />
        </>
      )}
      <div className="actions">
        <button type="button" className="btn btn-secondary" onClick={onDone}>
          {t.signIn.reset.backToSignIn}
        </button>
      </div>
    </>
  );
}
