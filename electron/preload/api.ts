import { METHOD_NAMES, EVENT_CHANNEL, channelFor } from '../../shared/contract-names';

type Invoke = (channel: string, payload: unknown) => Promise<unknown>;
type Subscribe = (channel: string, listener: (...args: unknown[]) => void) => () => void;

/**
 * Builds the object exposed as `window.onboarding`: exactly one function per contract method, each forwarding one
 * payload to its own channel, plus one event subscription. No ipcRenderer, no generic send.
 */
export function buildOnboardingApi(invoke: Invoke, subscribe: Subscribe): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    api[method] = (payload: unknown) => invoke(channelFor(method), payload);
  }
  api.onJourneyChanged = (listener: () => void) => subscribe(EVENT_CHANNEL, () => listener());
  return Object.freeze(api);
}
