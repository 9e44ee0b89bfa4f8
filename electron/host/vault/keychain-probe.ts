/**
 * Exercises the vault against the real OS keychain in a child process (the keychain integration test runs this under
 * scripts/with-keyring.sh, and once with no session bus). Prints one JSON line; the secret it stores is random.
 * Usage: tsx electron/host/vault/keychain-probe.ts <service-name>
 */
import { randomBytes } from 'node:crypto';
import { osKeychain, Vault } from '.';

async function main(): Promise<void> {
  const service = process.argv[2] ?? 'techpass-onboarding-probe';
  const secret = randomBytes(16).toString('hex');
  const started = Date.now();
  const writer = new Vault(osKeychain(service));
  const status = await writer.probe();
  await writer.set('session-token', secret);
  // A second vault over the same keychain: what a restarted app would see.
  const reader = new Vault(osKeychain(service));
  const readBack = (await reader.get('session-token')) === secret;
  await reader.wipe();
  const afterWipe = await new Vault(osKeychain(service)).get('session-token');
  const keychainDirect = status.available ? await osKeychain(service).get('session-token') : null;
  process.stdout.write(
    `${JSON.stringify({ status, finalStatus: reader.status, readBack, afterWipe: afterWipe ?? null, keychainDirect, ms: Date.now() - started })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stdout.write(`${JSON.stringify({ crashed: String(err) })}\n`);
  process.exit(1);
});
