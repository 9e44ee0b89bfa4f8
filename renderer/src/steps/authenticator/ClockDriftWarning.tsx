import { format, t } from '../../i18n';

/** Codes are refused when the device clock is off by more than one 30-second step either way. */
export const DRIFT_WARN_SECONDS = 30;

export function ClockDriftWarning({ seconds }: { seconds?: number | undefined }): React.JSX.Element | null {
  if (seconds === undefined || Math.abs(seconds) < DRIFT_WARN_SECONDS) return null;
  return (
    <div className="alert alert-warning" role="note">
      <p>
        {format(t.backend.clockDrift, {
          seconds: Math.round(Math.abs(seconds)),
          direction: seconds > 0 ? 'ahead' : 'behind',
        })}
      </p>
    </div>
  );
}
