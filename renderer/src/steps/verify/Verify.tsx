import { useState } from 'react';
import { isEmailNotTechPassId, loginIdFor, usernameFromLoginId } from '../../../../shared/domain/registration-rules';
import { call } from '../../bridge';
import { BusySlot } from '../../components/BusySlot';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CodeField, Field } from '../../components/Field';
import { StepHeading } from '../../components/StepHeading';
import { useAction } from '../../components/useAction';
import { format, t } from '../../i18n';
import { useWizardStore } from '../../store/wizard.store';

/** Step 9: "Verify TechPass login": sign in again with the new password and an authenticator code. */
export function Verify(): React.JSX.Element {
  const { journey, setJourney } = useWizardStore();
  const [loginId, setLoginId] = useState(journey?.loginId ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);
  const [verified, setVerified] = useState(journey?.verified === true);
  const action = useAction();
  const username = usernameFromLoginId(loginId);
  const seedNext = journey?.seed?.state === 'PROVISIONED';

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!username || isEmailNotTechPassId(loginId) || !password || code.length !== 6) return;
    const req = { loginId: loginIdFor(username), password, code };
    // Kept in the fields until the sign-in is verified: a slow link or a timeout must not make the user type them again.
    void action.run(async () => {
      const j = await call('verifySignIn', req);
      setPassword('');
      setCode('');
      setTouched(false);
      setJourney(j);
      setVerified(true);
    });
  };

  if (verified) {
    return (
      <>
        <StepHeading focusOnMount>{t.verify.title}</StepHeading>
        <div role="status" className="alert alert-success">
          <p className="alert-title">{t.verify.success}</p>
        </div>
        {action.error && <ErrorAlert error={action.error} />}
        <div className="actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={action.busy}
            onClick={() =>
              void action.run(async () =>
                setJourney(await call('navigate', { to: seedNext ? 'device-check' : 'done' })),
              )
            }
          >
            {seedNext ? t.verify.nextSeed : t.verify.nextDone}
          </button>
        </div>
      </>
    );
  }

  return (
    <>
      <StepHeading>{t.verify.title}</StepHeading>
      <p>{t.verify.intro}</p>
      <form noValidate onSubmit={submit}>
        <Field
          id="verify-login"
          liveError
          label={t.verify.loginId}
          required
          autoComplete="username"
          spellCheck={false}
          value={loginId}
          error={
            isEmailNotTechPassId(loginId)
              ? format(t.signIn.useUsername, { example: journey?.loginId ?? 'jane.tan@techpass.gov.sg' })
              : touched && !username
                ? t.signIn.loginMissing
                : undefined
          }
          onChange={(e) => setLoginId(e.target.value)}
        />
        <Field
          id="verify-password"
          label={t.verify.password}
          type="password"
          autoComplete="current-password"
          required
          error={touched && !password ? t.signIn.passwordMissing : undefined}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <CodeField
          id="verify-code"
          label={t.verify.code}
          value={code}
          onChange={setCode}
          error={touched && code.length !== 6 ? t.errors.codes.MFA_REQUIRED.next : undefined}
        />
        {action.error && <ErrorAlert error={action.error} words={t.errors.authenticatorCode} focusOnShow />}
        <BusySlot busy={action.busy} label={t.verify.submitting} />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={action.busy}>
            {t.verify.submit}
          </button>
        </div>
      </form>
    </>
  );
}
