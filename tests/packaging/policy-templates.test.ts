import { DOMParser } from '@xmldom/xmldom';
import plist from 'plist';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadOrgConfig, ORG_CONFIG_DEFAULTS, WINDOWS_POLICY_KEY } from '../../electron/host/org-config';

// The IT templates in deploy/ must parse, name exactly the settings the host's org-config reader knows, and what they
// produce on each OS must be accepted by that reader.
const example = JSON.parse(readFileSync('deploy/linux/managed-settings.json', 'utf8')) as Record<string, unknown>;
const NS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';

function parseXml(path: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: (msg: string) => errors.push(msg),
      fatalError: (msg: string) => errors.push(msg),
    },
  }).parseFromString(readFileSync(path, 'utf8'), 'text/xml');
  expect(errors).toEqual([]);
  return doc;
}

const root = (doc: Document) => doc.documentElement;
const byTag = (doc: Document, tag: string): Element[] => Array.from(root(doc).getElementsByTagNameNS(NS, tag));

describe('Windows ADMX/ADML', () => {
  const admx = parseXml('deploy/windows/TechPassOnboarding.admx');
  const adml = parseXml('deploy/windows/en-US/TechPassOnboarding.adml');
  const policies = byTag(admx, 'policy');

  it('parses, and every policy writes under the key the app reads', () => {
    expect(root(admx).localName).toBe('policyDefinitions');
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) expect(`HKLM\\${p.getAttribute('key')}`).toBe(WINDOWS_POLICY_KEY);
  });

  it('covers exactly the org settings the reader knows', () => {
    const valueNames = policies.flatMap((p) =>
      Array.from(p.getElementsByTagNameNS(NS, 'elements')[0]!.childNodes)
        .filter((n): n is Element => n.nodeType === 1)
        .map((e) => e.getAttribute('valueName')),
    );
    expect(valueNames.sort()).toEqual(
      Object.keys(ORG_CONFIG_DEFAULTS).concat('supportEmail', 'locale', 'proxy', 'extraCaCertificates').sort(),
    );
  });

  it('has a string for every $(string.X) and a presentation for every $(presentation.X) it references', () => {
    const text = readFileSync('deploy/windows/TechPassOnboarding.admx', 'utf8');
    const strings = new Set(byTag(adml, 'string').map((s) => s.getAttribute('id')));
    const presentations = new Set(byTag(adml, 'presentation').map((s) => s.getAttribute('id')));
    for (const [, id] of text.matchAll(/\$\(string\.(\w+)\)/g)) expect(strings, id).toContain(id);
    for (const [, id] of text.matchAll(/\$\(presentation\.(\w+)\)/g)) expect(presentations, id).toContain(id);
  });

  it('the registry values the policies write are accepted by the org-config reader', async () => {
    // What `reg query` prints once Group Policy has applied the example values.
    const lines = Object.entries(example)
      .filter(([k]) => !k.startsWith('$'))
      .map(([k, v]) =>
        k === 'extraCaCertificates'
          ? // multiText → REG_MULTI_SZ, one PEM line per string; `reg query` joins them with \0.
            `    ${k}    REG_MULTI_SZ    ${(v as string[]).join('').trim().split('\n').join('\\0')}`
          : `    ${k}    REG_SZ    ${Array.isArray(v) ? v.join(';') : String(v)}`,
      );
    const stdout = `\r\n${WINDOWS_POLICY_KEY}\r\n${lines.join('\r\n')}\r\n`;
    const loaded = await loadOrgConfig({
      platform: 'win32',
      isPackaged: true,
      env: {},
      execFile: async (file, args) => {
        expect([file, ...args]).toEqual(['reg', 'query', WINDOWS_POLICY_KEY]);
        return stdout;
      },
    });
    expect(loaded.rejected).toEqual([]);
    expect(loaded.config.backendUrl).toBe(example.backendUrl);
    expect(loaded.config.externalLinkHosts).toEqual(example.externalLinkHosts);
    expect(loaded.config.updatePolicy).toBe(example.updatePolicy);
    expect(loaded.config.proxy).toBe(example.proxy);
    expect(loaded.config.extraCaCertificates).toHaveLength(1);
    expect(loaded.sources.backendUrl).toBe('policy');
  });
});

describe('macOS configuration profile', () => {
  const profile = plist.parse(readFileSync('deploy/macos/sg.gov.tech.techpass-onboarding.mobileconfig', 'utf8')) as {
    PayloadContent: Record<string, unknown>[];
    PayloadType: string;
  };

  it('parses as a configuration profile with one payload for the app’s preference domain', () => {
    expect(profile.PayloadType).toBe('Configuration');
    expect(profile.PayloadContent).toHaveLength(1);
    expect(profile.PayloadContent[0]!.PayloadType).toBe('sg.gov.tech.techpass-onboarding');
  });

  it('the managed preferences it installs are accepted by the org-config reader', async () => {
    // macOS writes the payload's keys (without the Payload* bookkeeping) to /Library/Managed Preferences/<domain>.plist.
    const prefs = Object.fromEntries(
      Object.entries(profile.PayloadContent[0]!).filter(([k]) => !k.startsWith('Payload')),
    );
    const loaded = await loadOrgConfig({
      platform: 'darwin',
      isPackaged: true,
      env: {},
      lstat: async () => ({
        uid: 0,
        mode: 0o100644,
        isFile: () => true,
        isDirectory: () => false,
        isSymbolicLink: () => false,
      }),
      execFile: async (file) => {
        expect(file).toBe('plutil');
        return JSON.stringify(prefs);
      },
    });
    expect(loaded.rejected).toEqual([]);
    expect(loaded.config.backendUrl).toBe(prefs.backendUrl);
    expect(loaded.config.proxy).toBe(prefs.proxy);
    expect(loaded.config.extraCaCertificates).toHaveLength(1);
    expect(loaded.sources.backendUrl).toBe('policy');
  });
});

describe('Linux managed-settings.json example', () => {
  it('is accepted by the org-config reader when root-owned and refused when group-writable', async () => {
    const file = 'deploy/linux/managed-settings.json';
    const stat = (mode: number) => async () => ({
      uid: 0,
      mode,
      isFile: () => mode >= 0o100000,
      isDirectory: () => mode < 0o100000,
      isSymbolicLink: () => false,
    });
    const ok = await loadOrgConfig({
      platform: 'linux',
      isPackaged: true,
      env: {},
      linuxPolicyPath: file,
      lstat: stat(0o100644),
    });
    expect(ok.rejected).toEqual([]);
    expect(ok.config.backendUrl).toBe(example.backendUrl);
    expect(ok.config.proxy).toBe(example.proxy);
    expect(ok.config.extraCaCertificates).toHaveLength(1);
    const writable = await loadOrgConfig({
      platform: 'linux',
      isPackaged: true,
      env: {},
      linuxPolicyPath: file,
      lstat: stat(0o100664),
    });
    expect(writable.sources.backendUrl).not.toBe('policy');
    expect(writable.rejected[0]?.reason).toMatch(/writable/);
  });
});
