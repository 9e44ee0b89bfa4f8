import { afterEach, describe, expect, it, vi } from 'vitest';

const loadLocale = vi.fn<(locale: string) => Promise<void>>();
vi.mock('../bridge', () => ({
  call: (method: string) =>
    Promise.resolve(method === 'getAppInfo' ? { chosenLocale: 'zh-CN', systemLocale: 'en-SG' } : { locale: undefined }),
}));
vi.mock('.', async (importOriginal) => ({
  ...(await importOriginal<typeof import('.')>()),
  loadLocale: (l: string) => loadLocale(l),
}));

const { startLocale } = await import('./startup');

describe('startLocale when a catalogue cannot be read', () => {
  afterEach(() => loadLocale.mockReset());

  it('loads the chosen language when it can', async () => {
    loadLocale.mockResolvedValue(undefined);
    await startLocale();
    expect(loadLocale.mock.calls).toEqual([['zh-CN']]);
  });

  it('falls back to English when the chosen catalogue fails, so the wizard still renders', async () => {
    loadLocale.mockImplementation((l) =>
      l === 'zh-CN' ? Promise.reject(new Error('chunk failed')) : Promise.resolve(),
    );
    await expect(startLocale()).resolves.toBeUndefined();
    expect(loadLocale.mock.calls).toEqual([['zh-CN'], ['en']]);
  });

  it('rejects when English fails too, so the page shows its fixed notice instead of a broken screen', async () => {
    loadLocale.mockRejectedValue(new Error('chunk failed'));
    await expect(startLocale()).rejects.toThrow('chunk failed');
  });
});
