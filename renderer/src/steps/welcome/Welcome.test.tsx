import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useWizardStore } from '../../store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from '../../test-utils';
import { Welcome } from './Welcome';

vi.mock('../../bridge', async (orig) => ({ ...(await orig<typeof import('../../bridge')>()), call: vi.fn() }));

const healthy = () => ({
  reachable: true,
  url: 'http://127.0.0.1:1',
  name: 'techpass-provisioning',
  version: '0.1.0',
  mode: 'test' as const,
});

type User = ReturnType<typeof userEvent.setup>;
async function answer(user: User, email: string, sgts: 'Yes' | 'No', nonSe: 'Yes' | 'No', seed: 'Yes' | 'No') {
  await user.type(screen.getByLabelText(/^Your organisational email/), email);
  const groups = screen.getAllByRole('group');
  const pick = async (i: number, v: string) =>
    user.click(screen.getAllByRole('radio', { name: v }).filter((r) => groups[i]?.contains(r))[0] as HTMLElement);
  await pick(0, sgts);
  await pick(1, nonSe);
  await pick(2, seed);
  await user.click(screen.getByRole('button', { name: 'Show my route' }));
}

describe('Welcome', () => {
  beforeEach(() => {
    resetStore({ journey: journey() });
    callMock.mockReset();
  });

  it('says what the app does, how long it takes and what to have ready, with the live backend status', async () => {
    mockBridge({ getBackendStatus: healthy });
    render(<Welcome />);
    expect(screen.getByRole('heading', { level: 1, name: 'Set up your TechPass account' })).toBeInTheDocument();
    expect(screen.getByText('It takes about 15 minutes.')).toBeInTheDocument();
    expect(screen.getByText(/Microsoft Authenticator/)).toBeInTheDocument();
    expect(await screen.findByTestId('backend-status')).toHaveTextContent(
      'Connected to techpass-provisioning 0.1.0 — Test mode',
    );
  });

  it('an unreachable backend is announced with a retry and the support link', async () => {
    const user = userEvent.setup({ delay: null });
    let n = 0;
    mockBridge({
      getBackendStatus: () => {
        n += 1;
        if (n === 1) throw bridgeError('BACKEND_UNREACHABLE');
        return healthy();
      },
    });
    render(<Welcome />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Cannot reach the TechPass service.');
    expect(screen.getByRole('link', { name: /Contact TechPass support/ })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('backend-status')).toBeInTheDocument();
  });

  it('"I have an invitation" moves to registration through navigate, with progress and errors', async () => {
    const user = userEvent.setup({ delay: null });
    const wait = deferred<ReturnType<typeof journey>>();
    let n = 0;
    mockBridge({
      getBackendStatus: healthy,
      navigate: () => {
        n += 1;
        return n === 1 ? Promise.reject(bridgeError('TIMEOUT')) : wait.promise;
      },
    });
    render(<Welcome />);
    await user.click(screen.getByRole('button', { name: 'I have an invitation email' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('took too long');
    await user.click(screen.getByRole('button', { name: 'I have an invitation email' }));
    expect(callMock).toHaveBeenLastCalledWith('navigate', { to: 'register' });
    expect(screen.getByText('Please wait…')).toBeInTheDocument();
    wait.resolve(journey({ step: 'register' }));
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('register'));
  });

  it('eligibility: empty answers are flagged', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ getBackendStatus: healthy });
    render(<Welcome />);
    await user.click(screen.getByRole('button', { name: 'I do not have an invitation' }));
    await user.click(screen.getByRole('button', { name: 'Show my route' }));
    expect(screen.getAllByText('Answer every question.')).toHaveLength(3);
    expect(screen.queryByTestId('route')).not.toBeInTheDocument();
  });

  it.each([
    ['jane@accenture.com', 'No', 'Yes', 'No', /Get invited by your project manager/],
    ['jane@gmail.com', 'No', 'Yes', 'No', /Contact TechPass support/],
    ['jane_tan@cpf.gov.sg', 'No', 'Yes', 'No', /Sign up yourself/],
    ['jane_tan@cpf.gov.sg', 'No', 'No', 'No', /service request for an SE GSIB account/],
    ['jane@litemail.gov.sg', 'No', 'Yes', 'No', /Upgrade to a standard mailbox/],
  ] as const)(
    'eligibility: %s (SGTS %s, non-SE GSIB %s, SEED %s) gets its route and reason',
    async (email, sgts, nonSe, seed, route) => {
      const user = userEvent.setup({ delay: null });
      mockBridge({ getBackendStatus: healthy });
      render(<Welcome />);
      await user.click(screen.getByRole('button', { name: 'I do not have an invitation' }));
      await answer(user, email, sgts, nonSe, seed);
      expect(await screen.findByTestId('route')).toHaveTextContent(route);
    },
  );

  it('a user who already has an account can go straight to sign-in', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ getBackendStatus: healthy, navigate: (r) => journey({ step: r.to }) });
    render(<Welcome />);
    await user.click(screen.getByRole('button', { name: /I already have a TechPass account/ }));
    expect(callMock).toHaveBeenCalledWith('navigate', { to: 'sign-in' });
  });
});
