import { checkPassword, type PasswordContext } from '../../../shared/domain/password-policy';
import { t } from '../i18n';

/** The live §4.4 checklist: each rule ticks as the user types. Read politely so typing is not interrupted. */
export function PasswordChecklist({
  id,
  password,
  context,
}: {
  id: string;
  password: string;
  context: PasswordContext;
}): React.JSX.Element {
  const result = checkPassword(password, context);
  return (
    <div className="checklist" id={id}>
      <p className="checklist-title">{t.checklist.title}</p>
      <ul>
        {result.results.map((r) => {
          const ok = password.length > 0 && r.ok;
          return (
            <li key={r.id} className={ok ? 'rule rule-ok' : 'rule'} data-rule={r.id}>
              <span aria-hidden="true" className="rule-icon">
                {ok ? '✓' : '•'}
              </span>
              {t.checklist.rules[r.id]}
              <span className="visually-hidden"> ({ok ? t.checklist.met : t.checklist.notMet})</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
