import { checkPassword, PASSWORD_RULES, type PasswordContext } from '../../../shared/domain/password-policy';
import { format, t } from '../i18n';

/** Each rule's numbers (lengths, class count) as the policy states them: the catalogue words them, never repeats them. */
const RULE_PARAMS = new Map(
  PASSWORD_RULES.map((r) => [
    r.id,
    Object.fromEntries(Object.entries(r.params).filter((e): e is [string, number] => typeof e[1] === 'number')),
  ]),
);

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
              {format(t.checklist.rules[r.id], RULE_PARAMS.get(r.id) ?? {})}
              <span className="visually-hidden"> ({ok ? t.checklist.met : t.checklist.notMet})</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
