import { useEffect, useState } from 'react';
import { decideRoute, type RouteDecision } from '../../../../shared/domain/eligibility';
import type { BridgeError } from '../../../../shared/domain/errors';
import { call } from '../../bridge';
import { BusySlot } from '../../components/BusySlot';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { StepHeading } from '../../components/StepHeading';
import { SupportLink } from '../../components/SupportLink';
import { useAction } from '../../components/useAction';
import { format, t } from '../../i18n';
import { whenIdle } from '../../idle';
import { useWizardStore } from '../../store/wizard.store';

export function BackendStatusPanel(): React.JSX.Element {
  const { backend, backendLoading, refreshBackend } = useWizardStore();
  // Secondary on this screen: asked for once the screen is drawn, not while it is being drawn.
  useEffect(() => whenIdle(() => void refreshBackend(), 500), [refreshBackend]);
  return (
    <section aria-labelledby="backend-heading" className="panel">
      <h2 id="backend-heading">{t.backend.heading}</h2>
      <div role="status" aria-live="polite">
        {backendLoading && !backend && <p>{t.backend.checking}</p>}
        {backend?.reachable && (
          <p data-testid="backend-status">
            {format(t.backend.connected, { name: backend.name ?? '', version: backend.version ?? '' })} —{' '}
            <strong>{backend.mode ? t.backend.mode[backend.mode] : ''}</strong>
          </p>
        )}
      </div>
      {backend && !backend.reachable && (
        <div role="alert" className="alert alert-danger">
          <p className="alert-title">{t.backend.unreachable}</p>
          {backend.error && <BackendProblem error={backend.error} />}
          <button type="button" className="btn btn-secondary" onClick={() => void refreshBackend()}>
            {t.backend.retry}
          </button>
          <SupportLink code={backend.error?.code ?? 'BACKEND_UNREACHABLE'} />
        </div>
      )}
    </section>
  );
}

/** Why the service cannot be reached (proxy, TLS inspection with the issuer seen, DNS, portal…) and what to do. */
function BackendProblem({ error }: { error: BridgeError }): React.JSX.Element {
  const words = t.errors.codes[error.code] ?? t.errors.codes.UNEXPECTED;
  const issuer = error.params?.issuer;
  const reason = error.params?.reason;
  return (
    <>
      {error.code !== 'BACKEND_UNREACHABLE' && <p>{words.what}</p>}
      {reason && <p>{t.errors.reasons[reason]}</p>}
      {typeof issuer === 'string' && <p>{format(t.errors.issuer, { issuer })}</p>}
      <p>{words.next}</p>
    </>
  );
}

type YesNo = 'yes' | 'no' | '';

function YesNoQuestion({
  name,
  legend,
  value,
  onChange,
  invalid,
}: {
  name: string;
  legend: string;
  value: YesNo;
  onChange: (v: YesNo) => void;
  invalid: boolean;
}): React.JSX.Element {
  return (
    <fieldset className={invalid ? 'field field-invalid radios' : 'field radios'}>
      <legend>{legend}</legend>
      {invalid && <p className="field-error">{t.welcome.eligibility.answerAll}</p>}
      {(['yes', 'no'] as const).map((v) => (
        <label key={v} className="radio">
          <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} />
          {v === 'yes' ? t.welcome.eligibility.yes : t.welcome.eligibility.no}
        </label>
      ))}
    </fieldset>
  );
}

