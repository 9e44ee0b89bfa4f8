import { Component, Suspense, useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { JourneyState, StepId } from '../../shared/contract';
import { STEP_IDS } from '../../shared/contract-names';
import { deviceCheckInJourney } from '../../shared/domain/seed-provision';
import { call, onJourneyChanged, webBridgeTokenMissing } from './bridge';
import { Busy } from './components/Busy';
import { PendingInvitationPrompt } from './components/PendingInvitationPrompt';
import { DemoInbox } from './components/DemoInbox';
import { ErrorAlert } from './components/ErrorAlert';
import { SupportLink } from './components/SupportLink';
import { useAction } from './components/useAction';
import type { BridgeError } from '../../shared/domain/errors';
import { format, t, useLocaleStore } from './i18n';
import { LanguageSwitch } from './components/LanguageSwitch';
import { prefetchSteps, STEP_SCREENS, type StepScreen } from './step-screens';
import { useWizardStore } from './store/wizard.store';

const ALL_STEPS: readonly StepId[] = STEP_IDS;

/**
 * The steps this user walks: the password step only for SMS delivery, the device check only while SEED is
 * provisioned (shared/domain/seed-provision: the host applies the same rule). Before registration the invitation
 * predicts the SEED state, so the count does not change along the way.
 */
export function visibleSteps(journey: JourneyState | undefined): StepId[] {
  const inv = journey?.invitation;
  const delivery = inv?.passwordDelivery ?? journey?.registration?.passwordDelivery ?? journey?.passwordDelivery;
  const deviceCheck = deviceCheckInJourney({
    seedState: journey?.seed?.state ?? journey?.registration?.seed.state,
    invitation: inv,
  });
  return ALL_STEPS.filter((s) => {
    if (s === 'password') return delivery !== 'self_set' || journey?.step === 'password';
    if (s === 'device-check') return deviceCheck || journey?.step === 'device-check';
    return true;
  });
}

/** Steps already passed that did not succeed: a device check that found problems or never ran is not ticked. */
export function stepsNeedingAttention(journey: JourneyState | undefined): StepId[] {
  return journey?.seedReport?.verdict === 'READY' ? [] : ['device-check'];
}

function Progress({
  step,
  steps,
  attention = [],
}: {
  step: StepId;
  steps: StepId[];
  attention?: StepId[];
}): React.JSX.Element {
  const index = steps.indexOf(step);
  return (
    <nav aria-label={t.progress.label} className="progress">
      <p className="progress-count">{format(t.progress.stepOf, { current: index + 1, total: steps.length })}</p>
      <ol>
        {steps.map((s, i) => {
          const state = i < index ? (attention.includes(s) ? 'attention' : 'done') : i === index ? 'current' : 'todo';
          return (
            <li
              key={s}
              className={`progress-step progress-${state}`}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              <span className="progress-dot" aria-hidden="true">
                {state === 'done' ? '✓' : state === 'attention' ? '!' : i + 1}
              </span>
              <span className="progress-name">{t.steps[s]}</span>
              {state === 'done' && <span className="visually-hidden"> {t.progress.completed}</span>}
              {state === 'attention' && <span className="visually-hidden"> {t.progress.needsAttention}</span>}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/** A registration link the OS handed to the app could not be used: what happened and who to ask. */
function LinkErrorNotice({ error }: { error: BridgeError }): React.JSX.Element {
  const code = error.code;
  if (
    code === 'INVITATION_EXPIRED' ||
    code === 'INVITATION_USED' ||
    code === 'INVITATION_SUPERSEDED' ||
    code === 'INVITATION_REVOKED'
  ) {
    const m = t.register.invitation[code];
    return (
      <div role="alert" className="alert alert-warning">
        <p className="alert-title">{m.title}</p>
        <p>{m.body}</p>
        <p>
          <strong>{t.errors.whatNext}</strong> {m.next}
        </p>
        <SupportLink code={code} />
      </div>
    );
  }
  return (
    <>
      <p className="alert-title">{t.register.linkErrorTitle}</p>
      <ErrorAlert error={error} />
    </>
  );
}

/** "Start over" asks first: it forgets local progress (never the account). */
function StartOver({ onReset }: { onReset: (j: JourneyState) => void }): React.JSX.Element {
  const [asking, setAsking] = useState(false);
  const action = useAction();
  return (
    <div className="start-over">
      {asking ? (
        <div className="alert alert-warning">
          <p>{t.welcome.startOverConfirm}</p>
          {action.error && <ErrorAlert error={action.error} />}
          <div className="actions">
            <button
              type="button"
              className="btn btn-secondary"
              disabled={action.busy}
              onClick={() => void action.run(async () => onReset(await call('resetJourney', {})))}
            >
              {t.welcome.startOverYes}
            </button>
            <button type="button" className="btn btn-link" onClick={() => setAsking(false)}>
              {t.welcome.startOverNo}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="btn btn-link" onClick={() => setAsking(true)}>
          {t.welcome.startOver}
        </button>
      )}
    </div>
  );
}

/** Where the browser's Back button takes the user from a step, when the wizard itself has a way back there. */
function backTarget(journey: JourneyState | undefined): StepId | undefined {
  switch (journey?.step) {
    case 'register':
      return 'welcome';
    case 'sign-in':
      return journey.registration ? 'account-created' : 'welcome';
    default:
      return undefined;
  }
}

/**
 * Browser mode: Back never leaves the wizard (there is no page behind it, only about:blank). A guard history entry
 * is kept on top; Back lands on it, puts it back, and goes to the step the wizard's own Back would.
 */
function useBackStaysInApp(): void {
  useEffect(() => {
    const guard = { techpassOnboarding: true };
    window.history.pushState(guard, '', window.location.href);
    const onPop = () => {
      window.history.pushState(guard, '', window.location.href);
      const { journey, setJourney } = useWizardStore.getState();
      const to = backTarget(journey);
      if (to) void call('navigate', { to }).then(setJourney, () => undefined);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
}

/** The web host's address opened without its `#token=…`: say to open the printed link. */
function MissingTokenNotice(): React.JSX.Element {
  return (
    <>
      <div className="gov-banner">
        <span className="gov-lion" aria-hidden="true" />
        {t.govBanner}
      </div>
      <header className="masthead">
        <span className="brand">{t.appTitle}</span>
      </header>
      <div className="layout layout-single">
        <main id="main" tabIndex={-1}>
          <h1>{t.webHost.noToken.title}</h1>
          <p className="alert alert-warning">{t.webHost.noToken.body}</p>
        </main>
      </div>
    </>
  );
}

/** What a screen that fails to load or to render says: the general failure, with a retry and the support link. */
const SCREEN_FAILED: BridgeError = { code: 'UNEXPECTED' };

/** Sits beside a screen inside its Suspense boundary, so its effect runs when the screen itself is on the page. */
function OnScreenShown({ run }: { run: () => void }): null {
  useEffect(run, [run]);
  return null;
}

/**
 * One step's screen: an announced wait while its code loads, then the screen (and `onShown`). A screen that cannot
 * be shown (its code did not load, or it failed to render) leaves the rest of the wizard standing and says what to
 * do, instead of an empty window; "Try again" loads the step's code again.
 */
export class StepView extends Component<{ screen: StepScreen; onShown: () => void }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  private readonly retry = (): void => {
    this.props.screen.reload();
    this.setState({ failed: false });
  };

  override render(): ReactNode {
    if (this.state.failed) return <ErrorAlert error={SCREEN_FAILED} onRetry={this.retry} />;
    const Screen = this.props.screen.component();
    return (
      <Suspense fallback={<Busy label={t.loading} />}>
        <Screen />
        <OnScreenShown run={this.props.onShown} />
      </Suspense>
    );
  }
}

export function App(): React.JSX.Element {
  // A language switch re-renders every screen with the new catalogue (nothing is remounted: typed input stays).
  useLocaleStore((s) => s.locale);
  if (webBridgeTokenMissing()) return <MissingTokenNotice />;
  return <Wizard />;
}

function Wizard(): React.JSX.Element {
  useBackStaysInApp();
  const { appInfo, backend, journey, journeyError, loadAppInfo, loadOrg, loadJourney, setJourney } = useWizardStore();
  const step: StepId = journey?.step ?? 'welcome';
  // The step last shown from a loaded journey; the first load (a resume) keeps focus where the page starts.
  const previous = useRef<StepId | undefined>(undefined);

  // A layout effect, so the requests leave as soon as the shell is in the page rather than after the first paint:
  // the first screen waits for the journey.
  useLayoutEffect(() => {
    // main.tsx asks for these before the first render; only what is neither here nor on its way is asked for again.
    const now = useWizardStore.getState();
    if (!now.appInfo) void loadAppInfo();
    if (!now.org) void loadOrg();
    if (!now.journey && !now.journeyLoading) void loadJourney();
    // A deep link opened while the app runs: the host changed the journey; fetch it.
    return onJourneyChanged(() => void loadJourney());
  }, [loadAppInfo, loadOrg, loadJourney]);

  // Move focus to the new screen's heading so keyboard and screen-reader users start at the top of the step (once
  // the screen is shown: a step whose code is still loading has no heading yet).
  const loaded = journey !== undefined;
  const screenShown = useCallback(() => {
    if (!loaded) return;
    if (previous.current !== undefined && previous.current !== step) {
      document.querySelector<HTMLElement>('main h1')?.focus();
    }
    previous.current = step;
  }, [step, loaded]);

  // While the user reads this step, fetch the code of the steps still ahead (keyed by their names, so a new journey
  // object with the same steps ahead does not start over).
  const steps = visibleSteps(journey);
  const ahead = steps.slice(steps.indexOf(step) + 1).join(' ');
  useEffect(() => {
    if (!loaded) return undefined;
    return prefetchSteps(STEP_IDS.filter((s) => ahead.split(' ').includes(s)));
  }, [loaded, ahead]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <div className="gov-banner">
        <span className="gov-lion" aria-hidden="true" />
        {t.govBanner}
      </div>
      <header className="masthead">
        <span className="brand">{t.appTitle}</span>
        <LanguageSwitch />
      </header>
      <div className="layout">
        <Progress step={step} steps={steps} attention={stepsNeedingAttention(journey)} />
        <main id="main" tabIndex={-1}>
          {journeyError && backend?.reachable && <ErrorAlert error={journeyError} onRetry={() => void loadJourney()} />}
          {journey?.linkError && (step === 'welcome' || step === 'register') && (
            <LinkErrorNotice error={journey.linkError} />
          )}
          {journey?.pendingInvitation && <PendingInvitationPrompt pending={journey.pendingInvitation} />}
          {journey || journeyError ? (
            <StepView key={step} screen={STEP_SCREENS[step]} onShown={screenShown} />
          ) : (
            // Until the host says where the user is, show a wait rather than a screen they may not be on.
            <Busy label={t.loading} />
          )}
          {step !== 'welcome' && step !== 'done' && <StartOver onReset={setJourney} />}
        </main>
        <DemoInbox />
      </div>
      <footer>
        {appInfo && <p data-testid="app-version">{format(t.versionLabel, { version: appInfo.version })}</p>}
      </footer>
    </>
  );
}
