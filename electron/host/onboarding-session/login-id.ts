/** The TechPass ID a sign-in step sends, checked before any request (used by the sign-in and verify steps). */
import { isEmailNotTechPassId } from '../../../shared/domain/registration-rules';
import { HostError } from '../host-error';

/** domain.md E-LOGIN-USE-USERNAME: LOCAL users sign in with the TechPass username, never their organisational email. */
export function checkLoginId(raw: string): string {
  const id = raw.trim();
  if (isEmailNotTechPassId(id)) {
    throw HostError.of('VALIDATION_FAILED', 'login id is an email address that is not a TechPass ID', {
      fields: { loginId: { code: 'login_id.use_username' } },
    });
  }
  return id;
}
