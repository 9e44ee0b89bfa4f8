import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

// electron-builder.yml checked against electron-builder's own configuration schema (the same validation
// `electron-builder` runs before a build), plus the settings IT relies on.
describe('electron-builder.yml', () => {
  it('passes electron-builder’s configuration schema', async () => {
    const config = await getConfig(process.cwd(), null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the schema check is real: an unknown option is rejected', async () => {
    const config = await getConfig(process.cwd(), null, null);
    await expect(
      validateConfiguration({ ...config, notAnOption: true } as never, new DebugLogger(false)),
    ).rejects.toThrow(/notAnOption|additional/i);
  });

  it('registers the deep-link protocol, never rebuilds native modules, and unpacks the keychain module', async () => {
    const config = await getConfig(process.cwd(), null, null);
    expect(config.protocols).toEqual([{ name: 'TechPass Onboarding', schemes: ['techpass-onboarding'] }]);
    expect(config.npmRebuild).toBe(false);
    expect(config.asarUnpack).toContain('**/node_modules/@napi-rs/keyring*/**');
  });

  it('flips the release fuses: no RunAsNode, no NODE_OPTIONS, no inspector, asar only with integrity, cookies encrypted', async () => {
    const config = await getConfig(process.cwd(), null, null);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
