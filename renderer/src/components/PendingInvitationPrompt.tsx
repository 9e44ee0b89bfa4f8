import type { JourneyState } from '../../../shared/contract';
import { call } from '../bridge';
import { format, t } from '../i18n';
import { useWizardStore } from '../store/wizard.store';
import { BusySlot } from './BusySlot';
import { ErrorAlert } from './ErrorAlert';
import { useAction } from './useAction';

/**
 * A registration link was opened from outside the app while a journey is in progress. The host changed nothing; it
 * waits for this answer. Continuing replaces the progress on this computer (never the account on the server).
 */
export function PendingInvitationPrompt({
  pending,
}: {
  pending: NonNullable<JourneyState['pendingInvitation']>;
}): React.JSX.Element {
  const setJourney = useWizardStore((s) => s.setJourney);
  const action = useAction();
  const answer = (accept: boolean) =>
    void action.run(async () => setJourney(await call('answerPendingInvitation', { accept })));
  return (
    <section
      className="alert alert-warning"
      role="alertdialog"
      aria-labelledby="pending-invitation-title"
      aria-describedby="pending-invitation-body"
    >
      <h2 id="pending-invitation-title">{t.pendingInvitation.title}</h2>
      <p id="pending-invitation-body">{t.pendingInvitation.body}</p>
      <p>{format(t.pendingInvitation.sentTo, { email: pending.emailMasked })}</p>
      {action.error && <ErrorAlert error={action.error} />}
      <div className="actions">
        <button type="button" className="btn btn-primary" disabled={action.busy} onClick={() => answer(true)}>
          {t.pendingInvitation.accept}
        </button>
        <button type="button" className="btn btn-secondary" disabled={action.busy} onClick={() => answer(false)}>
          {t.pendingInvitation.keep}
        </button>
      </div>
      <BusySlot busy={action.busy} label={t.working} />
    </section>
  );
}
