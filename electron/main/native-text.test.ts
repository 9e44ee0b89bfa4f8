import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../shared/domain/locale';
import { NATIVE_TEXT, nativeLocale, nativeNoticeText } from './native-text';

describe('native text (OS notifications from the main process)', () => {
  it('words every notice in every supported language, the version filled in', () => {
    for (const locale of SUPPORTED_LOCALES) {
      expect(NATIVE_TEXT[locale], locale).toBeDefined();
      for (const kind of ['update_available', 'update_downloaded'] as const) {
        const { title, body } = nativeNoticeText({ kind, version: '9.9.9' }, locale);
        expect(title).toBe('TechPass Onboarding');
        expect(body, `${locale} ${kind}`).toContain('9.9.9');
      }
    }
    expect(nativeNoticeText({ kind: 'update_downloaded', version: '2.0.0' }, 'zh-CN').body).toMatch(/[\u4e00-\u9fff]/);
  });

  it('follows the user’s choice, then the organisation’s, then the OS’s; Chinese tags read zh-CN', () => {
    expect(nativeLocale('zh-CN', 'en', 'en-US')).toBe('zh-CN');
    expect(nativeLocale(undefined, undefined, 'zh-Hans-CN')).toBe('zh-CN');
    expect(nativeLocale(undefined, 'en', 'zh-CN')).toBe('en');
    expect(nativeLocale(undefined, undefined, 'fr-FR')).toBe('en');
    expect(nativeLocale()).toBe('en');
  });
});
