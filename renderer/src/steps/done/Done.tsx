import { useState } from 'react';
import type { JourneyState } from '../../../../shared/contract';
import { call } from '../../bridge';
import { Busy } from '../../components/Busy';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StepHeading } from '../../components/StepHeading';
import { openLink } from '../../components/SupportLink';
import { useAction } from '../../components/useAction';
import { format, formatDateTime, t } from '../../i18n';
import { useWizardStore } from '../../store/wizard.store';

type Os = 'mac' | 'windows';

export function osOf(platform: string | undefined): Os | undefined {
  if (platform === 'darwin') return 'mac';
  if (platform === 'win32') return 'windows';
  return undefined;
}

function Steps({ items }: { items: readonly string[] }): React.JSX.Element {
  return (
    <ol>
      {items.map((s) => (
        <li key={s}>{s}</li>
      ))}
    </ol>
  );
}

/** What the device check found, as Done must report it: only a READY report counts as a checked device. */
export function deviceOutcome(journey: JourneyState | undefined): {
  kind: 'ready' | 'blocked' | 'unchecked' | 'not-needed';
  failed: number;
} {
  const report = journey?.seedReport;
  const failed = report?.checks.filter((c) => c.status === 'FAIL').length ?? 0;
  if (report?.verdict === 'BLOCKED') return { kind: 'blocked', failed };
  if (report?.verdict === 'READY') return { kind: 'ready', failed };
  return { kind: journey?.seed?.state === 'PROVISIONED' ? 'unchecked' : 'not-needed', failed };
}

/** Step 11: §6.6 next steps for the user's SEED route (vendor or public officer) and operating system. */
export function Done(): React.JSX.Element {
  const { journey, setJourney, appInfo, org } = useWizardStore();
  const [finished, setFinished] = useState(false);
  const action = useAction();
  const seed = journey?.seed;
  const loginId = journey?.loginId ?? journey?.registration?.loginId ?? '';
  const vendor = loginId === '' || loginId.endsWith('@techpass.gov.sg');
  const os = osOf(appInfo?.platform);
  const order: Os[] = os === 'windows' ? ['windows', 'mac'] : ['mac', 'windows'];
  const seedOn = seed?.state === 'PROVISIONED' || seed?.state === 'DEVICE_ONBOARDING' || seed?.state === 'ONBOARDED';
  const seedOther =
    seed && (seed.state === 'INVITE_EXPIRED' || seed.state === 'INELIGIBLE' || seed.state === 'LICENCE_REVOKED')
      ? t.done.seedOther[seed.state]
      : undefined;
  const device = deviceOutcome(journey);
  // The device check is only reachable again while the session is held (before Finish wipes it).
  const canRecheck = !finished && journey?.signedIn === true && seed?.state === 'PROVISIONED';
  const deviceReady = device.kind === 'ready' || device.kind === 'not-needed';
  const routeHeading = vendor
    ? deviceReady
      ? t.done.vendorRoute
      : t.done.vendorRouteAfterFix
    : deviceReady
      ? t.done.officerRoute
      : t.done.officerRouteAfterFix;

  return (
    <>
      <StepHeading>{t.done.title}</StepHeading>
      {device.kind === 'blocked' || device.kind === 'unchecked' ? (
        <div className="alert alert-warning" data-testid="device-outcome">
          <p className="alert-title">
            {device.kind === 'blocked' ? t.done.deviceBlockedTitle : t.done.deviceNotCheckedTitle}
          </p>
          <p>
            {device.kind === 'blocked'
              ? format(t.done.deviceBlocked, { count: device.failed })
              : t.done.deviceNotChecked}
          </p>
          {canRecheck && (
            <div className="actions">
              <button
                type="button"
                className="btn btn-secondary"
                disabled={action.busy}
                onClick={() => void action.run(async () => setJourney(await call('navigate', { to: 'device-check' })))}
              >
                {t.done.backToDeviceCheck}
              </button>
            </div>
          )}
        </div>
      ) : (
        <p>{device.kind === 'ready' || !seedOn ? t.done.intro : t.done.introAccountOnly}</p>
      )}
      {seedOn && (
        <section aria-labelledby="route-heading">
          <h2 id="route-heading">{routeHeading}</h2>
          {seed?.emailExpiresAt && <p>{format(t.done.seedExpiry, { date: formatDateTime(seed.emailExpiresAt) })}</p>}
          {vendor ? (
            order.map((o) => (
              <section key={o} aria-labelledby={`os-${o}`} className="panel">
                <h3 id={`os-${o}`}>
                  {o === os
                    ? format(t.done.yourOs, { os: t.done.os[o] })
                    : format(t.done.otherOs, { os: t.done.os[o] })}
                </h3>
                <Steps items={o === 'mac' ? t.done.vendorMac : t.done.vendorWindows} />
              </section>
            ))
          ) : (
            <Steps items={t.done.officerSteps} />
          )}
          <h3>{t.done.afterTitle}</h3>
          <ul>
            {t.done.after.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </section>
      )}
      {!seedOn && (seedOther ? <p className="alert alert-info">{seedOther}</p> : <p>{t.done.seedNotProvisioned}</p>)}
      <h2>{t.done.safeTitle}</h2>
      <ul>
        {t.done.safe.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      {org?.docsUrl && (
        <p>
          <a
            href={org.docsUrl}
            target="_blank"
            rel="noreferrer noopener"
            onClick={(e) => {
              e.preventDefault();
              void openLink(org.docsUrl);
            }}
          >
            {t.done.docs} <span className="visually-hidden">{t.opensInBrowser}</span>
          </a>
        </p>
      )}
      {action.error && <ErrorAlert error={action.error} />}
      {action.busy && <Busy label={t.done.finishing} />}
      {finished && (
        <p role="status" className="alert alert-success">
          {t.done.finished}
        </p>
      )}
      <div className="actions">
        {!finished && (
          <button
            type="button"
            className="btn btn-primary"
            disabled={action.busy}
            onClick={() =>
              void action.run(async () => {
                setJourney(await call('finishOnboarding', {}));
                setFinished(true);
              })
            }
          >
            {t.done.finish}
          </button>
        )}
        <button
          type="button"
          className="btn btn-secondary"
          disabled={action.busy}
          aria-describedby="another-hint"
          onClick={() => void action.run(async () => setJourney(await call('resetJourney', {})))}
        >
          {t.done.another}
        </button>
      </div>
      <p id="another-hint" className="hint">
        {t.done.anotherHint}
      </p>
    </>
  );
}
