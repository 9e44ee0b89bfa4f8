import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useWizardStore } from '../store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from '../test-utils';
import { Phone } from './Phone';

vi.mock('../bridge', async (orig) => ({ ...(await orig<typeof import('../bridge')>()), call: vi.fn() }));

const valid = (mobile: string) => ({ valid: true, e164: mobile, isChina: mobile.startsWith('+86') });
const sent = (cooldownMs: number) => ({
  sentTo: '+65****4567',
  resendAvailableAt: new Date(Date.now() + cooldownMs).toISOString(),
  expiresAt: new Date(Date.now() + 600_000).toISOString(),
});

describe('Phone', () => {
  beforeEach(() => {
    resetStore({ journey: journey({ step: 'phone', signedIn: true }) });
    callMock.mockReset();
  });

  it('empty: asks for the number before sending anything', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Phone />);
    expect(screen.getByRole('group', { name: 'Mobile number' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    expect(screen.getByText('Enter your mobile number.')).toBeInTheDocument();
    expect(callMock).not.toHaveBeenCalled();
  });

  it('invalid: shows the host’s phone message next to the field', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ validateMobile: () => ({ valid: false, isChina: false, message: 'This is not a Singapore mobile number.' }) });
    render(<Phone />);
    await user.type(screen.getByLabelText('Mobile number'), '1234');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    expect(await screen.findByText('This is not a Singapore mobile number.')).toBeInTheDocument();
    expect(callMock).toHaveBeenCalledWith('validateMobile', { mobile: '+651234', defaultCountry: 'SG' });
    expect(callMock).not.toHaveBeenCalledWith('sendPhoneCode', expect.anything());
  });

  it('+86: shows the China SMS warning with the support path', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Phone />);
    await user.selectOptions(screen.getByLabelText('Country code'), 'CN');
    expect(screen.getByText('SMS to China (+86) numbers may be blocked')).toBeInTheDocument();
    expect(screen.getByText(/password-protected ZIP/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Contact TechPass support/ })).toBeInTheDocument();
  });

  it('submitting, cooldown, then success', async () => {
    const user = userEvent.setup({ delay: null });
    const wait = deferred<ReturnType<typeof sent>>();
    mockBridge({
      validateMobile: (r) => valid(r.mobile),
      sendPhoneCode: () => wait.promise,
      verifyPhoneCode: () => journey({ step: 'terms' }),
    });
    render(<Phone />);
    await user.type(screen.getByLabelText('Mobile number'), '9123 4567');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    expect(await screen.findByText('Sending the code…')).toBeInTheDocument();
    wait.resolve(sent(45_000));
    expect(await screen.findByText(/We sent a 6-digit code to \+65\*\*\*\*4567/)).toBeInTheDocument();
    expect(callMock).toHaveBeenCalledWith('sendPhoneCode', { mobile: '+6591234567' });
    expect(screen.getByRole('button', { name: 'Send a new code' })).toBeDisabled();
    expect(screen.getByText(/You can ask for a new code in 4\d seconds/)).toBeInTheDocument();
    expect(document.activeElement).toBe(screen.getByLabelText(/^6-digit code/));
    expect(screen.getByRole('heading', { name: 'No code arrived?' })).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^6-digit code/), '246810');
    await user.click(screen.getByRole('button', { name: 'Verify phone' }));
    expect(callMock).toHaveBeenLastCalledWith('verifyPhoneCode', { code: '246810' });
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('terms'));
  });

  it('resend is offered once the cooldown has passed', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ validateMobile: (r) => valid(r.mobile), sendPhoneCode: () => sent(-1000) });
    render(<Phone />);
    await user.type(screen.getByLabelText('Mobile number'), '91234567');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    const resend = await screen.findByRole('button', { name: 'Send a new code' });
    expect(resend).toBeEnabled();
    await user.click(resend);
    await vi.waitFor(() => expect(callMock.mock.calls.filter((c) => c[0] === 'sendPhoneCode')).toHaveLength(2));
  });

  it('error: rate limit and wrong code are announced with what to do', async () => {
    const user = userEvent.setup({ delay: null });
    let n = 0;
    mockBridge({
      validateMobile: (r) => valid(r.mobile),
      sendPhoneCode: () => {
        n += 1;
        if (n === 1) throw bridgeError('RATE_LIMITED', { details: { retryAfterSeconds: 30 } });
        return sent(30_000);
      },
      verifyPhoneCode: () => Promise.reject(bridgeError('CODE_EXPIRED')),
    });
    render(<Phone />);
    await user.type(screen.getByLabelText('Mobile number'), '91234567');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Too many requests');
    expect(alert).toHaveTextContent('Try again in 30 seconds.');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    await user.type(await screen.findByLabelText(/^6-digit code/), '111111');
    await user.click(screen.getByRole('button', { name: 'Verify phone' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That code has expired.');
  });

  it('resumes with the code already sent before a restart instead of sending another', () => {
    resetStore({ journey: journey({ step: 'phone', phoneCode: sent(20_000) }) });
    render(<Phone />);
    expect(screen.getByText(/We sent a 6-digit code to \+65\*\*\*\*4567/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send a new code' })).toBeDisabled();
    expect(callMock).not.toHaveBeenCalled();
  });
});
