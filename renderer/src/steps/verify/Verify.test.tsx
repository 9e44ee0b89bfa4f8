import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useWizardStore } from '../../store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from '../../test-utils';
import { Verify } from './Verify';

vi.mock('../../bridge', async (orig) => ({ ...(await orig<typeof import('../../bridge')>()), call: vi.fn() }));

const base = journey({ step: 'verify', loginId: 'jane.tan@techpass.gov.sg', seed: { state: 'PROVISIONED' } });

async function fill(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText(/^Password/), 'Blue-Harbour-42');
  await user.type(screen.getByLabelText(/^6-digit code/), '135790');
  await user.click(screen.getByRole('button', { name: 'Verify sign-in' }));
}

describe('Verify', () => {
  beforeEach(() => {
    resetStore({ journey: base });
    callMock.mockReset();
  });

  it('empty: needs the password and a code; the TechPass ID is pre-filled', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Verify />);
    expect(screen.getByLabelText(/^TechPass ID/)).toHaveValue('jane.tan@techpass.gov.sg');
    await user.click(screen.getByRole('button', { name: 'Verify sign-in' }));
    expect(screen.getByText('Enter your password.')).toBeInTheDocument();
    expect(screen.getByText('Enter the 6-digit code.')).toBeInTheDocument();
    expect(callMock).not.toHaveBeenCalled();
  });

  it('invalid: an email instead of the username is flagged at once', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Verify />);
    await user.clear(screen.getByLabelText(/^TechPass ID/));
    await user.type(screen.getByLabelText(/^TechPass ID/), 'jane@accenture.com');
    expect(screen.getByText(/This looks like an email address/)).toBeInTheDocument();
    await fill(user);
    expect(callMock).not.toHaveBeenCalled();
  });

  it('submitting then success: keeps the secrets while it runs, then offers the device check when SEED is provisioned', async () => {
    const user = userEvent.setup({ delay: null });
    const wait = deferred<ReturnType<typeof journey>>();
    mockBridge({ verifySignIn: () => wait.promise, navigate: (r) => journey({ step: r.to }) });
    render(<Verify />);
    await fill(user);
    expect(callMock).toHaveBeenCalledWith('verifySignIn', {
      loginId: 'jane.tan@techpass.gov.sg',
      password: 'Blue-Harbour-42',
      code: '135790',
    });
    expect(screen.getByText('Signing in again…')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Password/)).toHaveValue('Blue-Harbour-42');
    wait.resolve(base);
    expect(await screen.findByText('Your TechPass sign-in works.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Continue to the device check' }));
    expect(callMock).toHaveBeenLastCalledWith('navigate', { to: 'device-check' });
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('device-check'));
  });

  it('without SEED the next step is done', async () => {
    const user = userEvent.setup({ delay: null });
    resetStore({ journey: { ...base, seed: { state: 'NOT_REQUIRED' } } });
    mockBridge({
      verifySignIn: () => ({ ...base, seed: { state: 'NOT_REQUIRED' as const } }),
      navigate: (r) => journey({ step: r.to }),
    });
    render(<Verify />);
    await fill(user);
    await user.click(await screen.findByRole('button', { name: 'Continue' }));
    expect(callMock).toHaveBeenLastCalledWith('navigate', { to: 'done' });
  });

  it('error: a refused sign-in is announced', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ verifySignIn: () => Promise.reject(bridgeError('CODE_REUSED')) });
    render(<Verify />);
    await fill(user);
    expect(await screen.findByRole('alert')).toHaveTextContent('That code was already used.');
  });

  it('resumes on the success view when the host says the login was already verified', () => {
    resetStore({ journey: { ...base, verified: true } });
    render(<Verify />);
    expect(screen.getByText('Your TechPass sign-in works.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Continue to the device check' })).toBeInTheDocument();
  });
});
