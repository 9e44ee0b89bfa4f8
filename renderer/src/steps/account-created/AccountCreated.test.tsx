import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useWizardStore } from '../../store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from '../../test-utils';
import { AccountCreated } from './AccountCreated';

vi.mock('../../bridge', async (orig) => ({ ...(await orig<typeof import('../../bridge')>()), call: vi.fn() }));

const NOW = new Date('2026-03-02T02:00:00Z');
const registered = journey({
  step: 'account-created',
  loginId: 'jane.tan@techpass.gov.sg',
  registration: {
    username: 'jane.tan',
    loginId: 'jane.tan@techpass.gov.sg',
    passwordDelivery: 'sms',
    activateBy: '2026-03-31T02:00:00Z',
    seed: { state: 'PROVISIONED', emailExpiresAt: '2026-04-01T02:00:00Z' },
    emailSentTo: 'j*******@accenture.com',
    smsSentTo: '+91******3210',
  },
});

describe('AccountCreated', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    resetStore({ journey: registered });
    callMock.mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it('shows the TechPass ID to sign in with, where the messages went, the deadline with a countdown, and SEED', () => {
    render(<AccountCreated />);
    expect(screen.getByRole('heading', { level: 1, name: 'Your account is created' })).toBeInTheDocument();
    expect(screen.getByTestId('login-id')).toHaveTextContent('jane.tan@techpass.gov.sg');
    expect(screen.getByText(/not with your email address/)).toBeInTheDocument();
    expect(screen.getByText('We sent your onboarding email to j*******@accenture.com.')).toBeInTheDocument();
    expect(screen.getByText('We sent your first password by SMS to +91******3210.')).toBeInTheDocument();
    expect(screen.getByText(/junk, spam, deleted items and archive/)).toBeInTheDocument();
    expect(screen.getByText(/Activate your account by .*Tue 31 Mar 2026, 10:00 SGT/)).toBeInTheDocument();
    expect(screen.getByText(/^29 days left/)).toBeInTheDocument();
    expect(screen.getByText(/up to 3 business days/)).toBeInTheDocument();
    expect(screen.getByText(/valid until .*Wed 1 Apr 2026, 10:00 SGT/)).toBeInTheDocument();
  });

  it('reads 30 days left on the first day of a 30-day activation window (counted up, not down)', () => {
    const reg = registered.registration;
    if (!reg) throw new Error('fixture');
    // Registered a few seconds ago: 30 days minus a few seconds remain.
    const activateBy = new Date(NOW.getTime() + 30 * 86_400_000 - 5_000).toISOString();
    resetStore({ journey: { ...registered, registration: { ...reg, activateBy } } });
    render(<AccountCreated />);
    expect(screen.getByText(/^30 days left/)).toBeInTheDocument();
  });

  it('says less than a day is left on the last day', () => {
    const reg = registered.registration;
    if (!reg) throw new Error('fixture');
    const activateBy = new Date(NOW.getTime() + 3_600_000).toISOString();
    resetStore({ journey: { ...registered, registration: { ...reg, activateBy } } });
    render(<AccountCreated />);
    expect(screen.getByText(/^Less than a day left/)).toBeInTheDocument();
  });

  it('says to use the chosen password in the self-set variant and hides SEED when not requested', () => {
    const reg = registered.registration;
    if (!reg) throw new Error('fixture');
    resetStore({
      journey: {
        ...registered,
        registration: { ...reg, passwordDelivery: 'self_set', seed: { state: 'NOT_REQUIRED' } },
      },
    });
    render(<AccountCreated />);
    expect(screen.getByText(/password you chose/)).toBeInTheDocument();
    expect(screen.queryByText(/SMS to/)).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'SEED' })).not.toBeInTheDocument();
  });

  it('moves to sign-in through navigate, showing progress while it waits', async () => {
    vi.useRealTimers();
    const user = userEvent.setup({ delay: null });
    const wait = deferred<ReturnType<typeof journey>>();
    mockBridge({ navigate: () => wait.promise });
    render(<AccountCreated />);
    await user.click(screen.getByRole('button', { name: 'Sign in now' }));
    expect(callMock).toHaveBeenCalledWith('navigate', { to: 'sign-in' });
    expect(screen.getByText('Please wait…').closest('[role=status]')).not.toBeNull();
    expect(screen.getByRole('button', { name: 'Sign in now' })).toBeDisabled();
    wait.resolve(journey({ step: 'sign-in' }));
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('sign-in'));
  });

  it('reports a failed move with what to do and a support link', async () => {
    vi.useRealTimers();
    const user = userEvent.setup({ delay: null });
    mockBridge({ navigate: () => Promise.reject(bridgeError('BACKEND_UNREACHABLE')) });
    render(<AccountCreated />);
    await user.click(screen.getByRole('button', { name: 'Sign in now' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Cannot reach the TechPass service');
    expect(alert).toHaveTextContent('Check your connection');
    // The error's own support link (the first-password disclosure has another, for E-SMS-MISSING).
    const link = within(alert).getByRole('link', { name: /Contact TechPass support/ });
    expect(link.getAttribute('href')).toContain('go.gov.sg/seed-techpass-support');
    expect(decodeURIComponent(link.getAttribute('href') ?? '')).toContain('BACKEND_UNREACHABLE');
  });
});

describe('AccountCreated: first password by SMS not arrived', () => {
  beforeEach(() => {
    resetStore({ journey: { ...registered, registeredMobile: '+919876543210' } });
    callMock.mockReset();
  });

  it('offers "Send my first password again" for this TechPass ID, shows the count, and keeps the service request path', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({
      resendInitialPassword: () => ({
        sentTo: '+91 ••••3210',
        sentToday: 2,
        dailyLimit: 5,
        resendAvailableAt: new Date(Date.now() + 60_000).toISOString(),
      }),
    });
    render(<AccountCreated />);
    await user.click(screen.getByText('No SMS with your password?'));
    await user.click(screen.getByRole('button', { name: 'Send my first password again' }));
    expect(callMock).toHaveBeenCalledWith('resendInitialPassword', { loginId: 'jane.tan@techpass.gov.sg' });
    expect(screen.getByText(/Sent to \+91 ••••3210/)).toBeInTheDocument();
    expect(screen.getByText('2 of 5 sent today.')).toBeInTheDocument();
    expect(
      decodeURIComponent(screen.getByRole('link', { name: /Contact TechPass support/ }).getAttribute('href') ?? ''),
    ).toContain('E-SMS-MISSING');
  });
});

