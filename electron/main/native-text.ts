import { SUPPORTED_LOCALES, type Locale } from '../../shared/domain/locale';

/**
 * The few words the main process shows outside the wizard's window (today: the updater's OS notifications), in the
 * user's language. The renderer's catalogue cannot reach an OS notification, so this is the host's own small
 * catalogue: one entry per locale, typed so a new locale or notice without words fails to compile.
 */
export type NativeNotice =
  { kind: 'update_available'; version: string } | { kind: 'update_downloaded'; version: string };

type NativeWords = { title: string } & { [K in NativeNotice['kind']]: (version: string) => string };

export const NATIVE_TEXT: Record<Locale, NativeWords> = {
  en: {
    title: 'TechPass Onboarding',
    update_available: (v) =>
      `Version ${v} of TechPass Onboarding is available. Ask your IT team or download it from your software portal.`,
    update_downloaded: (v) => `Version ${v} will be installed when you close TechPass Onboarding.`,
  },
  'zh-CN': {
    title: 'TechPass Onboarding',
    update_available: (v) => `TechPass Onboarding 已有 ${v} 版本。请联系您的 IT 团队，或从公司的软件门户下载。`,
    update_downloaded: (v) => `关闭 TechPass Onboarding 后将安装 ${v} 版本。`,
  },
};

/**
 * The language for native text: the user's own choice (kept with the UI preferences), else the organisation's, else
 * the OS's; a Chinese tag reads Simplified Chinese, anything this version does not speak reads English.
 */
export function nativeLocale(...candidates: readonly (string | undefined)[]): Locale {
  for (const tag of candidates) {
    if (!tag) continue;
    if ((SUPPORTED_LOCALES as readonly string[]).includes(tag)) return tag as Locale;
    if (/^zh\b/i.test(tag)) return 'zh-CN';
    if (/^en\b/i.test(tag)) return 'en';
  }
  return 'en';
}

export function nativeNoticeText(notice: NativeNotice, locale: Locale): { title: string; body: string } {
  const words = NATIVE_TEXT[locale];
  return { title: words.title, body: words[notice.kind](notice.version) };
}
