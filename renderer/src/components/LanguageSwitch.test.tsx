import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadLocale, t } from '../i18n';
import { callMock, mockBridge } from '../test-utils';
import { LanguageSwitch } from './LanguageSwitch';

vi.mock('../bridge', async (orig) => ({ ...(await orig<typeof import('../bridge')>()), call: vi.fn() }));

describe('LanguageSwitch', () => {
  beforeEach(() => {
    callMock.mockReset();
  });
  afterEach(async () => {
    await loadLocale('en');
  });

  it('switches the screen’s language, then tells the host through the bridge (which carries it to the account)', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ setLocale: (r) => ({ locale: r.locale, account: 'updated' as const }) });
    render(<LanguageSwitch />);
    const group = screen.getByRole('group', { name: 'Language / 语言' });
    const english = within(group).getByRole('button', { name: 'English' });
    const chinese = within(group).getByRole('button', { name: '中文' });
    // Each language is named in itself and marked as such (WCAG 3.1.2); the current one is pressed.
    expect(english).toHaveAttribute('lang', 'en');
    expect(chinese).toHaveAttribute('lang', 'zh-CN');
    expect(english).toHaveAttribute('aria-pressed', 'true');
    expect(chinese).toHaveAttribute('aria-pressed', 'false');
    await user.click(chinese);
    await vi.waitFor(() => expect(callMock.mock.calls).toContainEqual(['setLocale', { locale: 'zh-CN' }]));
    expect(t.back).toBe('返回');
    expect(chinese).toHaveAttribute('aria-pressed', 'true');
    expect(english).toHaveAttribute('aria-pressed', 'false');
  });

  it('the current language’s button changes nothing and tells the host nothing', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ setLocale: (r) => ({ locale: r.locale, account: 'updated' as const }) });
    render(<LanguageSwitch />);
    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
    expect(callMock.mock.calls.filter(([m]) => m === 'setLocale')).toEqual([]);
  });

  it('works from the keyboard: Tab to the other language, Enter or Space switches', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ setLocale: (r) => ({ locale: r.locale, account: 'updated' as const }) });
    render(<LanguageSwitch />);
    await user.tab();
    expect(screen.getByRole('button', { name: 'English' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: '中文' })).toHaveFocus();
    await user.keyboard('{Enter}');
    await vi.waitFor(() =>
      expect(screen.getByRole('button', { name: '中文' })).toHaveAttribute('aria-pressed', 'true'),
    );
    await user.tab({ shift: true });
    await user.keyboard(' ');
    await vi.waitFor(() =>
      expect(screen.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true'),
    );
    expect(callMock.mock.calls.filter(([m]) => m === 'setLocale')).toEqual([
      ['setLocale', { locale: 'zh-CN' }],
      ['setLocale', { locale: 'en' }],
    ]);
  });

  it('a host that cannot reach the account does not stop the switch', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ setLocale: () => Promise.reject(new Error('host gone')) });
    render(<LanguageSwitch />);
    await user.click(screen.getByRole('button', { name: '中文' }));
    await vi.waitFor(() => expect(callMock.mock.calls).toContainEqual(['setLocale', { locale: 'zh-CN' }]));
    expect(screen.getByRole('button', { name: '中文' })).toHaveAttribute('aria-pressed', 'true');
  });
});
