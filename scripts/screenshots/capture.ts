/**
 * Captures every wizard step into docs/screenshots/<nn>-<step>.png (English) and docs/screenshots/zh-CN/ (Chinese),
 * and runs axe on each screen.
 *
 * It serves the BUILT renderer (out/renderer; built first when missing) from a tiny loopback server whose
 * /bridge/<method> answers with canned JourneyStates, so no backend or host is involved and every image is stable:
 * the page clock is fixed, the time zone and locale are pinned, and animations are off (reduced motion).
 *
 *   npx electron-vite build && npx tsx scripts/screenshots/capture.ts [--out docs/screenshots] [--only 07] [--width 1280]
 *
 * Exits non-zero when a screen fails to render or axe (wcag2a, wcag2aa, wcag21aa, wcag22aa) finds a violation.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Page } from 'playwright-core';
import type { InboxMessage, InvitationSummary, JourneyState, MethodName, TermsDocument } from '../../shared/contract';
import { mobileNumberFacts } from '../../shared/domain/phone';
import type { SeedReport } from '../../shared/domain/seed-report';
import { REFLOW_WIDTH, reflowProblems } from '../../tests/e2e/support/reflow-check';
import { fill, pattern, wordsFor, type Words } from '../../tests/e2e/support/words';

const ROOT = resolve(__dirname, '..', '..');
const RENDERER_DIR = join(ROOT, 'out', 'renderer');
const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'docs/screenshots' },
    only: { type: 'string' },
    width: { type: 'string', default: '1280' },
    /** Also capture every screen at 320 CSS px into <out>/320/ and fail on any reflow problem (WCAG 1.4.10). */
    reflow: { type: 'boolean', default: true },
  },
});
const OUT_DIR = resolve(ROOT, args.out ?? 'docs/screenshots');

/** The fixed "now" of every screenshot: Monday 2 March 2026, 10:00 in Singapore. */
const NOW = new Date('2026-03-02T02:00:00Z');
const at = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// ---------------------------------------------------------------------------------------------------------------
// Canned data

const invitation: InvitationSummary = {
  emailMasked: 'pr*****@infosys-offshore.com',
  businessOperation: 'offshore',
  odc: 'Others',
  offshoreCompanyName: 'Infosys Offshore Pvt Ltd',
  sponsoringAgency: 'GovTech',
  seedRequested: true,
  passwordDelivery: 'sms',
  requiredFields: [
    'username',
    'firstName',
    'lastName',
    'mobile',
    'department',
    'offshoreReportingOfficer',
    'offshoreCompanyAddress',
  ],
  expiresAt: at(4),
};

const registration = {
  username: 'priya.raman',
  loginId: 'priya.raman@techpass.gov.sg',
  passwordDelivery: 'sms' as const,
  activateBy: at(30),
  seed: { state: 'PROVISIONED' as const, emailExpiresAt: at(30) },
  emailSentTo: 'pr*****@infosys-offshore.com',
  smsSentTo: '+91******3210',
};

function journey(over: Partial<JourneyState>): JourneyState {
  return {
    step: 'welcome',
    signedIn: false,
    requiredActions: [],
    onboardingComplete: false,
    keychain: { available: true },
    ...over,
  };
}

const registered = (over: Partial<JourneyState>): JourneyState =>
  journey({
    invitation,
    registration,
    username: 'priya.raman',
    loginId: 'priya.raman@techpass.gov.sg',
    passwordDelivery: 'sms',
    businessOperation: 'offshore',
    activateBy: registration.activateBy,
    seed: registration.seed,
    accountState: 'PENDING',
    requiredActions: ['authenticator', 'phone', 'password', 'terms'],
    ...over,
  });