/** §1.3 for users who arrive without an invitation: a few questions, then the route and the reason. */
export function EligibilityQuestions(): React.JSX.Element {
  const e = t.welcome.eligibility;
  const [email, setEmail] = useState('');
  const [needsSgts, setNeedsSgts] = useState<YesNo>('');
  const [hasNonSeGsib, setHasNonSeGsib] = useState<YesNo>('');
  const [wantsSeed, setWantsSeed] = useState<YesNo>('');
  const [touched, setTouched] = useState(false);
  const [decision, setDecision] = useState<RouteDecision | undefined>();

  const submit = (ev: React.FormEvent) => {
    ev.preventDefault();
    setTouched(true);
    if (!email.trim() || !needsSgts || !hasNonSeGsib || !wantsSeed) {
      setDecision(undefined);
      return;
    }
    setDecision(
      decideRoute({
        email,
        needsSgtsOrGcc: needsSgts === 'yes',
        hasNonSeGsib: hasNonSeGsib === 'yes',
        wantsSeed: wantsSeed === 'yes',
      }),
    );
  };

  return (
    <section aria-labelledby="elig-heading" className="panel">
      <h2 id="elig-heading">{e.title}</h2>
      <p>{e.intro}</p>
      <form noValidate onSubmit={submit}>
        <Field
          id="elig-email"
          label={e.email}
          hint={e.emailHint}
          type="email"
          autoComplete="email"
          required
          error={touched && !email.trim() ? e.reasons['E-ELIG-EMAIL-INVALID'] : undefined}
          value={email}
          onChange={(ev) => setEmail(ev.target.value)}
        />
        <YesNoQuestion
          name="needs-sgts"
          legend={e.needsSgts}
          value={needsSgts}
          onChange={setNeedsSgts}
          invalid={touched && !needsSgts}
        />
        <YesNoQuestion
          name="non-se-gsib"
          legend={e.hasNonSeGsib}
          value={hasNonSeGsib}
          onChange={setHasNonSeGsib}
          invalid={touched && !hasNonSeGsib}
        />
        <YesNoQuestion
          name="wants-seed"
          legend={e.wantsSeed}
          value={wantsSeed}
          onChange={setWantsSeed}
          invalid={touched && !wantsSeed}
        />
        <div className="actions">
          <button type="submit" className="btn btn-primary">
            {e.submit}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {decision && (
          <div
            className={decision.route === 'CONTACT_SUPPORT' ? 'alert alert-warning' : 'alert alert-info'}
            data-testid="route"
          >
            <h3 className="alert-title">
              {e.resultTitle}
              {t.labelSep}
              {e.routes[decision.route]}
            </h3>
            <p>{e.reasons[decision.reasonCode]}</p>
            {decision.route === 'INVITE' && <p>{e.whenInvited}</p>}
            {(decision.route === 'CONTACT_SUPPORT' || decision.route === 'SERVICE_REQUEST_SE_GSIB') && (
              <SupportLink code={decision.reasonCode} />
            )}
          </div>
        )}
      </div>
    </section>
  );
}

/** Step 1: what the app does, what to have ready, and the way in (an invitation, or the eligibility questions). */
export function Welcome(): React.JSX.Element {
  const setJourney = useWizardStore((s) => s.setJourney);
  const [askEligibility, setAskEligibility] = useState(false);
  const action = useAction();
  return (
    <>
      <StepHeading>{t.welcome.title}</StepHeading>
      <p>{t.welcome.intro}</p>
      <p>{t.welcome.duration}</p>
      <h2>{t.welcome.haveReady}</h2>
      <ul>
        <li>{t.welcome.readyPhone}</li>
        <li>{t.welcome.readyMailbox}</li>
      </ul>
      <div className="actions">
        <button
          type="button"
          className="btn btn-primary"
          aria-describedby="have-invitation-hint"
          disabled={action.busy}
          onClick={() => void action.run(async () => setJourney(await call('navigate', { to: 'register' })))}
        >
          {t.welcome.haveInvitation}
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          aria-expanded={askEligibility}
          aria-controls="eligibility"
          onClick={() => setAskEligibility((v) => !v)}
        >
          {t.welcome.noInvitation}
        </button>
      </div>
      <p id="have-invitation-hint" className="hint">
        {t.welcome.haveInvitationHint}
      </p>
      <p>
        <button
          type="button"
          className="btn btn-link"
          disabled={action.busy}
          onClick={() => void action.run(async () => setJourney(await call('navigate', { to: 'sign-in' })))}
        >
          {t.welcome.haveAccount}
        </button>
      </p>
      <BusySlot busy={action.busy} label={t.working} />
      {action.error && <ErrorAlert error={action.error} />}
      <div id="eligibility">{askEligibility && <EligibilityQuestions />}</div>
      <BackendStatusPanel />
    </>
  );
}
