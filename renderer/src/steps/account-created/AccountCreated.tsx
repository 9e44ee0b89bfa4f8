import { daysLeft as daysBefore } from '../../../../shared/domain/deadlines';
import { call } from '../../bridge';
import { BusySlot } from '../../components/BusySlot';
import { SmsDeliveryFailure, useSmsDelivery } from '../../components/SmsDelivery';
import { CopyButton } from '../../components/CopyButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ResendInitialPassword } from '../../components/ResendInitialPassword';
import { StepHeading } from '../../components/StepHeading';
import { SupportLink } from '../../components/SupportLink';
import { useAction } from '../../components/useAction';
import { useNow } from '../../components/useNow';
import { format, formatDateTime, t } from '../../i18n';
import { useWizardStore } from '../../store/wizard.store';

const DAY_MS = 86_400_000;

/** Step 3: the username to sign in with, where the messages went, the activation deadline, and SEED's email. */
export function AccountCreated(): React.JSX.Element {
  const { journey, setJourney } = useWizardStore();
  const action = useAction();
  const now = useNow(60_000);
  const reg = journey?.registration;
  const loginId = reg?.loginId ?? journey?.loginId ?? '';
  const delivery = reg?.passwordDelivery ?? journey?.passwordDelivery;
  const activateBy = reg?.activateBy ?? journey?.activateBy;
  const seed = reg?.seed ?? journey?.seed;
  const msLeft = activateBy ? new Date(activateBy).getTime() - now : undefined;
  const daysLeft = activateBy ? daysBefore(new Date(activateBy), new Date(now)) : undefined;
  // While the user waits for the first password by SMS: does the SMS service say it could not deliver it?
  const passwordSms = useSmsDelivery('getInitialPasswordDelivery', delivery === 'sms');

  return (
    <>
      <StepHeading>{t.accountCreated.title}</StepHeading>
      <p>{t.accountCreated.usernameIntro}</p>
      <p className="login-id">
        <strong data-testid="login-id">{loginId}</strong>{' '}
        <CopyButton value={loginId} label={t.accountCreated.copy} done={t.accountCreated.copied} />
      </p>
      <ul>
        {reg?.emailSentTo && <li>{format(t.accountCreated.emailSent, { to: reg.emailSentTo })}</li>}
        {delivery === 'sms' && reg?.smsSentTo && <li>{format(t.accountCreated.smsSent, { to: reg.smsSentTo })}</li>}
        {delivery === 'self_set' && <li>{t.accountCreated.selfSet}</li>}
        <li>{t.accountCreated.junk}</li>
      </ul>
      {activateBy && (
        <div className="alert alert-info">
          <p className="alert-title">{format(t.accountCreated.activateBy, { date: formatDateTime(activateBy) })}</p>
          {daysLeft !== undefined && (
            <p>
              {msLeft !== undefined && msLeft >= DAY_MS
                ? format(t.accountCreated.countdown, { days: daysLeft })
                : t.accountCreated.countdownToday}
            </p>
          )}
        </div>
      )}
      {seed?.state === 'PROVISIONED' && (
        <section aria-labelledby="seed-heading">
          <h2 id="seed-heading">{t.accountCreated.seedTitle}</h2>
          <p>{t.accountCreated.seedEmail}</p>
          {seed.emailExpiresAt && (
            <p>{format(t.accountCreated.seedExpires, { date: formatDateTime(seed.emailExpiresAt) })}</p>
          )}
        </section>
      )}
      {delivery === 'sms' && (
        <SmsDeliveryFailure
          delivery={passwordSms}
          title={format(t.accountCreated.smsUndelivered, { to: passwordSms?.sentTo ?? reg?.smsSentTo ?? '' })}
          actions={[
            t.accountCreated.smsUndeliveredNumber,
            t.accountCreated.smsUndeliveredTryLater,
            t.phone.undeliveredSupport,
          ]}
        />
      )}
      {delivery === 'sms' && (
        <details className="panel">
          <summary>{t.signIn.noSmsTitle}</summary>
          <ResendInitialPassword loginId={loginId} registeredMobile={journey?.registeredMobile} />
          <p>{t.signIn.noSmsBody}</p>
          <SupportLink code="E-SMS-MISSING" />
        </details>
      )}
      {action.error && <ErrorAlert error={action.error} />}
      <BusySlot busy={action.busy} label={t.working} />
      <div className="actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={action.busy}
          onClick={() => void action.run(async () => setJourney(await call('navigate', { to: 'sign-in' })))}
        >
          {t.accountCreated.next}
        </button>
      </div>
    </>
  );
}
