import { useEffect, useState } from 'react';
import { call } from '../bridge';
import { format, t } from '../i18n';
import type { Response } from '../../../shared/contract';

export type PhoneCodeDelivery = Response<'getPhoneCodeDelivery'>;

/** How often the step asks how the SMS is doing while the user waits: a failure shows within seconds. */
export const DELIVERY_POLL_MS = 3000;
const FINAL: readonly PhoneCodeDelivery['state'][] = ['sent', 'failed', 'rejected'];

/**
 * Asks the host how the code SMS is doing, every DELIVERY_POLL_MS while `active` and until the SMS is sent or given
 * up. `resetKey` changes when a new code is sent (the answer then is about the new one). A failed poll is ignored:
 * the code may well arrive, and the step already says what to do when it does not.
 */
export function usePhoneCodeDelivery(active: boolean, resetKey: string | undefined): PhoneCodeDelivery | undefined {
  const [delivery, setDelivery] = useState<PhoneCodeDelivery | undefined>();
  useEffect(() => {
    setDelivery(undefined);
    if (!active) return undefined;
    let stopped = false;
    let timer: number | undefined;
    const poll = async (): Promise<void> => {
      try {
        const d = await call('getPhoneCodeDelivery', {});
        if (stopped) return;
        setDelivery(d);
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
  }, [active, resetKey]);
  return delivery;
}

/**
 * The delivery failure, in a live region that is always in the page (so screen readers announce it when it fills):
 * which number, whether TechPass still tries, and what the user can do (the number, later, support; +86: gov.sg).
 */
export function CodeDeliveryFailure({ delivery, fallbackTo }: { delivery: PhoneCodeDelivery | undefined; fallbackTo: string }): React.JSX.Element {
  const failed = delivery?.undelivered === true;
  return (
    <div aria-live="assertive" aria-atomic="true" data-testid="code-delivery" className={failed ? 'alert alert-danger' : undefined}>
      {failed && (
        <>
          <p className="alert-title">{format(t.phone.undelivered, { to: delivery.sentTo ?? fallbackTo })}</p>
          <p>{delivery.state === 'retrying' ? t.phone.undeliveredRetrying : t.phone.undeliveredFinal}</p>
          <ul>
            <li>{t.phone.undeliveredCheckNumber}</li>
            <li>{t.phone.undeliveredTryLater}</li>
            <li>{t.phone.undeliveredSupport}</li>
            {delivery.isChina && <li>{t.phone.undeliveredChina}</li>}
          </ul>
        </>
      )}
    </div>
  );
}
