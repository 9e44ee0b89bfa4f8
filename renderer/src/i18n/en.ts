/** Every user-visible string of the wizard. A translation is a copy of this file with the same keys. */
export const en = {
  appTitle: 'TechPass Onboarding',
  skipToContent: 'Skip to main content',
  versionLabel: 'Version {version}',
  welcome: {
    title: 'Set up your TechPass account',
    intro:
      'This app walks you through activating your TechPass account: registration, signing in, setting up your authenticator and phone, accepting the terms and, if you need SEED, checking your device.',
    duration: 'It takes about 15 minutes.',
    haveReady: 'Have these ready:',
    readyPhone: 'Your mobile phone, with Microsoft Authenticator (or another authenticator app) installed',
    readyMailbox: 'Access to your organisational mailbox',
  },
  backend: {
    heading: 'TechPass service',
    checking: 'Checking the connection to the TechPass service…',
    connected: 'Connected to {name} {version}',
    mode: { production: 'Live service', demo: 'Demo mode', test: 'Test mode' },
    unreachable: 'Cannot reach the TechPass service.',
    retry: 'Try again',
  },
} as const;

export type Messages = typeof en;

/** Fills `{name}` placeholders. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_m, key: string) => String(values[key] ?? `{${key}}`));
}
