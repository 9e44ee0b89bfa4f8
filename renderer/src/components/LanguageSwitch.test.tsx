import { render, screen } from '@testing-library/react';
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
    await user.selectOptions(screen.getByRole('combobox', { name: 'Language / 语言' }), 'zh-CN');
    await vi.waitFor(() => expect(callMock.mock.calls).toContainEqual(['setLocale', { locale: 'zh-CN' }]));
    expect(t.back).toBe('返回');
    expect(screen.getByRole('combobox')).toHaveValue('zh-CN');
  });

  it('a host that cannot reach the account does not stop the switch', async () => {
    const user = userEvent.setup({ delay: null });
    mockBridge({ setLocale: () => Promise.reject(new Error('host gone')) });
    render(<LanguageSwitch />);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Language / 语言' }), 'zh-CN');
    await vi.waitFor(() => expect(callMock.mock.calls).toContainEqual(['setLocale', { locale: 'zh-CN' }]));
    expect(screen.getByRole('combobox')).toHaveValue('zh-CN');
  });
});
