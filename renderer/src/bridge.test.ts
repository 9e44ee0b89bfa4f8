import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../shared/contract';

// The real bridge, over a stand-in for the Electron preload (window.onboarding), loaded afresh for each test.
const getJourney = vi.fn<() => Promise<Envelope<unknown>>>();
const getAppInfo = vi.fn<() => Promise<Envelope<unknown>>>();

async function freshBridge(): Promise<typeof import('./bridge')> {
  vi.resetModules();
  window.onboarding = { getJourney, getAppInfo } as unknown as NonNullable<Window['onboarding']>;
  return import('./bridge');
}

describe('callEarly: the first screen asks before its code is in', () => {
  beforeEach(() => {
    getJourney.mockReset();
    getAppInfo.mockReset();
  });
  afterEach(() => {
    delete window.onboarding;
  });

  it('asks at once, and the first call takes that answer without asking again', async () => {
    const bridge = await freshBridge();
    getJourney.mockResolvedValue({ ok: true, result: { step: 'terms' } });
    bridge.callEarly('getJourney');
    expect(getJourney).toHaveBeenCalledTimes(1);
    await expect(bridge.call('getJourney', {})).resolves.toEqual({ step: 'terms' });
    expect(getJourney).toHaveBeenCalledTimes(1);
  });

  it('is used once: a later call asks the host afresh', async () => {
    const bridge = await freshBridge();
    getJourney.mockResolvedValueOnce({ ok: true, result: { step: 'welcome' } });
    getJourney.mockResolvedValueOnce({ ok: true, result: { step: 'register' } });
    bridge.callEarly('getJourney');
    await bridge.call('getJourney', {});
    await expect(bridge.call('getJourney', {})).resolves.toEqual({ step: 'register' });
    expect(getJourney).toHaveBeenCalledTimes(2);
  });

  it("a failed early answer is the call's failure (a typed error), never an unhandled rejection", async () => {
    const bridge = await freshBridge();
    getAppInfo.mockResolvedValue({ ok: false, error: { code: 'BACKEND_UNREACHABLE', retryable: true } });
    getJourney.mockRejectedValue(new Error('ipc gone'));
    bridge.callEarly('getAppInfo');
    bridge.callEarly('getJourney');
    await expect(bridge.call('getAppInfo', {})).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE' });
    await expect(bridge.call('getJourney', {})).rejects.toBeInstanceOf(bridge.BridgeCallError);
  });
});
