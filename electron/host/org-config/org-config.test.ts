import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeThrowawayCa, type ThrowawayCa } from '../test-support/throwaway-ca';
import {
  externalAllowlist,
  isAllowedBackendUrl,
  isAllowedExternalUrl,
  loadOrgConfig,
  ORG_CONFIG_DEFAULTS,
  OrgConfigLayer,
  parseRegQuery,
  WINDOWS_POLICY_KEY,
  type OrgConfigDeps,
} from '.';

const rootFile = { uid: 0, mode: 0o100644, isFile: () => true, isDirectory: () => false, isSymbolicLink: () => false };
const rootDir = { uid: 0, mode: 0o040755, isFile: () => false, isDirectory: () => true, isSymbolicLink: () => false };

/** A fake file system: path → { content, stat }. */
function linuxDeps(
  files: Record<string, { content: string; stat?: typeof rootFile }>,
  extra: Partial<OrgConfigDeps> = {},
): OrgConfigDeps {
  return {
    platform: 'linux',
    isPackaged: true,
    env: {},
    linuxPolicyPath: '/etc/techpass-onboarding/managed-settings.json',
    bundledPath: '/app/resources/org-config.json',
    readFile: async (p) => {
      const f = files[p];
      if (!f) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return f.content;
    },
    lstat: async (p) => {
      if (p === '/etc/techpass-onboarding') return rootDir;
      const f = files[p];
      if (!f) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return f.stat ?? rootFile;
    },
    ...extra,
  };
}

const POLICY = '/etc/techpass-onboarding/managed-settings.json';
const BUNDLED = '/app/resources/org-config.json';

