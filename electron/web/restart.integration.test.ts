import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

describe('web host process, real keychain, real backend', () => {
  it('killed between steps (even SIGKILL), a new host process resumes at the same step; sign-out forgets the session', async () => {
    const out = await new Promise<string>((done, fail) => {
      const child = spawn(
        'sh',
        [
          resolve(ROOT, 'scripts/with-keyring.sh'),
          resolve(ROOT, 'node_modules/.bin/tsx'),
          resolve(ROOT, 'electron/host/test-support/web-restart-driver.ts'),
        ],
        {
          cwd: ROOT,
          env: process.env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr = (stderr + String(c)).slice(-3000)));
      child.on('error', fail);
      child.on('exit', (code) =>
        code === 0 ? done(stdout) : fail(new Error(`driver exited ${code}: ${stdout} ${stderr}`)),
      );
    });
    const { resumed } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
      resumed: Record<
        string,
        { step: string; signedIn: boolean; keychain: { available: boolean }; invitation?: unknown }
      >;
    };
    // The registration token came back from the keychain: the invitation is still open after a crash.
    expect(resumed.register).toMatchObject({
      step: 'register',
      keychain: { available: true },
      invitation: { passwordDelivery: 'sms' },
    });
    expect(resumed.authenticator).toMatchObject({
      step: 'authenticator',
      signedIn: true,
      keychain: { available: true },
    });
    expect(resumed.phone).toMatchObject({ step: 'phone', signedIn: true });
    expect(resumed.signedOut).toMatchObject({ step: 'sign-in', signedIn: false });
  }, 60_000);
});