describe('AccountCreated: the first password SMS could not be delivered', () => {
  beforeEach(() => {
    resetStore({ journey: { ...registered, registeredMobile: '+8613800000000' } });
    callMock.mockReset();
  });

  it('announces the failure with the masked number and what to do, +86 included, in a live region', async () => {
    mockBridge({
      getInitialPasswordDelivery: () => ({ state: 'failed', sentTo: '+86 ••••0000', isChina: true, undelivered: true }),
    });
    render(<AccountCreated />);
    const region = screen.getByTestId('sms-delivery');
    expect(region).toHaveAttribute('aria-live', 'assertive');
    await vi.waitFor(() =>
      expect(region).toHaveTextContent(
        'We could not deliver your first password to +86 ••••0000 — here is what you can do',
      ),
    );
    expect(region).toHaveTextContent('TechPass has stopped trying to send this code.');
    expect(region).toHaveTextContent('Check that this is the number you registered with');
    expect(region).toHaveTextContent('Send my first password again');
    expect(region).toHaveTextContent('raise a service request');
    expect(region).toHaveTextContent('SMS from the gov.sg sender may be blocked in China (+86)');
  });

  it('says nothing while the SMS is on its way or sent, and never asks in the self-set variant', async () => {
    const poll = vi.fn(() => ({ state: 'sent' as const, sentTo: '+86 ••••0000', isChina: true, undelivered: false }));
    mockBridge({ getInitialPasswordDelivery: poll });
    const { unmount } = render(<AccountCreated />);
    await vi.waitFor(() => expect(poll).toHaveBeenCalled());
    expect(screen.getByTestId('sms-delivery')).toBeEmptyDOMElement();
    unmount();
    poll.mockClear();
    resetStore({
      journey: journey({
        ...registered,
        passwordDelivery: 'self_set',
        registration: { ...registered.registration!, passwordDelivery: 'self_set' },
      }),
    });
    render(<AccountCreated />);
    expect(screen.queryByTestId('sms-delivery')).toBeNull();
    expect(poll).not.toHaveBeenCalled();
  });
});