const inbox: InboxMessage[] = [
  {
    id: 'm2',
    channel: 'sms',
    to: '+91******3210',
    template: 'N-INITPWD',
    body: 'gov.sg: Your TechPass initial password is Qm7#kT2p!Xw9Rb. Sign in with priya.raman@techpass.gov.sg.',
    createdAt: at(0),
  },
  {
    id: 'm1',
    channel: 'email',
    to: 'pr*****@infosys-offshore.com',
    template: 'N-ONBOARD',
    subject: 'Your TechPass account is created',
    body: 'Hello Priya,\n\nYour TechPass ID is priya.raman@techpass.gov.sg. Sign in with this ID, not with your email address.\n\nActivate your account within 30 days.',
    createdAt: at(0),
  },
];

const terms: TermsDocument[] = [
  {
    id: 'privacy',
    version: '2025-11',
    title: 'Privacy Policy',
    required: true,
    accepted: true,
    body: 'This Privacy Policy explains how GovTech collects, uses and protects the personal data you give when you use TechPass.\n\nWe collect your name, organisational email, mobile number and sign-in records to run and secure your account.',
  },
  {
    id: 'terms-of-use',
    version: '3.1',
    title: 'Terms of Use',
    required: true,
    accepted: false,
    body: 'By using TechPass you agree to these Terms of Use.\n\n1. Keep your password and authenticator to yourself.\n\n2. Use TechPass only for the work your agency has approved.\n\n3. Report any suspicious sign-in prompt at once: choose "No, it\'s not me", then Report.',
  },
  {
    id: 'mdm-aup',
    version: '4.0',
    title: 'MDM Acceptable Use Policy',
    required: true,
    accepted: false,
    body: 'Your SEED device is managed by the Government. The MDM may enforce passwords, encryption and updates, and may remove SEED data.\n\nDo not disable or remove the management agents.',
  },
];