describe('org config precedence: OS policy, then bundled file, then defaults', () => {
  it('uses defaults when nothing is configured', async () => {
    const loaded = await loadOrgConfig(linuxDeps({}));
    expect(loaded.config).toEqual(ORG_CONFIG_DEFAULTS);
    expect(loaded.sources.backendUrl).toBe('default');
    expect(loaded.rejected).toEqual([]);
  });

  it('bundled file overrides defaults; policy overrides the bundled file, field by field', async () => {
    const loaded = await loadOrgConfig(
      linuxDeps({
        [BUNDLED]: {
          content: JSON.stringify({ backendUrl: 'https://bundled.example.gov.sg', locale: 'en', $comment: 'x' }),
        },
        [POLICY]: { content: JSON.stringify({ BackendUrl: 'https://policy.example.gov.sg', updatePolicy: 'notify' }) },
      }),
    );
    expect(loaded.config.backendUrl).toBe('https://policy.example.gov.sg');
    expect(loaded.config.updatePolicy).toBe('notify');
    expect(loaded.config.locale).toBe('en');
    expect(loaded.config.supportUrl).toBe(ORG_CONFIG_DEFAULTS.supportUrl);
    expect(loaded.sources).toMatchObject({
      backendUrl: 'policy',
      updatePolicy: 'policy',
      locale: 'bundled',
      supportUrl: 'default',
    });
  });

  it('rejects an http backend URL (the whole layer is refused and reported)', async () => {
    const loaded = await loadOrgConfig(
      linuxDeps({
        [BUNDLED]: { content: JSON.stringify({ backendUrl: 'https://bundled.example.gov.sg' }) },
        [POLICY]: { content: JSON.stringify({ backendUrl: 'http://provisioning.example.gov.sg', locale: 'zh' }) },
      }),
    );
    expect(loaded.config.backendUrl).toBe('https://bundled.example.gov.sg');
    expect(loaded.config.locale).toBe(ORG_CONFIG_DEFAULTS.locale);
    expect(loaded.rejected).toHaveLength(1);
    expect(loaded.rejected[0]).toMatchObject({ source: 'policy' });
    expect(loaded.rejected[0]?.reason).toMatch(/backendUrl.*https/);
  });

  it('rejects a group-writable Linux policy file', async () => {
    const loaded = await loadOrgConfig(
      linuxDeps({
        [POLICY]: {
          content: JSON.stringify({ backendUrl: 'https://evil.example' }),
          stat: { ...rootFile, mode: 0o100664 },
        },
      }),
    );
    expect(loaded.config.backendUrl).toBe(ORG_CONFIG_DEFAULTS.backendUrl);
    expect(loaded.rejected[0]?.reason).toMatch(/writable by group or others/);
  });

  it('rejects a policy file not owned by root, and a symbolic link', async () => {
    const notRoot = await loadOrgConfig(linuxDeps({ [POLICY]: { content: '{}', stat: { ...rootFile, uid: 1000 } } }));
    expect(notRoot.rejected[0]?.reason).toMatch(/not owned by root/);
    const link = await loadOrgConfig(
      linuxDeps({ [POLICY]: { content: '{}', stat: { ...rootFile, isSymbolicLink: () => true } } }),
    );
    expect(link.rejected[0]?.reason).toMatch(/symbolic link/);
  });

  it('rejects unknown keys and malformed JSON instead of half-using them', async () => {
    const unknown = await loadOrgConfig(linuxDeps({ [BUNDLED]: { content: JSON.stringify({ backendURL2: 'x' }) } }));
    expect(unknown.rejected[0]?.source).toBe('bundled');
    const broken = await loadOrgConfig(linuxDeps({ [BUNDLED]: { content: '{ not json' } }));
    expect(broken.rejected[0]?.source).toBe('bundled');
    expect(broken.config).toEqual(ORG_CONFIG_DEFAULTS);
  });

  it('honours TECHPASS_BACKEND_URL only when not packaged, and still requires https or loopback', async () => {
    const env = { TECHPASS_BACKEND_URL: 'http://127.0.0.1:8787' };
    expect((await loadOrgConfig(linuxDeps({}, { env, isPackaged: false }))).config.backendUrl).toBe(
      'http://127.0.0.1:8787',
    );
    expect((await loadOrgConfig(linuxDeps({}, { env, isPackaged: true }))).config.backendUrl).toBe(
      ORG_CONFIG_DEFAULTS.backendUrl,
    );
    const bad = await loadOrgConfig(
      linuxDeps({}, { env: { TECHPASS_BACKEND_URL: 'http://evil.example' }, isPackaged: false }),
    );
    expect(bad.config.backendUrl).toBe(ORG_CONFIG_DEFAULTS.backendUrl);
    expect(bad.rejected[0]?.source).toBe('environment');
  });

  it('reads the Windows policy key with reg query (execFile, no shell)', async () => {
    const calls: string[][] = [];
    const loaded = await loadOrgConfig({
      platform: 'win32',
      isPackaged: true,
      env: {},
      execFile: async (file, args) => {
        calls.push([file, ...args]);
        return `\r\n${WINDOWS_POLICY_KEY}\r\n    BackendUrl    REG_SZ    https://win.example.gov.sg\r\n    UpdatePolicy    REG_SZ    auto\r\n`;
      },
    });
    expect(calls).toEqual([['reg', 'query', WINDOWS_POLICY_KEY]]);
    expect(loaded.config).toMatchObject({ backendUrl: 'https://win.example.gov.sg', updatePolicy: 'auto' });
    expect(loaded.sources.backendUrl).toBe('policy');
  });

  it('reads macOS managed preferences with plutil', async () => {
    const loaded = await loadOrgConfig({
      platform: 'darwin',
      isPackaged: true,
      env: {},
      macPolicyPath: '/Library/Managed Preferences/x.plist',
      lstat: async () => rootFile,
      execFile: async (file, args) => {
        expect([file, ...args]).toEqual([
          'plutil',
          '-convert',
          'json',
          '-o',
          '-',
          '/Library/Managed Preferences/x.plist',
        ]);
        return JSON.stringify({ backendUrl: 'https://mac.example.gov.sg' });
      },
    });
    expect(loaded.config.backendUrl).toBe('https://mac.example.gov.sg');
  });

  it('parses reg query output, ignoring unknown values', () => {
    expect(
      parseRegQuery(
        '    Locale    REG_SZ    en-SG\r\n    Other    REG_SZ    x\r\n    ExternalLinkHosts    REG_SZ    a.gov.sg;b.gov.sg',
      ),
    ).toEqual({
      locale: 'en-SG',
      externalLinkHosts: ['a.gov.sg', 'b.gov.sg'],
    });
  });
});

describe('backend and external URL rules', () => {
  it.each([
    ['https://provisioning.techpass.gov.sg', true],
    ['http://127.0.0.1:8787', true],
    ['http://localhost:8787', true],
    ['http://[::1]:8787', true],
    ['http://provisioning.techpass.gov.sg', false],
    ['http://127.0.0.1.evil.example', false],
    ['https://user:pw@provisioning.techpass.gov.sg', false],
    ['ftp://x', false],
    ['not a url', false],
  ])('backend %s → %s', (url, ok) => {
    expect(isAllowedBackendUrl(url)).toBe(ok);
  });

  it('external links: https and allow-listed hosts only (defaults + support/docs + extras)', () => {
    const list = externalAllowlist({
      ...ORG_CONFIG_DEFAULTS,
      supportUrl: 'https://helpdesk.agency.gov.sg/x',
      externalLinkHosts: ['extra.gov.sg'],
    });
    expect(isAllowedExternalUrl('https://helpdesk.agency.gov.sg/new', list)).toBe(true);
    expect(isAllowedExternalUrl('https://extra.gov.sg/', list)).toBe(true);
    expect(isAllowedExternalUrl('https://go.gov.sg/seed-techpass-support', list)).toBe(true);
    expect(isAllowedExternalUrl('http://go.gov.sg/seed-techpass-support', list)).toBe(false);
    expect(isAllowedExternalUrl('https://evil.example/', list)).toBe(false);
    expect(isAllowedExternalUrl('https://go.gov.sg.evil.example/', list)).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd', list)).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)', list)).toBe(false);
  });
});

