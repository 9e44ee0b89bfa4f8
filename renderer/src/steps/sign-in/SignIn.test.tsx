import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useWizardStore } from '../../store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from '../../test-utils';
import { SignIn } from './SignIn';

vi.mock('../../bridge', async (orig) => ({ ...(await orig<typeof import('../../bridge')>()), call: vi.fn() }));

type SignInResult = { status: 'signed_in' | 'mfa_required'; journey: ReturnType<typeof journey> };

describe('SignIn', () => {
  beforeEach(() => {
    resetStore({ journey: journey({ step: 'sign-in', passwordDelivery: 'sms' }) });
    callMock.mockReset();
  });

  it('empty: asks for the TechPass ID and password without calling the host', async () => {
    const user = userEvent.setup({ delay: null });
    render(<SignIn />);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByText('Enter your TechPass ID.')).toBeInTheDocument();
    expect(screen.getByText('Enter your password.')).toBeInTheDocument();
    expect(callMock).not.toHaveBeenCalled();
  });

  it('invalid: an email address is answered at once with "use the username", and never sent', async () => {
    const user = userEvent.setup({ delay: null });
    render(<SignIn />);
    const login = screen.getByLabelText(/TechPass ID/);
    await user.type(login, 'jane.tan@accenture.com');
    expect(screen.getByText(/This looks like an email address/)).toBeInTheDocument();
    // It says what the username is, not just that this is wrong.
    expect(login).toHaveAccessibleDescription(/Your TechPass username is the part before @techpass\.gov\.sg/);
    expect(login).toHaveAttribute('aria-invalid', 'true');
    await user.type(screen.getByLabelText(/^Password/), 'whatever');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(callMock).not.toHaveBeenCalled();
    await user.clear(login);
    await user.type(login, 'jane.tan@techpass.gov.sg');
    expect(screen.queryByText(/This looks like an email address/)).not.toBeInTheDocument();
  });

  it('submitting then success: shows progress, keeps the password while it runs, clears it once accepted, stores the journey', async () => {
    const user = userEvent.setup({ delay: null });
    const wait = deferred<SignInResult>();
    mockBridge({ signIn: () => wait.promise });
    render(<SignIn />);
    await user.type(screen.getByLabelText(/TechPass ID/), 'Jane.Tan');
    await user.type(screen.getByLabelText(/^Password/), 'Init1al!Pass');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(callMock).toHaveBeenCalledWith('signIn', { loginId: 'jane.tan@techpass.gov.sg', password: 'Init1al!Pass' });
    expect(screen.getByText('Signing in…')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Password/)).toHaveValue('Init1al!Pass');
    wait.resolve({ status: 'signed_in', journey: journey({ step: 'authenticator', signedIn: true }) });
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('authenticator'));
    expect(screen.getByLabelText(/^Password/)).toHaveValue('');
    expect(JSON.stringify(useWizardStore.getState())).not.toContain('Init1al!Pass');
  });

  it('a timeout on a slow link keeps what was typed (password included) and says so; trying again sends the same', async () => {
    const user = userEvent.setup({ delay: null });
    let n = 0;
    mockBridge({
      signIn: () => {
        n += 1;
        if (n === 1) throw bridgeError('TIMEOUT');
        return { status: 'signed_in', journey: journey({ step: 'authenticator', signedIn: true }) };
      },
    });
    render(<SignIn />);
    await user.type(screen.getByLabelText(/TechPass ID/), 'jane.tan');
    await user.type(screen.getByLabelText(/^Password/), 'Init1al!Pass');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('What you typed is kept');
    expect(screen.getByLabelText(/^Password/)).toHaveValue('Init1al!Pass');
    expect(screen.getByLabelText(/TechPass ID/)).toHaveValue('jane.tan');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(callMock).toHaveBeenLastCalledWith('signIn', {
      loginId: 'jane.tan@techpass.gov.sg',
      password: 'Init1al!Pass',
    });
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('authenticator'));
  });

  it('mfa_required: asks for the authenticator code and submits it', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({
      signIn: () => ({ status: 'mfa_required', journey: journey({ step: 'sign-in' }) }),
      submitMfaCode: () => journey({ step: 'terms', signedIn: true }),
    });
    render(<SignIn />);
    await user.type(screen.getByLabelText(/TechPass ID/), 'jane.tan');
    await user.type(screen.getByLabelText(/^Password/), 'Init1al!Pass');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Enter your authenticator code' })).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^6-digit code/), '12a3456');
    expect(screen.getByLabelText(/^6-digit code/)).toHaveValue('123456');
    await user.click(screen.getByRole('button', { name: 'Verify code' }));
    expect(callMock).toHaveBeenLastCalledWith('submitMfaCode', { code: '123456' });
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('terms'));
  });

  it('a wrong authenticator code: wait for the next code and check the phone clock (never "ask for a new one")', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({
      signIn: () => ({ status: 'mfa_required', journey: journey({ step: 'sign-in' }) }),
      submitMfaCode: () => Promise.reject(bridgeError('CODE_INVALID')),
    });
    render(<SignIn />);
    await user.type(screen.getByLabelText(/TechPass ID/), 'jane.tan');
    await user.type(screen.getByLabelText(/^Password/), 'Init1al!Pass');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await user.type(await screen.findByLabelText(/^6-digit code/), '000000');
    await user.click(screen.getByRole('button', { name: 'Verify code' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Wait for the next code in your authenticator app');
    expect(alert).toHaveTextContent('sets its date and time automatically');
    expect(alert).not.toHaveTextContent(/new one/);
    await vi.waitFor(() => expect(alert).toHaveFocus());
  });

  it('error: a wrong password is announced with what to do and a support link', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ signIn: () => Promise.reject(bridgeError('INVALID_CREDENTIALS')) });
    render(<SignIn />);
    await user.type(screen.getByLabelText(/TechPass ID/), 'jane.tan');
    await user.type(screen.getByLabelText(/^Password/), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The username or password is wrong.');
    expect(alert).toHaveTextContent('After several failures');
    expect(alert).not.toHaveTextContent(/\b5 (failed|attempts|tries|times)/);
    expect(within(alert).getByRole('link', { name: /Contact TechPass support/ })).toBeInTheDocument();
  });

  it.each([
    [
      'ACCOUNT_LOCKED',
      'Your account is locked',
      /stays locked until you reset your password: waiting does not unlock it/,
    ],
    ['ACCOUNT_DISABLED', 'Your account is disabled', /re-enable it, then sign in within 5 days/],
    ['ACCOUNT_TERMINATED', 'Your account has been closed', /new invitation/],
    ['ACCOUNT_RISK', 'Sign-in blocked for your protection', /remediation steps/],
  ] as const)('%s gets its own screen with the next action', async (code, title, next) => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ signIn: () => Promise.reject(bridgeError(code)) });
    render(<SignIn />);
    await user.type(screen.getByLabelText(/TechPass ID/), 'jane.tan');
    await user.type(screen.getByLabelText(/^Password/), 'pw');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const heading = await screen.findByRole('heading', { level: 1, name: title });
    await vi.waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByText(next)).toBeInTheDocument();
    expect(
      decodeURIComponent(screen.getByRole('link', { name: /Contact TechPass support/ }).getAttribute('href') ?? ''),
    ).toContain(code);
  });

  it('locked: the self-service reset sends a code and sets a new password', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({
      signIn: () => Promise.reject(bridgeError('ACCOUNT_LOCKED')),
      startPasswordReset: () => ({}),
      completePasswordReset: () => ({}),
    });
    render(<SignIn />);
    await user.type(screen.getByLabelText(/TechPass ID/), 'jane.tan');
    await user.type(screen.getByLabelText(/^Password/), 'pw');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await user.click(await screen.findByRole('button', { name: 'Reset your password' }));
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    expect(callMock).toHaveBeenLastCalledWith('startPasswordReset', { loginId: 'jane.tan@techpass.gov.sg' });
    // Users whose SMS never arrives (+86) get the support path that lets them finish (§5.2).
    expect(screen.getByText('No code arrived?')).toBeInTheDocument();
    expect(screen.getByText(/\+86 \(China\) numbers.*one-time link/)).toBeInTheDocument();
    await user.type(await screen.findByLabelText(/^6-digit code/), '654321');
    await user.type(screen.getByLabelText(/^New password/), 'Brand-new-Pw9');
    await user.type(screen.getByLabelText(/^Confirm new password/), 'Brand-new-Pw9');
    await user.click(screen.getByRole('button', { name: 'Reset password' }));
    expect(callMock).toHaveBeenLastCalledWith('completePasswordReset', {
      loginId: 'jane.tan@techpass.gov.sg',
      code: '654321',
      newPassword: 'Brand-new-Pw9',
    });
    expect(await screen.findByText(/password is reset and the account is unlocked/)).toBeInTheDocument();
  });

  it('resumes at the authenticator code when a password was already accepted (mfaPending)', () => {
    resetStore({ journey: journey({ step: 'sign-in', mfaPending: true }) });
    render(<SignIn />);
    expect(screen.getByRole('heading', { level: 1, name: 'Enter your authenticator code' })).toBeInTheDocument();
  });

  it('without a registration on this computer, Back returns to the start', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ navigate: (r) => journey({ step: r.to }) });
    render(<SignIn />);
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(callMock).toHaveBeenCalledWith('navigate', { to: 'welcome' });
  });

  it('SMS variant: says what to do when the password SMS never came, with the support link', async () => {
    const user = userEvent.setup({ delay: null });
    render(<SignIn />);
    await user.click(screen.getByText('No SMS with your password?'));
    expect(screen.getByText(/password-protected ZIP/)).toBeVisible();
    expect(
      decodeURIComponent(screen.getByRole('link', { name: /Contact TechPass support/ }).getAttribute('href') ?? ''),
    ).toContain('E-SMS-MISSING');
  });

  it('SMS variant: "Send my first password again" for the TechPass ID typed, with the registered mobile, beside the service request', async () => {
    const user = userEvent.setup({ delay: null });
    resetStore({ journey: journey({ step: 'sign-in', passwordDelivery: 'sms', registeredMobile: '+6581234567' }) });
    mockBridge({
      resendInitialPassword: () => ({
        sentTo: '+65 ••••4567',
        sentToday: 1,
        dailyLimit: 5,
        resendAvailableAt: new Date(Date.now() + 60_000).toISOString(),
      }),
    });
    render(<SignIn />);
    await user.type(screen.getByLabelText(/TechPass ID/), 'jane.tan');
    await user.click(screen.getByText('No SMS with your password?'));
    await user.click(screen.getByRole('button', { name: 'Send my first password again' }));
    expect(callMock).toHaveBeenCalledWith('resendInitialPassword', { loginId: 'jane.tan@techpass.gov.sg' });
    expect(screen.getByText(/1 of 5 sent today/)).toBeInTheDocument();
    expect(
      decodeURIComponent(screen.getByRole('link', { name: /Contact TechPass support/ }).getAttribute('href') ?? ''),
    ).toContain('E-SMS-MISSING');
  });

  it('self-set password: no first-password resend is offered', () => {
    resetStore({ journey: journey({ step: 'sign-in', passwordDelivery: 'self_set' }) });
    render(<SignIn />);
    expect(screen.queryByRole('button', { name: 'Send my first password again' })).not.toBeInTheDocument();
  });

  it('names the user’s own TechPass ID in the "use the username" message when it is known', async () => {
    const user = userEvent.setup({ delay: null });
    resetStore({ journey: journey({ step: 'sign-in', loginId: 'priya.raman@techpass.gov.sg' }) });
    render(<SignIn />);
    const login = screen.getByLabelText(/TechPass ID/);
    await user.clear(login);
    await user.type(login, 'priya@infosys.com');
    expect(
      screen.getByText(/onboarding email \(priya\.raman@techpass\.gov\.sg\): sign in with that, not with your email/),
    ).toBeInTheDocument();
  });
});