const blockedReport: SeedReport = {
  verdict: 'BLOCKED',
  durationMs: 4200,
  platform: 'Windows 11 Pro 23H2 (build 22631.6491)',
  generatedAt: at(0),
  checks: [
    {
      id: 'SEED-01',
      status: 'PASS',
      title: 'Supported operating system',
      evidence: 'Windows 11',
      remediation: '',
      needsElevation: false,
    },
    {
      id: 'SEED-02',
      status: 'PASS',
      title: 'OS version is at least the baseline',
      evidence: 'build 22631, UBR 6491 ≥ 6491',
      remediation: '',
      needsElevation: false,
    },
    {
      id: 'SEED-03',
      status: 'PASS',
      title: 'Windows edition',
      evidence: 'Professional',
      remediation: '',
      needsElevation: false,
    },
    {
      id: 'SEED-08',
      status: 'FAIL',
      title: 'No other device management (MDM)',
      evidence: 'Enrolled: MDM provider "contoso.com" (Intune)',
      remediation:
        'This device is managed by another organisation. Ask the IT team of contoso.com to release it from their management, then check again.',
      docUrl: 'https://docs.developer.tech.gov.sg/docs/seed-guide/prerequisites',
      needsElevation: false,
    },
    {
      id: 'SEED-13',
      status: 'WARN',
      title: 'No conflicting antivirus',
      evidence: 'Found: "Avast Free Antivirus" (not on the known list)',
      remediation:
        'Antivirus software other than Microsoft Defender may conflict with SEED. Uninstall it before onboarding.',
      needsElevation: false,
    },
    {
      id: 'SEED-15',
      status: 'PASS',
      title: 'Disk encryption (BitLocker)',
      evidence: 'C: protection on',
      remediation: '',
      needsElevation: true,
    },
    {
      id: 'SEED-16',
      status: 'WARN',
      title: 'Recovery keys and device password at hand',
      evidence: 'Not confirmed yet: confirm that your recovery key and device password are at hand.',
      remediation:
        'During onboarding the device may restart and ask for a new device password. Keep your BitLocker recovery key at hand before you start.',
      needsElevation: false,
    },
    {
      id: 'ACC-6',
      status: 'INFO',
      title: 'Not in a maintenance window',
      evidence: 'Next window: 18:00–21:00 SGT',
      remediation: '',
      needsElevation: false,
    },
    {
      id: 'SEED-20',
      status: 'N/A',
      title: 'Spotlight indexing on (macOS)',
      evidence: 'Windows: does not apply',
      remediation: '',
      needsElevation: false,
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Screens

type Handler = (req: Record<string, unknown>) => unknown;

interface Screen {
  file: string;
  journey: JourneyState;
  inbox?: boolean;
  platform?: string;
  handlers?: Partial<Record<MethodName, Handler>>;
  /** Brings the screen to the state worth showing (keyboard and role locators only). */
  act?: (page: Page, m: Words) => Promise<void>;
}

const fail = (code: string) => ({ __error: { code } });

const SCREENS: Screen[] = [
  { file: '01-welcome', journey: journey({}) },
  {
    file: '02-welcome-eligibility',
    journey: journey({}),
    act: async (page, m) => {
      const e = m.welcome.eligibility;
      await page.getByRole('button', { name: m.welcome.noInvitation }).click();
      await page.getByLabel(e.email).fill('priya@infosys.com');
      await page.getByRole('group', { name: e.needsSgts }).getByRole('radio', { name: e.no }).check();
      await page.getByRole('group', { name: e.hasNonSeGsib }).getByRole('radio', { name: e.yes }).check();
      await page.getByRole('group', { name: e.wantsSeed }).getByRole('radio', { name: e.yes }).check();
      await page.getByRole('button', { name: e.submit }).click();
      await page.getByTestId('route').waitFor();
    },
  },
  { file: '03-register-link', journey: journey({ step: 'register' }) },
  {
    file: '04-register',
    journey: journey({
      step: 'register',
      invitation: {
        ...invitation,
        offshoreCompanyName: undefined,
        passwordDelivery: 'self_set',
        businessOperation: 'onshore',
        odc: null,
        seedRequested: false,
        requiredFields: ['username', 'firstName', 'lastName', 'mobile', 'department', 'password'],
        emailMasked: 'ja*****@accenture.com',
      },
    }),
    act: async (page, m) => {
      const r = m.register;
      await page.getByLabel(new RegExp(`^${r.username}`)).fill('jane.tan');
      await page.getByLabel(new RegExp(`^${r.firstName}`)).fill('Jane');
      await page.getByLabel(new RegExp(`^${r.lastName}`)).fill('Tan');
      await page.getByLabel(r.mobileNumber, { exact: true }).fill('9123 4567');
      await page.getByLabel(new RegExp(`^${r.department}`)).fill('Digital Services');
      await page.getByLabel(new RegExp(`^${r.password}`)).fill('harbour-lights');
      await page.getByLabel(new RegExp(`^${r.department}`)).focus();
    },
  },
  {
    file: '05-register-offshore-errors',
    journey: journey({ step: 'register', invitation }),
    act: async (page, m) => {
      await page.getByLabel(m.register.country).selectOption('CN');
      await page.getByLabel(m.register.mobileNumber, { exact: true }).fill('138 0013 8000');
      await page.getByLabel(new RegExp(`^${m.register.firstName}`)).fill('Wei');
      await page.getByRole('button', { name: m.register.submit, exact: true }).click();
      await page.getByText(m.register.errorSummary).waitFor();
    },
  },
  { file: '06-account-created', journey: registered({ step: 'account-created' }), inbox: true },
  {
    file: '07-sign-in-email-warning',
    journey: registered({ step: 'sign-in' }),
    act: async (page, m) => {
      await page
        .getByLabel(new RegExp(`^${m.signIn.loginId.replace(/[()]/g, '\\$&')}`))
        .fill('priya@infosys-offshore.com');
      await page.getByText(pattern(m.signIn.useUsername)).waitFor();
    },
  },
  {
    file: '08-sign-in-locked',
    journey: registered({ step: 'sign-in' }),
    handlers: { signIn: () => fail('ACCOUNT_LOCKED') },
    act: async (page, m) => {
      await page.getByLabel(new RegExp(`^${m.signIn.password}`)).fill('not-the-password');
      await page.getByRole('button', { name: m.signIn.submit, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: m.signIn.states.ACCOUNT_LOCKED.title }).waitFor();
    },
  },
  {
    file: '09-authenticator',
    journey: registered({ step: 'authenticator', signedIn: true, clockDriftSeconds: 4 }),
    act: async (page, m) => {
      await page.getByRole('img', { name: m.authenticator.qrAlt }).waitFor();
    },
  },
  {
    file: '10-phone',
    journey: registered({ step: 'phone', signedIn: true, registeredMobile: '+919876543210' }),
    handlers: {
      sendPhoneCode: () => ({
        sentTo: '+91******3210',
        resendAvailableAt: new Date(NOW.getTime() + 45_000).toISOString(),
        expiresAt: at(10 / 1440),
      }),
    },
    act: async (page, m) => {
      await page.getByLabel(m.register.country).selectOption('IN');
      await page.getByLabel(m.register.mobileNumber, { exact: true }).fill('98765 43210');
      await page.getByRole('button', { name: m.phone.send }).click();
      await page.getByText(pattern(m.phone.sentTo)).waitFor();
    },
  },
  {
    file: '11-password',
    journey: registered({ step: 'password', signedIn: true }),
    act: async (page, m) => {
      await page.getByLabel(new RegExp(`^${m.password.current.replace(/[()]/g, '\\$&')}`)).fill('Qm7#kT2p!Xw9Rb');
      await page.getByLabel(new RegExp(`^${m.password.newPassword}`)).fill('Monsoon-Tea-2026');
    },
  },
  { file: '12-terms', journey: registered({ step: 'terms', signedIn: true }) },
  {
    file: '13-verify',
    journey: registered({ step: 'verify', signedIn: true, accountState: 'ACTIVE', onboardingComplete: true }),
  },
  {
    file: '14-device-check',
    journey: registered({
      step: 'device-check',
      signedIn: true,
      accountState: 'ACTIVE',
      onboardingComplete: true,
      seedReport: blockedReport,
    }),
    platform: 'win32',
  },
  {
    file: '16-keychain-notice',
    journey: registered({ step: 'sign-in', keychain: { available: false, problem: 'linux-no-secret-service' } }),
    act: async (page, m) => {
      await page.getByText(m.keychain.details).click();
    },
  },
  {
    file: '15-done',
    journey: registered({ step: 'done', signedIn: true, accountState: 'ACTIVE', onboardingComplete: true }),
    platform: 'win32',
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Fake host

let current: Screen = SCREENS[0] as Screen;

function defaults(screen: Screen): Record<string, Handler> {
  return {
    getAppInfo: () => ({
      name: 'TechPass Onboarding',
      version: '0.1.0',
      platform: screen.platform ?? 'darwin',
      host: 'web',
    }),
    getBackendStatus: () => ({
      reachable: true,
      url: 'https://techpass.example',
      name: 'techpass-provisioning',
      version: '0.1.0',
      mode: 'demo',
    }),
    getOrgSettings: () => ({
      organisationName: 'GovTech',
      supportUrl: 'https://go.gov.sg/seed-techpass-support',
      docsUrl: 'https://docs.developer.tech.gov.sg',
    }),
    getJourney: () => screen.journey,
    getDemoInbox: () => ({ available: !!screen.inbox, messages: screen.inbox ? inbox : [] }),
    startAuthenticatorEnrolment: () => ({
      secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      otpauthUri:
        'otpauth://totp/TechPass:priya.raman%40techpass.gov.sg?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=TechPass',
    }),
    getTerms: () => terms,
    openExternal: () => ({ opened: true }),
    // The real rule, as the host answers it: the mobile field's live check is the host's.
    checkMobileNumber: (r) => mobileNumberFacts(String(r.input), typeof r.country === 'string' ? r.country : undefined),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/events') {
    // The web host's push channel: this stand-in never pushes, so it ends the long-poll at once.
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ ok: false, error: { code: 'NOT_FOUND' } }));
    return;
  }
  if (url.pathname.startsWith('/bridge/') || url.pathname === '/bridge-batch') {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const payload = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const answer = (method: string, request: Record<string, unknown>) => {
      const handler = current.handlers?.[method as MethodName] ?? defaults(current)[method];
      const result = handler ? handler(request) : fail('UNEXPECTED');
      return result && typeof result === 'object' && '__error' in result
        ? { ok: false, error: result.__error }
        : { ok: true, result };
    };
    // The first screen's reads in one request, as the web host answers them (bridge `callEarly`).
    const envelope =
      url.pathname === '/bridge-batch'
        ? { ok: true, result: (payload.methods as string[]).map((m) => answer(m, {})) }
        : answer(url.pathname.slice('/bridge/'.length), payload);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(envelope));
    return;
  }
  const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
  const file = normalize(join(RENDERER_DIR, rel));
  if (!file.startsWith(normalize(RENDERER_DIR + sep))) {
    res.writeHead(404).end();
    return;
  }
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
  };
  try {
    const content = await readFile(file);
    res
      .writeHead(200, {
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
      })
      .end(content);
  } catch {
    res.writeHead(404).end();
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  await mkdir(OUT_DIR, { recursive: true });
  const server = createServer((req, res) => void handle(req, res).catch(() => res.writeHead(500).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--font-render-hinting=none',
    ],
  });
  const problems: string[] = [];
  // English into <out>/, Simplified Chinese into <out>/zh-CN/: the browser's language picks the wizard's.
  const locales = [
    { browser: 'en-SG', words: wordsFor('en'), dir: OUT_DIR, name: 'en' },
    { browser: 'zh-CN', words: wordsFor('zh-CN'), dir: join(OUT_DIR, 'zh-CN'), name: 'zh-CN' },
  ];
  try {
    for (const { browser: browserLocale, words: m, dir, name } of locales)
      for (const screen of SCREENS) {
        if (args.only && !screen.file.startsWith(args.only)) continue;
        current = screen;
        await mkdir(dir, { recursive: true });
        const context = await browser.newContext({
          viewport: { width: Number(args.width ?? 1280), height: 860 },
          deviceScaleFactor: 1,
          locale: browserLocale,
          timezoneId: 'Asia/Singapore',
          reducedMotion: 'reduce',
          permissions: ['clipboard-read', 'clipboard-write'],
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        await page.clock.setFixedTime(NOW);
        await page.goto(`http://127.0.0.1:${port}/#token=screenshots`);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.getByText(fill(m.versionLabel, { version: '0.1.0' })).waitFor();
        if (screen.journey.step === 'welcome') await page.getByText(pattern(m.backend.connected)).waitFor();
        if (screen.act) await screen.act(page, m);
        await page.waitForLoadState('networkidle');
        if (screen.inbox) await page.getByRole('complementary', { name: m.inbox.title }).waitFor();
        await page.evaluate(() => document.fonts.ready);
        const path = join(dir, `${screen.file}.png`);
        await rm(path, { force: true });
        await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
        const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
        for (const v of axe.violations) {
          problems.push(
            `${name}/${screen.file}: axe ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
          );
        }
        for (const e of errors) problems.push(`${name}/${screen.file}: console: ${e}`);
        if (args.reflow) {
          await page.setViewportSize({ width: REFLOW_WIDTH, height: 860 });
          await mkdir(join(dir, String(REFLOW_WIDTH)), { recursive: true });
          const narrow = join(dir, String(REFLOW_WIDTH), `${screen.file}.png`);
          await rm(narrow, { force: true });
          await page.screenshot({ path: narrow, fullPage: true, animations: 'disabled', caret: 'hide' });
          for (const p of await page.evaluate(reflowProblems, REFLOW_WIDTH))
            problems.push(`${name}/${screen.file}: reflow at ${REFLOW_WIDTH}px: ${p}`);
        }
        console.log(
          `captured ${name}/${screen.file}.png${axe.violations.length ? ` (${axe.violations.length} axe violations)` : ''}`,
        );
        await context.close();
      }
  } finally {
    await browser.close();
    server.close();
  }
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
