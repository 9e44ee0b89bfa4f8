import { Busy } from './Busy';

/**
 * A place kept for the wait message under a screen's buttons: the same height whether a request runs or not, so no
 * control moves when it starts or ends (a click aimed at a button must land on it).
 */
export function BusySlot({ busy, label }: { busy: boolean; label: string }): React.JSX.Element {
  return <div className="busy-slot">{busy && <Busy label={label} />}</div>;
}
