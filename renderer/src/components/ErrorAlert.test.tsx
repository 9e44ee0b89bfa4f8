import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadLocale } from '../i18n';
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
    render(<ErrorAlert error={{ code: 'NOT_SIGNED_IN' }} />);
    expect(screen.getByRole('alert')).toHaveTextContent('You need to sign in first.');
    await user.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(callMock).toHaveBeenCalledWith('signOut', {});
    await vi.waitFor(() => expect(useWizardStore.getState().journey?.step).toBe('sign-in'));
  });

  it('other errors do not offer it, and word the code from the catalogue', () => {
    render(<ErrorAlert error={{ code: 'CODE_INVALID' }} />);
    expect(screen.queryByRole('button', { name: 'Sign in again' })).not.toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('That code is not right.');
  });

  it('words a host error’s reason and issuer from the catalogue, in the active language', async () => {
    const error = { code: 'TLS_UNTRUSTED', params: { reason: 'cert_expired', issuer: 'CN=Corp CA' } } as const;
    const { unmount } = render(<ErrorAlert error={error} />);
    expect(screen.getByRole('alert')).toHaveTextContent('The certificate has expired.');
    expect(screen.getByRole('alert')).toHaveTextContent('Certificate issued by: CN=Corp CA');
    unmount();
    await loadLocale('zh-CN');
    try {
      render(<ErrorAlert error={error} />);
      expect(screen.getByRole('alert')).toHaveTextContent('该证书已过期。');
      expect(screen.getByRole('alert')).toHaveTextContent('证书颁发者：CN=Corp CA');
    } finally {
      await loadLocale('en');
    }
  });
});
