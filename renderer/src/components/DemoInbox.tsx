import { useCallback, useEffect, useState } from 'react';
import type { InboxMessage } from '../../../shared/contract';
import { call } from '../bridge';
import { format, formatDateTime, t } from '../i18n';
import { whenIdle } from '../idle';
import { useWizardStore } from '../store/wizard.store';

const POLL_MS = 5000;

/**
 * Demo/test backends only: the emails and SMS the user would receive, so one person can walk the whole journey.
 * Renders nothing unless the host says the inbox is `available` (never against production).
 */
export function DemoInbox(): React.JSX.Element | null {
  const step = useWizardStore((s) => s.journey?.step);
  const [available, setAvailable] = useState(false);
  const [messages, setMessages] = useState<InboxMessage[]>([]);
  const [open, setOpen] = useState(true);

  const refresh = useCallback(async () => {
    try {
      const res = await call('getDemoInbox', {});
      setAvailable(res.available);
      setMessages([...res.messages].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
    } catch {
      setAvailable(false);
    }
  }, []);

  // Once the screen is drawn (the inbox is beside it, never what the user acts on first); refresh sets state only once
  // the host has answered, never during the effect itself.
  useEffect(() => whenIdle(() => void refresh(), 500), [refresh, step]);

  // Messages also arrive within a step (the SMS code after "Send code"): poll while the demo inbox exists.
  useEffect(() => {
    if (!available) return;
    const id = window.setInterval(() => void refresh(), POLL_MS);
    return () => window.clearInterval(id);
  }, [available, refresh]);

  if (!available) return null;
  return (
    <aside aria-labelledby="inbox-heading" className="demo-inbox">
      <div className="demo-inbox-head">
        <h2 id="inbox-heading">{t.inbox.title}</h2>
        <button
          type="button"
          className="btn btn-link"
          aria-expanded={open}
          aria-controls="inbox-body"
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t.inbox.hide : t.inbox.show}
        </button>
      </div>
      <div id="inbox-body" hidden={!open}>
        <p className="hint">{t.inbox.intro}</p>
        <button type="button" className="btn btn-secondary" onClick={() => void refresh()}>
          {t.inbox.refresh}
        </button>
        {messages.length === 0 ? (
          <p>{t.inbox.empty}</p>
        ) : (
          <ul className="inbox-list">
            {messages.map((m) => (
              <li key={m.id} className="inbox-message">
                <p className="inbox-meta">
                  <span className="badge">{m.channel === 'email' ? t.inbox.email : t.inbox.sms}</span>{' '}
                  {format(t.inbox.to, { to: m.to })} · {formatDateTime(m.createdAt)}
                </p>
                {/* The messages are the service's own words (in the account's language), not the app's. */}
                {m.subject && (
                  <p className="inbox-subject" data-i18n-external>
                    {m.subject}
                  </p>
                )}
                <pre className="inbox-body" data-i18n-external>
                  {m.body}
                </pre>
              </li>
            ))}
          </ul>
        )}
      </div>
    </aside>
  );
}
