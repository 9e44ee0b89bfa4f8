import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useWizardStore } from '../../store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from '../../test-utils';
import { Authenticator, groupKey } from './Authenticator';

vi.mock('../../bridge', async (orig) => ({ ...(await orig<typeof import('../../bridge')>()), call: vi.fn() }));

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/TechPass:jane.tan%40techpass.gov.sg?secret=${SECRET}&issuer=TechPass`;
const enrolment = () => ({ secret: SECRET, otpauthUri: URI });

describe('Authenticator', () => {
  beforeEach(() => {
    resetStore({ journey: journey({ step: 'authenticator', signedIn: true }) });
    callMock.mockReset();
  });

  it('shows the Microsoft Authenticator TOTP path (not the work-account path), the QR as an SVG image and the manual key', async () => {
    mockBridge({ startAuthenticatorEnrolment: enrolment });
    render(<Authenticator />);
    expect(screen.getByText(/Other account \(Google, Facebook, etc\.\)/)).toBeInTheDocument();
    expect(screen.getByText(/Do not choose "Work or school account"/)).toBeInTheDocument();
    expect(screen.getByText(/Any authenticator app/)).toBeInTheDocument();
    const img = await screen.findByRole('img', { name: /QR code/ });
    expect(img.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    expect(screen.getByRole('heading', { name: "Can't scan?" })).toBeInTheDocument();
    expect(screen.getByTestId('manual-key')).toHaveTextContent(groupKey(SECRET));
    expect(screen.getByText(/jane.tan@techpass.gov.sg/)).toBeInTheDocument();
    // The secret lives only in the component: never in the shared store.
    expect(JSON.stringify(useWizardStore.getState())).not.toContain(SECRET);
  });

  it('copies the key to the clipboard', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ startAuthenticatorEnrolment: enrolment });
    render(<Authenticator />);
    await user.click(await screen.findByRole('button', { name: 'Copy key' }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    expect(await screen.findByText('Key copied')).toBeInTheDocument();
  });

  it('warns about clock drift reported by the host', async () => {
    resetStore({ journey: journey({ step: 'authenticator', clockDriftSeconds: -95 }) });
    mockBridge({ startAuthenticatorEnrolment: enrolment });
    render(<Authenticator />);
    expect(screen.getByText(/95 seconds behind the TechPass service/)).toBeInTheDocument();
    await screen.findByRole('img', { name: /QR code/ });
  });

  it('empty and invalid codes are not sent', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ startAuthenticatorEnrolment: enrolment });
    render(<Authenticator />);
    await screen.findByRole('img', { name: /QR code/ });
    await user.click(screen.getByRole('button', { name: 'Verify and continue' }));
    expect(screen.getByText('Enter the 6-digit code.')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^6-digit code/), '12345');
    await user.click(screen.getByRole('button', { name: 'Verify and continue' }));
    expect(callMock).not.toHaveBeenCalledWith('verifyAuthenticator', expect.anything());
  });

  it('submitting then success: progress while checking, then the new journey', async () => {
    const user = userEvent.setup({ delay: null });
    const wait = deferred<ReturnType<typeof journey>>();
    mockBridge({ startAuthenticatorEnrolment: enrolment, verifyAuthenticator: () => wait.promise });
    render(<Authenticator />);
    await screen.findByRole('img', { name: /QR code/ });
    await user.type(screen.getByLabelText(/^6-digit code/), '123456');
    await user.click(screen.getByRole('button', { name: 'Verify and continue' }));
    expect(callMock).toHaveBeenLastCalledWith('verifyAuthenticator', { code: '123456' });
    expect(screen.getByText('Checking the code…')).toBeInTheDocument();
    wait.resolve(journey({ step: 'phone' }));
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('phone'));
  });

  it('error: a wrong code is announced and the field cleared; a failed enrolment can be retried', async () => {
    const user = userEvent.setup({ delay: null });
    let attempts = 0;
    mockBridge({
      startAuthenticatorEnrolment: () => {
        attempts += 1;
        if (attempts === 1) throw bridgeError('TIMEOUT');
        return enrolment();
      },
      verifyAuthenticator: () => Promise.reject(bridgeError('CODE_INVALID')),
    });
    render(<Authenticator />);
    expect(await screen.findByRole('alert')).toHaveTextContent('took too long');
    await user.click(screen.getByRole('button', { name: 'Create a new QR code' }));
    await screen.findByRole('img', { name: /QR code/ });
    await user.type(screen.getByLabelText(/^6-digit code/), '000000');
    await user.click(screen.getByRole('button', { name: 'Verify and continue' }));
    const alert = await screen.findByRole('alert');
    // An authenticator code cannot be sent again: wait for the next one, and check the phone's clock.
    expect(alert).toHaveTextContent('That authenticator code is not right.');
    expect(alert).toHaveTextContent('Wait for the next code in your authenticator app');
    expect(alert).toHaveTextContent('check that your phone sets its date and time automatically');
    expect(alert).not.toHaveTextContent(/ask for a new/i);
    await vi.waitFor(() => expect(alert).toHaveFocus());
    expect(screen.getByLabelText(/^6-digit code/)).toHaveValue('');
  });
});
