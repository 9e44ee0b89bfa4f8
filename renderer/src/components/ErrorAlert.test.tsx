import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useWizardStore } from '../store/wizard.store';
import { callMock, journey, mockBridge, resetStore } from '../test-utils';
import { ErrorAlert } from './ErrorAlert';

vi.mock('../bridge', async (orig) => ({ ...(await orig<typeof import('../bridge')>()), call: vi.fn() }));

describe('ErrorAlert', () => {
  beforeEach(() => {
    resetStore({ journey: journey({ step: 'authenticator' }) });
    callMock.mockReset();
  });

  it('a lost session offers a fresh sign-in, which ends the session and takes the host’s journey', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ signOut: () => journey({ step: 'sign-in' }) });
    render(<ErrorAlert error={{ code: 'NOT_SIGNED_IN', message: 'x' }} />);
    expect(screen.getByRole('alert')).toHaveTextContent('You need to sign in first.');
    await user.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(callMock).toHaveBeenCalledWith('signOut', {});
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('sign-in'));
  });

  it('other errors do not offer it, and never show the host’s raw code or message', () => {
    render(<ErrorAlert error={{ code: 'CODE_INVALID', message: 'raw host text' }} />);
    expect(screen.queryByRole('button', { name: 'Sign in again' })).not.toBeInTheDocument();
    expect(screen.getByRole('alert')).not.toHaveTextContent('raw host text');
  });
});
