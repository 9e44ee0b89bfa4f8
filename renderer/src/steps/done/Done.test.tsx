import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from '../../test-utils';
import type { SeedReport } from '../../../../shared/domain/seed-report';
import { useWizardStore } from '../../store/wizard.store';
import { Done } from './Done';

vi.mock('../../bridge', async (orig) => ({ ...(await orig<typeof import('../../bridge')>()), call: vi.fn() }));

const appInfo = (platform: string) => ({
  name: 'TechPass Onboarding',
  version: '0.1.0',
  platform,
  host: 'web' as const,
});

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
    expect(screen.getByText(/valid until .*Wed 1 Apr 2026, 10:00 SGT/)).toBeInTheDocument();
    expect(screen.getByText(/Cloudflare WARP/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /TechPass documentation/ })).toBeInTheDocument();
  });

  it('public officer route: enrol with WOG, the Intune Device ID, register it in the portal', () => {
    resetStore({
      appInfo: appInfo('darwin'),
      journey: journey({ step: 'done', loginId: 'jane_tan@tech.gov.sg', seed: { state: 'PROVISIONED' } }),
    });
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

const report = (verdict: SeedReport['verdict'], failed: number): SeedReport => ({
  verdict,
  checks: [
    {
      id: 'SEED-01',
      status: 'PASS',
      title: 'Supported OS',
      evidence: 'Windows 11',
      remediation: '',
      needsElevation: false,
    },
    ...Array.from({ length: failed }, (_, i) => ({
      id: `SEED-1${i}`,
      status: 'FAIL' as const,
      title: `Check ${i}`,
      evidence: 'x',
      remediation: 'Fix it',
      needsElevation: false,
    })),
  ],
  durationMs: 10,
  platform: 'win32',
  generatedAt: '2026-03-01T02:00:00Z',
});

describe('Done reflects what happened', () => {
  beforeEach(() => {
    callMock.mockReset();
  });
  const seedJourney = (extra: Partial<ReturnType<typeof journey>>) =>
    journey({
      step: 'done',
      verified: true,
      signedIn: true,
      loginId: 'jane.tan@techpass.gov.sg',
      seed: { state: 'PROVISIONED' },
      ...extra,
    });

  it('after a failed device check: no "You finished onboarding", the failures counted, and a way back to the check', async () => {
    const user = userEvent.setup({ delay: null });
    resetStore({ appInfo: appInfo('win32'), journey: seedJourney({ seedReport: report('BLOCKED', 2) }) });
    mockBridge({
      navigate: ({ to }) => journey({ step: to, verified: true, signedIn: true, seed: { state: 'PROVISIONED' } }),
    });
    render(<Done />);
    expect(screen.queryByText(/You finished onboarding/)).not.toBeInTheDocument();
    expect(screen.getByTestId('device-outcome')).toHaveTextContent('Your device is not ready for SEED yet');
    expect(screen.getByTestId('device-outcome')).toHaveTextContent('found 2 problems');
    expect(
      screen.getByRole('heading', { level: 2, name: /When your device is ready: onboard it to SEED/ }),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Back to the device check' }));
    expect(callMock).toHaveBeenCalledWith('navigate', { to: 'device-check' });
    expect(useWizardStore.getState().journey?.step).toBe('device-check');
  });

  it('a device check that never ran is not reported as done; a READY one is', () => {
    resetStore({ appInfo: appInfo('win32'), journey: seedJourney({}) });
    const { unmount } = render(<Done />);
    expect(screen.queryByText(/You finished onboarding/)).not.toBeInTheDocument();
    expect(screen.getByTestId('device-outcome')).toHaveTextContent('Your device has not been checked yet');
    unmount();
    resetStore({ appInfo: appInfo('win32'), journey: seedJourney({ seedReport: report('READY', 0) }) });
    render(<Done />);
    expect(screen.getByText('You finished onboarding. Here is what comes next.')).toBeInTheDocument();
    expect(screen.queryByTestId('device-outcome')).not.toBeInTheDocument();
  });

  it('never tells a code-only (TOTP) user to approve a push prompt', () => {
    for (const platform of ['win32', 'darwin']) {
      resetStore({ appInfo: appInfo(platform), journey: seedJourney({ seedReport: report('READY', 0) }) });
      const { unmount, container } = render(<Done />);
      expect(container.textContent).not.toMatch(/approve|push|"No, it.s not me"/i);
      expect(container.textContent).toMatch(/6-digit code from your authenticator app/);
      unmount();
    }
  });

  it('"Set up another account" starts a new journey (before or after Finish)', async () => {
    const user = userEvent.setup({ delay: null });
    resetStore({ appInfo: appInfo('linux'), journey: seedJourney({ seedReport: report('READY', 0) }) });
    mockBridge({ finishOnboarding: () => journey({ step: 'done' }), resetJourney: () => journey({ step: 'welcome' }) });
    render(<Done />);
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    expect(await screen.findByText('All done. You can close this app.')).toBeInTheDocument();
    const another = screen.getByRole('button', { name: 'Set up another account' });
    expect(another).toHaveAccessibleDescription(/starts again from the invitation link/);
    await user.click(another);
    expect(callMock).toHaveBeenLastCalledWith('resetJourney', {});
    expect(useWizardStore.getState().journey?.step).toBe('welcome');
  });
});
