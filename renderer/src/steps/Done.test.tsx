import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from '../test-utils';
import { Done } from './Done';

vi.mock('../bridge', async (orig) => ({ ...(await orig<typeof import('../bridge')>()), call: vi.fn() }));

const appInfo = (platform: string) => ({ name: 'TechPass Onboarding', version: '0.1.0', platform, host: 'web' as const });

describe('Done', () => {
  beforeEach(() => {
    callMock.mockReset();
    resetStore({
      appInfo: appInfo('win32'),
      journey: journey({
        step: 'done',
        loginId: 'jane.tan@techpass.gov.sg',
        seed: { state: 'PROVISIONED', emailExpiresAt: '2026-04-01T02:00:00Z' },
      }),
    });
  });

  it('vendor on Windows: the Windows steps first, the Mac steps after, the SEED email expiry and checks afterwards', () => {
    render(<Done />);
    expect(screen.getByRole('heading', { name: /vendor route/ })).toBeInTheDocument();
    const headings = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(headings.slice(0, 2)).toEqual(['On your computer (Windows)', 'On macOS']);
    expect(screen.getByText(/Managed by TechPass/)).toBeInTheDocument();
    expect(screen.getByText(/valid until 1 April 2026/)).toBeInTheDocument();
    expect(screen.getByText(/Cloudflare WARP/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /TechPass documentation/ })).toBeInTheDocument();
  });

  it('public officer route: enrol with WOG, the Intune Device ID, register it in the portal', () => {
    resetStore({ appInfo: appInfo('darwin'), journey: journey({ step: 'done', loginId: 'jane_tan@tech.gov.sg', seed: { state: 'PROVISIONED' } }) });
    render(<Done />);
    expect(screen.getByRole('heading', { name: /public officer route/ })).toBeInTheDocument();
    expect(screen.getByText(/Intune Device ID/)).toBeInTheDocument();
  });

  it('without SEED: says how to request it', () => {
    resetStore({ journey: journey({ step: 'done', seed: { state: 'NOT_REQUIRED' } }) });
    render(<Done />);
    expect(screen.getByText(/SEED is not part of your account/)).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: /route/ })).not.toBeInTheDocument();
  });

  it('finish: progress, then the final message; a failure is announced', async () => {
    const user = userEvent.setup({ delay: null });
    const wait = deferred<ReturnType<typeof journey>>();
    let n = 0;
    mockBridge({
      finishOnboarding: () => {
        n += 1;
        return n === 1 ? Promise.reject(bridgeError('KEYCHAIN_UNAVAILABLE')) : wait.promise;
      },
    });
    render(<Done />);
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('password store is not available');
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    expect(screen.getByText('Finishing…')).toBeInTheDocument();
    wait.resolve(journey({ step: 'done', onboardingComplete: true }));
    expect(await screen.findByText('All done. You can close this app.')).toBeInTheDocument();
  });
});
