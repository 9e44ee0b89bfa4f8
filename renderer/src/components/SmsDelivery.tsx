import { useEffect, useState } from 'react';
import { call } from '../bridge';
import { t } from '../i18n';
import type { Response } from '../../../shared/contract';

export type SmsDelivery = Response<'getPhoneCodeDelivery'>;
/** The phone step's name for it. */
export type PhoneCodeDelivery = SmsDelivery;

/** How often a step asks how the SMS is doing while the user waits: a failure shows within seconds. */
export const DELIVERY_POLL_MS = 3000;
const FINAL: readonly SmsDelivery['state'][] = ['sent', 'failed', 'rejected'];

/**
 * Asks the host how an SMS the user waits for is doing (`method`: the phone code or the initial password), every
 * DELIVERY_POLL_MS while `active` and until it is sent or given up. `resetKey` changes when a new one is sent (the
 * answer then is about the new one). A failed poll is ignored: the SMS may well arrive, and the step already says
 * what to do when it does not.
 */
export function useSmsDelivery(
  method: 'getPhoneCodeDelivery' | 'getInitialPasswordDelivery',
  active: boolean,
  resetKey?: string,
): SmsDelivery | undefined {
  // Each answer is kept with the poll it belongs to, so a new method, pause or resend never shows the old SMS's state.
  const pollKey = `${method}\n${String(active)}\n${resetKey ?? ''}`;
  const [answer, setAnswer] = useState<{ pollKey: string; delivery: SmsDelivery } | undefined>();
  useEffect(() => {
    if (!active) return undefined;
    let stopped = false;
    let timer: number | undefined;
    const poll = async (): Promise<void> => {
      try {
        const d = await call(method, {});
        if (stopped) return;
        setAnswer({ pollKey, delivery: d });
        if (FINAL.includes(d.state)) return;
      } catch {
        if (stopped) return;
      }
      timer = window.setTimeout(() => void poll(), DELIVERY_POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [method, active, pollKey]);
  return answer?.pollKey === pollKey ? answer.delivery : undefined;
}

/**
 * The delivery failure, in a live region that is always in the page (so screen readers announce it when it fills):
 * `title` names what could not be delivered to which (masked) number; then whether TechPass still tries, what the
 * user can do (`actions`), and for +86 numbers that the gov.sg sender may be blocked in China.
 */
export function SmsDeliveryFailure({
  delivery,
  title,
  actions,
}: {
  delivery: SmsDelivery | undefined;
  title: string;
  actions: readonly string[];
}): React.JSX.Element {
  const failed = delivery?.undelivered === true;
  return (
    <div
      aria-live="assertive"
      aria-atomic="true"
      data-testid="sms-delivery"
      className={failed ? 'alert alert-danger' : undefined}
    >
      {failed && (
        <>
          <p className="alert-title">{title}</p>
          <p>{delivery.state === 'retrying' ? t.phone.undeliveredRetrying : t.phone.undeliveredFinal}</p>
          <ul>
            {actions.map((a) => (
              <li key={a}>{a}</li>
            ))}
            {delivery.isChina && <li>{t.phone.undeliveredChina}</li>}
          </ul>
        </>
      )}
    </div>
  );
}
