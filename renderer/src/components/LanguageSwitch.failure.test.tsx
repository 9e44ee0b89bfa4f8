import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { callMock, mockBridge } from '../test-utils';
import { LanguageSwitch } from './LanguageSwitch';

vi.mock('../bridge', async (orig) => ({ ...(await orig<typeof import('../bridge')>()), call: vi.fn() }));
// The chosen language's catalogue cannot be read (a damaged install, a chunk that failed to load).
vi.mock('../i18n', async (orig) => ({
  ...(await orig<typeof import('../i18n')>()),
  loadLocale: () => Promise.reject(new Error('chunk failed')),
}));

describe('LanguageSwitch when the catalogue cannot be loaded', () => {
  it('keeps the screen in its language and says what happened and what to do', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ setLocale: (r) => ({ locale: r.locale, account: 'updated' as const }) });
    render(<LanguageSwitch />);
    await user.click(screen.getByRole('button', { name: '中文' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The language could not be changed. Try again');
    expect(screen.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: '中文' })).toHaveAttribute('aria-pressed', 'false');
    expect(callMock.mock.calls.filter(([m]) => m === 'setLocale')).toEqual([]);
  });
});
