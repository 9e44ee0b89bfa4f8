/**
 * Shown when the wizard cannot start at all (its screens' code or every catalogue could not be loaded: the app's files
 * are damaged or incomplete): there are no words to render the wizard with, so this one fixed notice says, in both
 * languages, what happened and what to do. Plain DOM: it must work without React or a catalogue.
 */
export const NO_CATALOGUE_NOTICE = {
  en: 'TechPass Onboarding could not load its screens. Restart the app; if this happens again, reinstall it or ask your IT support.',
  zh: 'TechPass Onboarding 无法加载界面。请重新启动应用；如果再次出现，请重新安装应用或联系您的 IT 支持人员。',
} as const;

export function showStartFailure(root: HTMLElement, err: unknown): void {
  console.error('The wizard could not start', err);
  root.replaceChildren(
    ...Object.entries(NO_CATALOGUE_NOTICE).map(([lang, text]) => {
      const p = document.createElement('p');
      p.lang = lang === 'zh' ? 'zh-CN' : 'en';
      p.setAttribute('role', 'alert');
      p.textContent = text;
      return p;
    }),
  );
}
