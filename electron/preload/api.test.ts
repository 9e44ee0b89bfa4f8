import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, channelFor, EVENT_CHANNEL } from '../../shared/contract';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (channel: string, payload: unknown) => ({ ok: true, result: { channel, payload } }));
const on = vi.fn();
const removeListener = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke, on, removeListener },
}));

describe('preload', () => {
  it('exposes window.onboarding with exactly the contract methods plus one event subscription', async () => {
    await import('./index');
    expect(Object.keys(exposed)).toEqual(['onboarding']);
    const api = exposed.onboarding as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'onJourneyChanged'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    for (const key of Object.keys(api)) expect(typeof api[key]).toBe('function');
    // Nothing that looks like raw IPC access.
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('send');
    expect(api).not.toHaveProperty('ipcRenderer');
  });

  it('forwards each method to its own channel only', async () => {
    await import('./index');
    const api = exposed.onboarding as Record<string, (p: unknown) => Promise<unknown>>;
    await api.getJourney!({});
    expect(invoke).toHaveBeenLastCalledWith(channelFor('getJourney'), {});
  });

  it('subscribes to and unsubscribes from the journey event channel', async () => {
    await import('./index');
    const api = exposed.onboarding as { onJourneyChanged: (l: () => void) => () => void };
    const listener = vi.fn();
    const off = api.onJourneyChanged(listener);
    expect(on).toHaveBeenCalledWith(EVENT_CHANNEL, expect.any(Function));
    const wrapped = on.mock.calls[0]![1] as (...args: unknown[]) => void;
    wrapped({ senderId: 0 }, 'ignored-arg');
    expect(listener).toHaveBeenCalledWith();
    off();
    expect(removeListener).toHaveBeenCalledWith(EVENT_CHANNEL, wrapped);
  });
});
