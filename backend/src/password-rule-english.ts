/**
 * The English wording of each password rule, for the API envelope's `message` (API consumers read it; the wizard
 * words the rule ids itself) and for the support reset page (`http/pages.ts`), which the backend serves in English.
 * Typed against the one list of rule ids, so a new rule without English fails to compile.
 */
import {
  DEFAULT_PASSWORD_POLICY,
  passwordRules,
  type PasswordPolicy,
  type PasswordRuleParams,
  type RuleId,
} from '../../shared/domain/password-policy';

export const PASSWORD_RULE_ENGLISH: Readonly<Record<RuleId, (p: PasswordRuleParams) => string>> = {
  length: (p) => `Use ${p.min} to ${p.max} characters.`,
  classes: (p) => `Use at least ${p.min} of these 4: an upper-case letter, a lower-case letter, a digit, a symbol.`,
  'no-username': () => 'Do not include your username.',
  'no-name': () => 'Do not include your first or last name.',
  'not-common': () => 'Do not use a common, easily guessed password.',
  'not-previous': () => 'Choose a password you have not used before (not the initial or current one).',
  'confirm-matches': () => 'Type the same password again in the confirm field.',
};

/** Each rule in the wizard's order with its English wording. */
export function passwordRulesEnglish(policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): { id: RuleId; text: string }[] {
  return passwordRules(policy).map((r) => ({ id: r.id, text: PASSWORD_RULE_ENGLISH[r.id](r.params) }));
}

/** The English of each failed rule, for an error envelope's `message`. */
export function describePasswordFailures(
  failed: readonly RuleId[],
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): string {
  const rules = passwordRulesEnglish(policy);
  return failed.map((id) => rules.find((r) => r.id === id)?.text ?? id).join(' ');
}
