import { useState } from 'react';
import type { Response } from '../../../shared/contract';
import { call } from '../bridge';
import { fieldProblemText, format, t } from '../i18n';
import { ErrorAlert } from './ErrorAlert';
import { Field } from './Field';
import { useAction } from './useAction';
import { useNow } from './useNow';

/** What a refused resend carries: the field at fault, and how long to wait. */
interface ResendFailure {
  fields?: Record<string, string>;
  params?: { retryAfterSeconds?: number };
}

type Resent = Response<'resendInitialPassword'>;

/**
 * "Send my first password again" (SMS delivery, before the first change): the host asks the backend with the TechPass
 * ID and the mobile given at registration; the wizard shows where it went, the day's count and when to ask again.
 * The mobile is asked for only when the host does not know it (another computer, a fresh install).
 */
export function ResendInitialPassword({
  loginId,
  registeredMobile,
}: {
  loginId: string;
  registeredMobile?: string;
}): React.JSX.Element {
  const action = useAction();
  const now = useNow(1000);
  const [mobile, setMobile] = useState('');
  const [askMobile, setAskMobile] = useState(registeredMobile === undefined);
  const [sent, setSent] = useState<Resent | undefined>();
  const [waitUntil, setWaitUntil] = useState<number | undefined>();
  // useNow re-renders every second; Date.now() keeps the first render after a send exact too (a countdown is meant
  // to read the clock: a later render showing a smaller number is the point).
  // eslint-disable-next-line react-hooks/purity
  const current = Math.max(now, Date.now());
  const waitSeconds = waitUntil !== undefined ? Math.max(0, Math.ceil((waitUntil - current) / 1000)) : 0;
  const mobileError = fieldProblemText(action.error?.fields?.mobile);

  const send = () =>
    void action.run(async () => {
      try {
        const r = await call('resendInitialPassword', { loginId, ...(askMobile && mobile.trim() ? { mobile } : {}) });
        setSent(r);
        setWaitUntil(new Date(r.resendAvailableAt).getTime());
      } catch (err) {
        const e = (err as { error?: ResendFailure }).error;
        if (e?.fields?.mobile) setAskMobile(true);
        const retry = e?.params?.retryAfterSeconds;
        if (typeof retry === 'number' && retry > 0) setWaitUntil(Date.now() + retry * 1000);
        throw err;
      }
    });

  return (
    <section aria-labelledby="resend-initial-heading" className="resend-initial">
      <h2 id="resend-initial-heading">{t.initialPassword.title}</h2>
      <p>{t.initialPassword.intro}</p>
      {askMobile && (
        <Field
          id="resend-initial-mobile"
          label={t.initialPassword.mobile}
          hint={t.initialPassword.mobileHint}
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          error={mobileError}
          value={mobile}
          onChange={(e) => setMobile(e.target.value)}
        />
      )}
      {action.error && !mobileError && <ErrorAlert error={action.error} />}
      <div className="actions">
        <button
          type="button"
          className="btn btn-secondary"
          aria-describedby="resend-initial-status"
          disabled={action.busy || waitSeconds > 0 || loginId === ''}
          onClick={send}
        >
          {t.initialPassword.resend}
        </button>
      </div>
      {/* Always present, below the button: what appears here (sending, sent, wait) never moves the controls above. */}
      <div id="resend-initial-status" role="status" className="resend-initial-status">
        {loginId === '' && <p>{t.initialPassword.needLoginId}</p>}
        {action.busy && <p>{t.initialPassword.sending}</p>}
        {sent && (
          <p>
            {format(t.initialPassword.sent, { to: sent.sentTo })}{' '}
            <strong>{format(t.initialPassword.count, { count: sent.sentToday, limit: sent.dailyLimit })}</strong>
          </p>
        )}
        {waitSeconds > 0 && <p>{format(t.initialPassword.wait, { seconds: waitSeconds })}</p>}
      </div>
    </section>
  );
}