describe('org config: proxy and extraCaCertificates', () => {
  let ca: ThrowawayCa;
  beforeAll(async () => {
    ca = await makeThrowawayCa(['techpass.test']);
  }, 30_000);
  afterAll(() => ca?.cleanup());

  it('accepts a proxy URL or a PAC URL and CA certificates in PEM, in every layer', async () => {
    const loaded = await loadOrgConfig(
      linuxDeps({
        [POLICY]: {
          content: JSON.stringify({ proxy: 'http://proxy.corp.example:8080', extraCaCertificates: [ca.caPem] }),
        },
        [BUNDLED]: { content: JSON.stringify({ proxy: 'https://wpad.corp.example/proxy.pac' }) },
      }),
    );
    expect(loaded.rejected).toEqual([]);
    expect(loaded.config.proxy).toBe('http://proxy.corp.example:8080');
    expect(loaded.sources.proxy).toBe('policy');
    expect(loaded.config.extraCaCertificates).toHaveLength(1);
    expect(loaded.config.extraCaCertificates?.[0]?.replace(/\s+/g, '')).toBe(ca.caPem.replace(/\s+/g, ''));
    const bundledOnly = await loadOrgConfig(
      linuxDeps({ [BUNDLED]: { content: JSON.stringify({ proxy: 'pac+http://wpad/wpad' }) } }),
    );
    expect(bundledOnly.config.proxy).toBe('pac+http://wpad/wpad');
  });

  it('a PEM flattened to one line (registry, plist editors) is restored', () => {
    const flat = ca.caPem.replace(/\n/g, ' ');
    const parsed = OrgConfigLayer.parse({ extraCaCertificates: flat });
    expect(parsed.extraCaCertificates?.[0]?.replace(/\s+/g, '')).toBe(ca.caPem.replace(/\s+/g, ''));
  });

  it('the Windows policy key carries both (REG_SZ proxy, REG_MULTI_SZ certificates)', () => {
    const lines = ca.caPem.trim().split('\n').join('\\0');
    const parsed = parseRegQuery(
      `${WINDOWS_POLICY_KEY}\r\n    Proxy    REG_SZ    http://proxy.corp.example:3128\r\n    ExtraCaCertificates    REG_MULTI_SZ    ${lines}\r\n`,
    );
    expect(parsed.proxy).toBe('http://proxy.corp.example:3128');
    expect(OrgConfigLayer.parse(parsed).extraCaCertificates).toHaveLength(1);
  });

  it('refuses bad values with a clear reason, and the whole layer with them', async () => {
    const bad = (value: Record<string, unknown>) => OrgConfigLayer.safeParse(value);
    const msg = (value: Record<string, unknown>) => {
      const r = bad(value);
      return r.success ? '' : r.error.issues.map((i) => i.message).join('; ');
    };
    expect(msg({ extraCaCertificates: 'hello' })).toMatch(/PEM certificates/);
    expect(msg({ extraCaCertificates: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'] })).toMatch(
      /not a valid PEM certificate/,
    );
    expect(msg({ extraCaCertificates: [ca.certPem] })).toMatch(/not a CA certificate/);
    expect(msg({ proxy: 'http://user:pw@proxy.example:8080' })).toMatch(/user name or password/);
    expect(msg({ proxy: 'socks5://proxy.example:1080' })).toMatch(/http:\/\//);
    expect(msg({ proxy: 'http://proxy.example:8080/some/path' })).toMatch(/PAC/);
    expect(msg({ proxy: 'not a url' })).toMatch(/proxy URL/);
    const loaded = await loadOrgConfig(
      linuxDeps({
        [POLICY]: {
          content: JSON.stringify({ backendUrl: 'https://policy.example.gov.sg', extraCaCertificates: 'garbage' }),
        },
      }),
    );
    expect(loaded.config.backendUrl).toBe(ORG_CONFIG_DEFAULTS.backendUrl);
    expect(loaded.rejected).toEqual([
      { source: 'policy', reason: expect.stringMatching(/extraCaCertificates: must hold PEM/) },
    ]);
  });
});
