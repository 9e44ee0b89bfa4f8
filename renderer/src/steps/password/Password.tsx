import { useState } from 'react';
import { checkPassword } from '../../../../shared/domain/password-policy';
import { call } from '../../bridge';
import { BusySlot } from '../../components/BusySlot';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { PasswordChecklist } from '../../components/PasswordChecklist';
import { StepHeading } from '../../components/StepHeading';
import { useAction } from '../../components/useAction';
import { t } from '../../i18n';
import { useWizardStore } from '../../store/wizard.store';

/** Step 7 (SMS variant): replace the initial password. The fields are cleared as soon as the request leaves. */
export function Password(): React.JSX.Element {
  const { journey, setJourney } = useWizardStore();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const action = useAction();
  const context = { username: journey?.username, previous: current ? [current] : [], confirm };
  const check = checkPassword(next, context);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!current || !check.ok) return;
    const req = { currentPassword: current, newPassword: next };
    // Kept in the fields until the change is accepted: a slow link or a timeout must not make the user type them again.
    void action.run(async () => {
      const j = await call('changePassword', req);
      setCurrent('');
      setNext('');
      setConfirm('');
      setTouched(false);
      setJourney(j);
    });
  };

  return (
    <>
      <StepHeading>{t.password.title}</StepHeading>
      <p>{t.password.intro}</p>
      <form noValidate onSubmit={submit}>
        <Field
          id="pw-current"
          label={t.password.current}
          type="password"
          autoComplete="current-password"
          required
          error={touched && !current ? t.signIn.passwordMissing : undefined}
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <Field
          id="pw-new"
          label={t.password.newPassword}
          type="password"
          autoComplete="new-password"
          required
          error={touched && !check.ok ? t.checklist.fix : undefined}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <Field
          id="pw-confirm"
          label={t.password.confirm}
          type="password"
          autoComplete="new-password"
          required
          error={touched && confirm !== next ? t.checklist.rules['confirm-matches'] : undefined}
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
        <PasswordChecklist id="pw-checklist" password={next} context={context} />
        {action.error && <ErrorAlert error={action.error} />}
        <BusySlot busy={action.busy} label={t.password.submitting} />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={action.busy}>
            {t.password.submit}
          </button>
        </div>
      </form>
    </>
  );
}
