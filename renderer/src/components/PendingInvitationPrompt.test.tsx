import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useWizardStore } from '../store/wizard.store';
import { callMock, journey, mockBridge, resetStore } from '../test-utils';
import { PendingInvitationPrompt } from './PendingInvitationPrompt';

vi.mock('../bridge', async (orig) => ({ ...(await orig<typeof import('../bridge')>()), call: vi.fn() }));

describe('PendingInvitationPrompt', () => {
  beforeEach(() => {
    resetStore({ journey: journey({ step: 'phone', signedIn: true }) });
    callMock.mockReset();
  });

  it('asks in plain words; nothing is sent until the user answers; keeping sends accept: false', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ answerPendingInvitation: () => journey({ step: 'phone', signedIn: true }) });
    render(<PendingInvitationPrompt pending={{ emailMasked: 'n***@vendor.example' }} />);
    expect(screen.getByRole('alertdialog', { name: 'A new invitation was opened' })).toHaveTextContent(
      'A new invitation was opened. Continue with it? Your current progress on this computer will be replaced.',
    );
    expect(screen.getByText('The new invitation was sent to n***@vendor.example.')).toBeInTheDocument();
    expect(callMock).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Keep my current progress' }));
    expect(callMock).toHaveBeenCalledWith('answerPendingInvitation', { accept: false });
  });

  it('continuing sends accept: true and shows the journey the host returns', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ answerPendingInvitation: () => journey({ step: 'register' }) });
    render(<PendingInvitationPrompt pending={{ emailMasked: 'n***@vendor.example' }} />);
    await user.click(screen.getByRole('button', { name: 'Continue with the new invitation' }));
    expect(callMock).toHaveBeenCalledWith('answerPendingInvitation', { accept: true });
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('register'));
  });
});
