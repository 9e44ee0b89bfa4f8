import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../shared/contract';
import { FIRST_SCREEN_READS } from '../../shared/contract-names';

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
    bridge.callEarly(['getJourney']);
    expect(getJourney).toHaveBeenCalledTimes(1);
    await expect(bridge.call('getJourney', {})).resolves.toEqual({ step: 'terms' });
    expect(getJourney).toHaveBeenCalledTimes(1);
  });

  it('is used once: a later call asks the host afresh', async () => {
    const bridge = await freshBridge();
    getJourney.mockResolvedValueOnce({ ok: true, result: { step: 'welcome' } });
    getJourney.mockResolvedValueOnce({ ok: true, result: { step: 'register' } });
    bridge.callEarly(['getJourney']);
    await bridge.call('getJourney', {});
    await expect(bridge.call('getJourney', {})).resolves.toEqual({ step: 'register' });
    expect(getJourney).toHaveBeenCalledTimes(2);
  });

  it("a failed early answer is the call's failure (a typed error), never an unhandled rejection", async () => {
    const bridge = await freshBridge();
    getAppInfo.mockResolvedValue({ ok: false, error: { code: 'BACKEND_UNREACHABLE', retryable: true } });
    getJourney.mockRejectedValue(new Error('ipc gone'));
    bridge.callEarly(['getAppInfo', 'getJourney']);
    await expect(bridge.call('getAppInfo', {})).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE' });
    await expect(bridge.call('getJourney', {})).rejects.toBeInstanceOf(bridge.BridgeCallError);
  });
});

// Browser mode (web host, e2e tests): no preload, the contract over loopback HTTP with the token from the fragment.
describe('the HTTP bridge', () => {
  const fetchMock = vi.fn<(path: string, init: RequestInit) => Promise<Response>>();
  const json = (body: unknown) => Promise.resolve(new Response(JSON.stringify(body)));

  async function httpBridge(): Promise<typeof import('./bridge')> {
    vi.resetModules();
    delete window.onboarding;
    window.location.hash = '#token=tok-123';
    vi.stubGlobal('fetch', fetchMock);
    return import('./bridge');
  }
  beforeEach(() => {
    fetchMock.mockReset();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    window.location.hash = '';
  });

  it("asks for the first screen's reads in one request, and each call takes its own answer", async () => {
    const bridge = await httpBridge();
    fetchMock.mockReturnValue(
      json({
        ok: true,
        result: [
          { ok: true, result: { step: 'terms' } },
          { ok: true, result: { version: '1.2.3' } },
          { ok: false, error: { code: 'BACKEND_UNREACHABLE', retryable: true } },
        ],
      }),
    );
    bridge.callEarly(FIRST_SCREEN_READS);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [path, init] = fetchMock.mock.calls[0] ?? [];
    expect(path).toBe('/bridge-batch');
    expect(JSON.parse(init?.body as string)).toEqual({ methods: ['getJourney', 'getAppInfo', 'getOrgSettings'] });
    expect(new Headers(init?.headers).get('x-bridge-token')).toBe('tok-123');
    await expect(bridge.call('getJourney', {})).resolves.toEqual({ step: 'terms' });
    await expect(bridge.call('getAppInfo', {})).resolves.toEqual({ version: '1.2.3' });
    await expect(bridge.call('getOrgSettings', {})).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("the web host gone, or refusing the batch, is each read's typed failure", async () => {
    let bridge = await httpBridge();
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    bridge.callEarly(['getJourney', 'getAppInfo']);
    await expect(bridge.call('getJourney', {})).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE' });
    await expect(bridge.call('getAppInfo', {})).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE' });

    bridge = await httpBridge();
    fetchMock.mockReturnValue(json({ ok: false, error: { code: 'FORBIDDEN_SENDER' } }));
    bridge.callEarly(['getJourney']);
    await expect(bridge.call('getJourney', {})).rejects.toMatchObject({ code: 'FORBIDDEN_SENDER' });

    bridge = await httpBridge();
    fetchMock.mockReturnValue(Promise.resolve(new Response('<html>proxy error</html>')));
    bridge.callEarly(['getOrgSettings']);
    await expect(bridge.call('getOrgSettings', {})).rejects.toBeInstanceOf(bridge.BridgeCallError);
  });

  it("long-polls /events once the page is idle; the first answer reads the journey again only if the host's journey changed since it started", async () => {
    for (const [first, expected] of [
      [0, 1],
      [2, 2],
    ] as const) {
      fetchMock.mockReset();
      const bridge = await httpBridge();
      const answers = [first, 3];
      fetchMock.mockImplementation(() => {
        const version = answers.shift();
        return version === undefined ? new Promise(() => undefined) : json({ ok: true, result: { version } });
      });
      const listener = vi.fn();
      const stop = bridge.onJourneyChanged(listener);
      expect(fetchMock).not.toHaveBeenCalled(); // not while the first screen is being drawn
      await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(3));
      expect(JSON.parse(fetchMock.mock.calls[0]?.[1].body as string)).toEqual({ since: -1 });
      expect(JSON.parse(fetchMock.mock.calls[1]?.[1].body as string)).toEqual({ since: first });
      // first 0: only the change to 3 is news; first 2: the journey may have changed while the page loaded, then 3.
      expect(listener).toHaveBeenCalledTimes(expected);
      stop();
    }
  });
});
