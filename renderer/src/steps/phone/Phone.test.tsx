import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useWizardStore } from '../../store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore, sentMethods } from '../../test-utils';
import type { PhoneCodeDelivery } from '../../components/SmsDelivery';
import { Phone } from './Phone';

vi.mock('../../bridge', async (orig) => ({ ...(await orig<typeof import('../../bridge')>()), call: vi.fn() }));

const sent = (cooldownMs: number) => ({
  sentTo: '+65****4567',
  resendAvailableAt: new Date(Date.now() + cooldownMs).toISOString(),
  expiresAt: new Date(Date.now() + 600_000).toISOString(),
});

describe('Phone', () => {
  beforeEach(() => {
    resetStore({ journey: journey({ step: 'phone', signedIn: true }) });
    callMock.mockReset();
    mockBridge({});
  });

  it('empty: asks for the number before sending anything', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Phone />);
    expect(screen.getByRole('group', { name: 'Mobile number' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    expect(await screen.findByText('Enter your mobile number.')).toBeInTheDocument();
    expect(sentMethods()).toEqual([]);
  });

  it('invalid: the shared rule’s message next to the field names the country and its form; nothing is sent', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({});
    render(<Phone />);
    await user.type(screen.getByLabelText('Mobile number'), '1234');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    const number = screen.getByLabelText('Mobile number');
    await vi.waitFor(() => expect(number).toHaveAttribute('aria-invalid', 'true'));
    expect(number).toHaveAccessibleDescription(
      /too short for Singapore \(\+65\)\. Mobile numbers there look like 8123 4567/,
    );
    expect(sentMethods()).toEqual([]);
  });

  it('+91 and +1: the messages name India and the United States, never Singapore', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({});
    render(<Phone />);
    await user.selectOptions(screen.getByLabelText('Country code'), 'IN');
    expect(screen.getByRole('group', { name: 'Mobile number' })).toHaveTextContent(
      /Mobile numbers in India look like 81234 56789\./,
    );
    await user.type(screen.getByLabelText('Mobile number'), '98765');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    expect(screen.getByLabelText('Mobile number')).toHaveAccessibleDescription(/India \(\+91\).*81234 56789/);
    expect(screen.getByLabelText('Mobile number')).not.toHaveAccessibleDescription(/Singapore/);
    await user.selectOptions(screen.getByLabelText('Country code'), 'US');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    expect(screen.getByLabelText('Mobile number')).toHaveAccessibleDescription(
      /United States \/ Canada \(\+1\).*201 555 0123/,
    );
  });

  it('prefills the number given at registration (editable) and sends it', async () => {
    const user = userEvent.setup({ delay: null });
    resetStore({
      journey: journey({
        step: 'phone',
        signedIn: true,
        businessOperation: 'offshore',
        registeredMobile: '+919876543210',
      }),
    });
    mockBridge({ sendPhoneCode: () => sent(30_000) });
    render(<Phone />);
    // The host splits the registered number into its country and the number as people write it.
    await vi.waitFor(() => expect(screen.getByLabelText('Country code')).toHaveValue('IN'));
    const number = screen.getByLabelText('Mobile number');
    expect(number).toHaveValue('98765 43210');
    expect(number).toBeEnabled();
    await user.clear(number);
    await user.type(number, '98765 00000');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    await vi.waitFor(() => expect(callMock).toHaveBeenCalledWith('sendPhoneCode', { mobile: '+919876500000' }));
  });

  it('a server objection to the number lands on the number field (no "check the highlighted fields")', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({
      sendPhoneCode: () =>
        Promise.reject(bridgeError('VALIDATION_FAILED', { fields: { mobile: { code: 'mobile.singapore_required' } } })),
    });
    render(<Phone />);
    await user.type(screen.getByLabelText('Mobile number'), '91234567');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    const number = screen.getByLabelText('Mobile number');
    await vi.waitFor(() =>
      expect(number).toHaveAccessibleDescription(/Onshore users must register a Singapore mobile number/),
    );
    expect(number).toHaveAttribute('aria-invalid', 'true');
    await vi.waitFor(() => expect(number).toHaveFocus());
    expect(screen.queryByText(/highlighted fields/)).not.toBeInTheDocument();
  });

  it('a pasted +86 number selects China, shows the warning after the Send button, and is sent as pasted', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ sendPhoneCode: () => sent(30_000) });
    render(<Phone />);
    await user.click(screen.getByLabelText('Mobile number'));
    await user.paste('+86 138 0013 8000');
    await vi.waitFor(() => expect(screen.getByLabelText('Country code')).toHaveValue('CN'));
    const warning = screen.getByText('SMS to China (+86) numbers may be blocked');
    const send = screen.getByRole('button', { name: 'Send code' });
    expect(send.compareDocumentPosition(warning) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await user.click(send);
    await vi.waitFor(() => expect(callMock).toHaveBeenCalledWith('sendPhoneCode', { mobile: '+8613800138000' }));
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
    // Focus moves in an effect once the code box is shown: waited for, not read in the same tick.
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText(/^6-digit code/)));
    expect(screen.getByRole('heading', { name: 'No code arrived?' })).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^6-digit code/), '246810');
    await user.click(screen.getByRole('button', { name: 'Verify phone' }));
    expect(callMock).toHaveBeenCalledWith('verifyPhoneCode', { code: '246810' });
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('terms'));
  });

  it('resend is offered once the cooldown has passed', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ sendPhoneCode: () => sent(-1000) });
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
      sendPhoneCode: () => {
        n += 1;
        if (n === 1) throw bridgeError('RATE_LIMITED', { params: { retryAfterSeconds: 30 } });
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
    expect(callMock).not.toHaveBeenCalledWith('sendPhoneCode', expect.anything());
  });

  it('a code the SMS service could not deliver: the failure is announced with the masked number and what to do', async () => {
    const user = userEvent.setup({ delay: null });
    const answers: PhoneCodeDelivery[] = [
      { state: 'queued', sentTo: '+65 ••••4567', isChina: false, undelivered: false },
      { state: 'retrying', sentTo: '+65 ••••4567', isChina: false, undelivered: true },
    ];
    mockBridge({
      sendPhoneCode: () => sent(30_000),
      getPhoneCodeDelivery: () =>
        answers.shift() ?? { state: 'retrying', sentTo: '+65 ••••4567', isChina: false, undelivered: true },
    });
    render(<Phone />);
    await user.type(screen.getByLabelText('Mobile number'), '9123 4567');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    await screen.findByText(/We sent a 6-digit code/);
    // The first answer says queued: nothing to announce yet; the live region is already in the page.
    const alert = screen.getByTestId('sms-delivery');
    expect(alert).toHaveAttribute('aria-live', 'assertive');
    expect(alert).toBeEmptyDOMElement();
    await vi.waitFor(() => expect(alert).toHaveTextContent('could not deliver'), { timeout: 6000 });
    expect(alert).toHaveTextContent('We could not deliver the code to +65 ••••4567 — here is what you can do');
    expect(alert).toHaveTextContent('TechPass keeps trying to send it for a while');
    expect(alert).toHaveTextContent('Check that the country code and number are right');
    expect(alert).toHaveTextContent('Try again later');
    expect(alert).toHaveTextContent('raise a service request');
    expect(alert).not.toHaveTextContent('gov.sg');
  });

  it('+86, given up by the gateway: the failure is final and names the gov.sg block in China; polling stops', async () => {
    resetStore({
      journey: journey({ step: 'phone', signedIn: true, phoneCode: { ...sent(20_000), sentTo: '+86 ••••0000' } }),
    });
    const poll = vi.fn((): PhoneCodeDelivery => ({
      state: 'rejected',
      sentTo: '+86 ••••0000',
      isChina: true,
      undelivered: true,
    }));
    mockBridge({ getPhoneCodeDelivery: poll });
    render(<Phone />);
    const alert = await screen.findByText('We could not deliver the code to +86 ••••0000 — here is what you can do');
    const region = alert.closest('[aria-live]')!;
    expect(region).toHaveTextContent('TechPass has stopped trying to send this code.');
    expect(region).toHaveTextContent('SMS from the gov.sg sender may be blocked in China (+86)');
    await new Promise((r) => setTimeout(r, 3500));
    expect(poll).toHaveBeenCalledTimes(1);
  });
});
