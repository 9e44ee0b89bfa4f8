import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App, StepView, visibleSteps } from './App';
import { lazyScreen, STEP_SCREENS } from './step-screens';
import { useWizardStore } from './store/wizard.store';
import { bridgeError, callMock, deferred, journey, mockBridge, resetStore } from './test-utils';

vi.mock('./bridge', async (orig) => ({ ...(await orig<typeof import('./bridge')>()), call: vi.fn() }));

const base = {
  getAppInfo: () => ({ name: 'TechPass Onboarding', version: '0.1.0', platform: 'linux', host: 'web' as const }),
  getOrgSettings: () => ({
    organisationName: 'GovTech',
    supportUrl: 'https://go.gov.sg/seed-techpass-support',
    docsUrl: 'https://docs',
    locale: 'en-SG',
  }),
  getBackendStatus: () => ({
    reachable: true,
    url: 'x',
    name: 'techpass-provisioning',
    version: '0.1.0',
    mode: 'demo' as const,
  }),
  getDemoInbox: () => ({ available: false, messages: [] }),
};

describe('App shell', () => {
  beforeEach(() => {
    resetStore({ org: undefined });
    callMock.mockReset();
  });

  it('renders the host’s step inside the main landmark with a named progress indicator', async () => {
    mockBridge({ ...base, getJourney: () => journey({ step: 'sign-in', passwordDelivery: 'self_set' }) });
    render(<App />);
    const main = screen.getByRole('main');
    expect(await within(main).findByRole('heading', { level: 1, name: 'Sign in to TechPass' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Onboarding progress' });
    const current = within(nav)
      .getAllByRole('listitem')
      .find((li) => li.getAttribute('aria-current') === 'step');
    expect(current).toHaveTextContent('Sign in');
    expect(nav).not.toHaveTextContent('New password');
    expect(nav).toHaveTextContent('Step 4 of');
    expect(screen.getByText('Version 0.1.0')).toBeInTheDocument();
    // Nothing is persisted by the renderer: the host owns the journey.
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(document.cookie).toBe('');
  });

  it('the progress list does not tick a device check that failed or never ran', async () => {
    const report = (verdict: 'READY' | 'BLOCKED') => ({
      verdict,
      checks: [],
      durationMs: 1,
      platform: 'linux',
      generatedAt: '2026-03-01T00:00:00Z',
    });
    for (const [seedReport, mark] of [
      [report('BLOCKED'), '(not done: needs attention)'],
      [undefined, '(not done: needs attention)'],
      [report('READY'), '(completed)'],
    ] as const) {
      callMock.mockReset();
      resetStore({ org: undefined });
      mockBridge({
        ...base,
        getJourney: () =>
          journey({
            step: 'done',
            verified: true,
            passwordDelivery: 'sms',
            seed: { state: 'PROVISIONED' },
            ...(seedReport ? { seedReport } : {}),
          }),
      });
      const { unmount } = render(<App />);
      const nav = await screen.findByRole('navigation', { name: 'Onboarding progress' });
      const item = await within(nav).findByText('Device check');
      expect(item.closest('li')).toHaveTextContent(mark);
      unmount();
    }
  });

  it('shows a wait, not the welcome screen, until the host says where the user is (resume)', async () => {
    const wait = deferred<ReturnType<typeof journey>>();
    mockBridge({ ...base, getJourney: () => wait.promise });
    render(<App />);
    expect(screen.getByText('Loading…')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { level: 1 })).not.toBeInTheDocument();
    wait.resolve(journey({ step: 'phone' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Add your phone for SMS codes' })).toBeInTheDocument();
  });

  it('moves focus to the new step’s heading when the step changes', async () => {
    mockBridge({ ...base, getJourney: () => journey({ step: 'welcome' }) });
    render(<App />);
    await screen.findByText(/Connected to/);
    act(() => useWizardStore.getState().setJourney(journey({ step: 'done' })));
    const h1 = await screen.findByRole('heading', { level: 1, name: 'Your TechPass account is ready' });
    // Focus moves in an effect after the screen is shown: wait for it rather than read it in the same tick.
    await vi.waitFor(() => expect(document.activeElement).toBe(h1));
  });

  it('a journey that cannot be loaded is announced with a retry', async () => {
    const user = userEvent.setup({ delay: null });
    let n = 0;
    mockBridge({
      ...base,
      getJourney: () => {
        n += 1;
        if (n === 1) throw bridgeError('TIMEOUT');
        return journey({ step: 'terms' });
      },
      getTerms: () => [],
    });
    render(<App />);
    await screen.findByText(/Connected to/);
    expect(await screen.findByRole('alert')).toHaveTextContent('took too long');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Accept the terms' })).toBeInTheDocument();
  });

  it('no keychain: plain words under the heading, the technical reason behind "Details for IT", on one screen only', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({
      ...base,
      getJourney: () =>
        journey({ step: 'sign-in', keychain: { available: false, problem: 'linux-no-secret-service' } }),
      navigate: () => journey({ step: 'welcome', keychain: { available: false, problem: 'linux-no-secret-service' } }),
    });
    render(<App />);
    const heading = await screen.findByRole('heading', { level: 1, name: 'Sign in to TechPass' });
    const notice = screen.getByText(/you will need to sign in again after you close the app or restart the computer/);
    expect(heading.compareDocumentPosition(notice) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(notice).not.toHaveTextContent(/Secret Service|gnome-keyring|KeePassXC/);
    const details = screen.getByText('Details for IT').closest('details') as HTMLElement;
    expect(details).not.toHaveAttribute('open');
    expect(details).toHaveTextContent('gnome-keyring');
    expect(screen.getAllByText(/you will need to sign in again/)).toHaveLength(1);
    // Once: the next screen does not repeat it.
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await screen.findByRole('heading', { level: 1, name: 'Set up your TechPass account' });
    expect(screen.queryByText(/you will need to sign in again/)).not.toBeInTheDocument();
  });

  it('web host opened without its #token: says to open the printed link, calls nothing', () => {
    window.history.replaceState(null, '', '#');
    try {
      render(<App />);
      expect(
        screen.getByRole('heading', { level: 1, name: 'Open the full link printed in the terminal' }),
      ).toBeInTheDocument();
      expect(screen.getByText(/ends with #token=/)).toBeInTheDocument();
      expect(callMock).not.toHaveBeenCalled();
    } finally {
      window.history.replaceState(null, '', '#token=component-tests');
    }
  });

  it('browser Back stays in the app and goes where the wizard’s own Back goes', async () => {
    mockBridge({ ...base, getJourney: () => journey({ step: 'register' }), navigate: (r) => journey({ step: r.to }) });
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Open your invitation' });
    const depth = window.history.length;
    act(() => {
      window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Set up your TechPass account' })).toBeInTheDocument();
    expect(callMock).toHaveBeenCalledWith('navigate', { to: 'welcome' });
    // The guard entry is put back, so the next Back lands in the app again.
    expect(window.history.length).toBeGreaterThan(depth);
    expect(window.history.state).toEqual({ techpassOnboarding: true });
  });

  it('warns when the keychain is unavailable', async () => {
    mockBridge({
      ...base,
      getJourney: () => journey({ keychain: { available: false, problem: 'linux-no-secret-service' } }),
    });
    render(<App />);
    expect(await screen.findByText(/No Secret Service is running: install gnome-keyring/)).toBeInTheDocument();
  });

  it('shows the labelled demo inbox only when the host says it is available', async () => {
    mockBridge({
      ...base,
      getJourney: () => journey(),
      getDemoInbox: () => ({
        available: true,
        messages: [
          {
            id: '1',
            channel: 'sms',
            to: '+65****4567',
            template: 'N-INITPWD',
            body: 'Your TechPass password is X',
            createdAt: '2026-03-02T02:00:00Z',
          },
          {
            id: '2',
            channel: 'email',
            to: 'j***@acme.com',
            template: 'N-ONBOARD',
            subject: 'Welcome to TechPass',
            body: 'Sign in with jane.tan@techpass.gov.sg',
            createdAt: '2026-03-02T02:01:00Z',
          },
        ],
      }),
    });
    render(<App />);
    const inbox = await screen.findByRole('complementary', { name: 'Demo inbox (not real messages)' });
    expect(within(inbox).getByText('Welcome to TechPass')).toBeInTheDocument();
    expect(within(inbox).getAllByRole('listitem')[0]).toHaveTextContent('Email');
  });

  it('a registration link the OS opened but the host could not use is explained on the welcome step', async () => {
    mockBridge({
      ...base,
      getJourney: () => journey({ linkError: { code: 'INVITATION_EXPIRED' } }),
    });
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This invitation has expired');
    expect(alert).toHaveTextContent('send a new invitation');
  });

  it('no demo inbox against a production backend', async () => {
    mockBridge({ ...base, getJourney: () => journey() });
    render(<App />);
    await screen.findByText(/Connected to/);
    expect(screen.queryByRole('complementary')).not.toBeInTheDocument();
  });
});

describe('visibleSteps', () => {
  it('drops the password step for self-set passwords and the device check without SEED', () => {
    const steps = visibleSteps(journey({ passwordDelivery: 'self_set', seed: { state: 'NOT_REQUIRED' } }));
    expect(steps).not.toContain('password');
    expect(steps).not.toContain('device-check');
    expect(visibleSteps(journey({ passwordDelivery: 'sms', seed: { state: 'PROVISIONED' } }))).toHaveLength(11);
  });

  it('decides the steps from the invitation: an offshore invitation without "SEED requested" counts the device check from the start', () => {
    const invitation = {
      emailMasked: 'p***@infosys.com',
      businessOperation: 'offshore' as const,
      odc: 'Others',
      seedRequested: false,
      passwordDelivery: 'sms' as const,
      requiredFields: [],
      expiresAt: '2026-03-05T02:00:00Z',
    };
    const atRegister = visibleSteps(journey({ step: 'register', invitation }));
    // Registering an offshore user provisions SEED (backend rule): the count must not grow afterwards.
    const afterRegistration = visibleSteps(
      journey({
        step: 'account-created',
        registration: {
          username: 'p',
          loginId: 'p@techpass.gov.sg',
          passwordDelivery: 'sms',
          activateBy: '2026-04-01T00:00:00Z',
          seed: { state: 'PROVISIONED' },
        },
      }),
    );
    const signedIn = visibleSteps(journey({ step: 'phone', passwordDelivery: 'sms', seed: { state: 'PROVISIONED' } }));
    expect(atRegister).toContain('device-check');
    expect(atRegister).toEqual(afterRegistration);
    expect(afterRegistration).toEqual(signedIn);
    expect(atRegister).toHaveLength(11);
  });
});

describe('visibleSteps and the host agree on the device check', () => {
  it("an invitation still held (its link turned out to be used) does not outvote the account's SEED state", () => {
    const invitation = {
      emailMasked: 'j***@accenture.com',
      businessOperation: 'onshore' as const,
      odc: null,
      seedRequested: false,
      passwordDelivery: 'sms' as const,
      requiredFields: [],
      expiresAt: '2026-03-05T02:00:00Z',
    };
    // The host shows the device check whenever SEED is PROVISIONED (seedNeedsDeviceCheck).
    expect(visibleSteps(journey({ step: 'phone', invitation, seed: { state: 'PROVISIONED' } }))).toContain(
      'device-check',
    );
    expect(
      visibleSteps(
        journey({
          step: 'phone',
          invitation: { ...invitation, seedRequested: true },
          seed: { state: 'INVITE_EXPIRED' },
        }),
      ),
    ).not.toContain('device-check');
  });
});

describe('Start over', () => {
  beforeEach(() => {
    resetStore();
    callMock.mockReset();
  });

  it('asks before forgetting local progress, then shows the host’s fresh journey', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ ...base, getJourney: () => journey({ step: 'verify' }), resetJourney: () => journey() });
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Check that you can sign in' });
    await user.click(screen.getByRole('button', { name: 'Start over' }));
    expect(screen.getByText(/Your TechPass account, if already created, is kept/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(callMock).not.toHaveBeenCalledWith('resetJourney', expect.anything());
    await user.click(screen.getByRole('button', { name: 'Start over' }));
    await user.click(screen.getByRole('button', { name: 'Yes, start over' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Set up your TechPass account' })).toBeInTheDocument();
  });
});

describe('Steps loaded on demand', () => {
  beforeEach(() => {
    resetStore();
    callMock.mockReset();
  });

  it('a step whose code is still loading shows an announced wait, and counts as shown only once it is', async () => {
    const code = deferred<() => React.JSX.Element>();
    const step = lazyScreen(() => code.promise);
    const shown = vi.fn();
    render(<StepView screen={step} onShown={shown} />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    expect(shown).not.toHaveBeenCalled();
    code.resolve(() => <h1>Add your phone</h1>);
    expect(await screen.findByRole('heading', { level: 1, name: 'Add your phone' })).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(shown).toHaveBeenCalledTimes(1);
  });

  it('a step fetched ahead appears at once, without a wait in between', async () => {
    const step = lazyScreen(() => Promise.resolve(() => <h1>Accept the terms</h1>));
    await step.prefetch();
    render(<StepView screen={step} onShown={() => undefined} />);
    expect(screen.getByRole('heading', { level: 1, name: 'Accept the terms' })).toBeInTheDocument();
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();
  });

  it('a step whose code cannot be loaded says so with a retry, and the retry loads it again', async () => {
    const user = userEvent.setup({ delay: null });
    let attempts = 0;
    const step = lazyScreen(() => {
      attempts += 1;
      return attempts === 1
        ? Promise.reject(new Error('chunk missing'))
        : Promise.resolve(() => <h1>Check that you can sign in</h1>);
    });
    // React reports the error it caught; the test only cares what the user sees.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      render(<StepView screen={step} onShown={() => undefined} />);
      expect(await screen.findByRole('alert')).toHaveTextContent('Something unexpected went wrong.');
      await user.click(screen.getByRole('button', { name: 'Try again' }));
      expect(await screen.findByRole('heading', { level: 1, name: 'Check that you can sign in' })).toBeInTheDocument();
      expect(attempts).toBe(2);
    } finally {
      quiet.mockRestore();
    }
  });

  it('fetches the code of the steps still ahead once the step is shown, not of those behind', async () => {
    const ahead = vi.spyOn(STEP_SCREENS.verify, 'prefetch');
    const behind = vi.spyOn(STEP_SCREENS.register, 'prefetch');
    try {
      mockBridge({ ...base, getJourney: () => journey({ step: 'terms' }), getTerms: () => [] });
      render(<App />);
      await screen.findByRole('heading', { level: 1, name: 'Accept the terms' });
      await waitFor(() => expect(ahead).toHaveBeenCalled());
      expect(behind).not.toHaveBeenCalled();
    } finally {
      ahead.mockRestore();
      behind.mockRestore();
    }
  });
});
