import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useWizardStore } from '../../store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from '../../test-utils';
import { Password } from './Password';

vi.mock('../../bridge', async (orig) => ({ ...(await orig<typeof import('../../bridge')>()), call: vi.fn() }));

const ruleItem = (text: RegExp) => screen.getByText(text).closest('li') as HTMLElement;

describe('Password', () => {
  beforeEach(() => {
    resetStore({ journey: journey({ step: 'password', username: 'jane.tan', signedIn: true }) });
    callMock.mockReset();
  });

  it('empty: asks for every field and sends nothing', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Password />);
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByText('Enter your password.')).toBeInTheDocument();
    expect(screen.getAllByText(/does not meet every rule/).length).toBe(1);
    expect(callMock).not.toHaveBeenCalled();
  });

  it('invalid: the live checklist ticks rules as the user types', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Password />);
    await user.type(screen.getByLabelText(/^Current password/), 'Init1al!Pass');
    const pw = screen.getByLabelText(/^New password/);
    await user.type(pw, 'jane.tan');
    expect(within(ruleItem(/Have 8 to 256 characters/)).getByText('(met)')).toBeInTheDocument();
    expect(within(ruleItem(/Not include your username/)).getByText('(not met)')).toBeInTheDocument();
    expect(within(ruleItem(/at least 3 of these 4/)).getByText('(not met)')).toBeInTheDocument();
    await user.clear(pw);
    await user.type(pw, 'Init1al!Pass');
    expect(within(ruleItem(/Not be a password you have used before/)).getByText('(not met)')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(callMock).not.toHaveBeenCalled();
  });

  it('submitting then success: keeps the fields while it runs, clears every password field once accepted', async () => {
    const user = userEvent.setup({ delay: null });
    const wait = deferred<ReturnType<typeof journey>>();
    mockBridge({ changePassword: () => wait.promise });
    render(<Password />);
    await user.type(screen.getByLabelText(/^Current password/), 'Init1al!Pass');
    await user.type(screen.getByLabelText(/^New password/), 'Blue-Harbour-42');
    await user.type(screen.getByLabelText(/^Confirm new password/), 'Blue-Harbour-42');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(callMock).toHaveBeenCalledWith('changePassword', {
      currentPassword: 'Init1al!Pass',
      newPassword: 'Blue-Harbour-42',
    });
    expect(screen.getByText('Changing your password…')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Current password/)).toHaveValue('Init1al!Pass');
    wait.resolve(journey({ step: 'terms' }));
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('terms'));
    for (const label of [/^Current password/, /^New password/, /^Confirm new password/]) {
      expect(screen.getByLabelText(label)).toHaveValue('');
    }
    const stored = JSON.stringify(useWizardStore.getState());
    expect(stored).not.toContain('Init1al!Pass');
    expect(stored).not.toContain('Blue-Harbour-42');
  });

  it('error: a reused password is announced', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ changePassword: () => Promise.reject(bridgeError('PASSWORD_REUSED')) });
    render(<Password />);
    await user.type(screen.getByLabelText(/^Current password/), 'Init1al!Pass');
    await user.type(screen.getByLabelText(/^New password/), 'Blue-Harbour-42');
    await user.type(screen.getByLabelText(/^Confirm new password/), 'Blue-Harbour-42');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You have used that password before.');
  });
});
