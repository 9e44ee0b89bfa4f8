import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch';
import type { Host } from './host-services';
import { silentLogger } from './host-log';
import { testHost } from './test-support/test-host';
import { UI_PREFERENCES_FILE } from './ui-preferences';
import { Vault } from './vault';
import { backendForSuite, tempDirsPerTest, memorySecretStore } from './test-support/suite';

/**
 * A language switch after registration reaches the account, so the next email and SMS are in it. Signed in,
 * the host sends it at once (PUT /v1/me/locale); not signed in, it holds it and sends it once at the next sign-in.
 */
const backend = backendForSuite();

const tempDir = tempDirsPerTest('techpass-account-locale');

const HAN = /\p{Script=Han}/u;

function host(): { h: Host; dataDir: string } {
  const dataDir = tempDir();
  const vault = new Vault(memorySecretStore(), 'linux');
  return { h: testHost(backend().url, dataDir, { vault, log: silentLogger, client: { backoffMs: 5 } }), dataDir };
}

async function ok<T>(h: Host, method: string, payload: unknown = {}): Promise<T> {
  const r = await dispatch(h.handlers, method, payload);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
  return r.result as T;
}

async function register(h: Host, mobile: string): Promise<{ username: string; password: string }> {
  const { token } = await backend().invite();
  await ok(h, 'openInvitation', { link: token });
  const username = `loc${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  const password = 'Granite-Pelican-29-Meadow';
  await ok(h, 'submitRegistration', {
    username,
    firstName: 'Mei',
    lastName: 'Lin',
    mobile,
    department: 'Ops',
    password,
    locale: 'en',
  });
  return { username, password };
}

const phoneCodeTo = async (mobile: string) =>
  (await backend().outbox()).filter((m) => m.template === 'N-PHONE-CODE' && m.to === mobile).pop();

describe('the account follows a language switch after registration', () => {
  it('signed in: the switch is sent at once, and the next SMS is Chinese', async () => {
    const { h, dataDir } = host();
    const { username, password } = await register(h, '+6591110001');
    expect(await ok<{ status: string }>(h, 'signIn', { loginId: username, password })).toMatchObject({
      status: 'signed_in',
    });
    expect(await ok(h, 'setLocale', { locale: 'zh-CN' })).toEqual({ locale: 'zh-CN', account: 'updated' });
    await ok(h, 'sendPhoneCode', { mobile: '+6591110002' });
    expect((await phoneCodeTo('+6591110002'))?.body).toMatch(HAN);
    expect(JSON.parse(readFileSync(join(dataDir, UI_PREFERENCES_FILE), 'utf8'))).toEqual({
      version: 1,
      locale: 'zh-CN',
    });
  });

  it('not signed in: the switch is held, then sent once at the next sign-in', async () => {
    const { h, dataDir } = host();
    const { username, password } = await register(h, '+6591110003');
    // Registered in English; the user switches on the account-created step, before signing in.
    expect(await ok(h, 'setLocale', { locale: 'zh-CN' })).toEqual({ locale: 'zh-CN', account: 'pending' });
    expect(JSON.parse(readFileSync(join(dataDir, UI_PREFERENCES_FILE), 'utf8'))).toMatchObject({
      localeToSync: 'zh-CN',
    });
    await ok(h, 'signIn', { loginId: username, password });
    expect(JSON.parse(readFileSync(join(dataDir, UI_PREFERENCES_FILE), 'utf8'))).toEqual({
      version: 1,
      locale: 'zh-CN',
    });
    await ok(h, 'sendPhoneCode', { mobile: '+6591110004' });
    expect((await phoneCodeTo('+6591110004'))?.body).toMatch(HAN);
  });

  it('before registering, nothing is held: the registration carries the language', async () => {
    const { h, dataDir } = host();
    expect(await ok(h, 'setLocale', { locale: 'zh-CN' })).toEqual({ locale: 'zh-CN', account: 'pending' });
    const { token } = await backend().invite();
    await ok(h, 'openInvitation', { link: token });
    await ok(h, 'submitRegistration', {
      username: `pre${Date.now().toString(36)}`,
      firstName: 'Mei',
      lastName: 'Lin',
      mobile: '+6591110005',
      department: 'Ops',
      password: 'Granite-Pelican-29-Meadow',
      locale: 'zh-CN',
    });
    expect(JSON.parse(readFileSync(join(dataDir, UI_PREFERENCES_FILE), 'utf8'))).toEqual({
      version: 1,
      locale: 'zh-CN',
    });
  });
});
