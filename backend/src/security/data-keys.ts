import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The server's data-encryption keys: the one home for encrypting secrets at rest (TOTP secrets, stored idempotent
 * replies) and for keyed hashes of short codes (a 6-digit code hashed without a key is reversed by trying all 10^6).
 *
 * A key ring is `DATA_ENCRYPTION_KEYS=<id>:<base64 32 bytes>[,<id>:<base64>…]`: the first key seals everything new;
 * every listed key still opens what it sealed. Rotation (backend/README.md, "Key rotation"): put a new key first and
 * restart; the start-up reseal moves long-lived values (TOTP secrets) to it, short-lived rows expire; then drop the
 * old key.
 * In demo and test mode, with no keys configured, a key file is generated in the data dir (0600) so a restart still
 * opens what the previous run sealed; production requires configured keys (see config.ts).
 */
export interface DataKeyRing {
  readonly currentId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

export class DataKeyError extends Error {}

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;
const SEALED_PREFIX = 'sealed1';

export function parseDataKeys(raw: string): DataKeyRing {
  const keys = new Map<string, Buffer>();
  let currentId: string | undefined;
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const idx = part.indexOf(':');
    const id = idx > 0 ? part.slice(0, idx) : '';
    const key = Buffer.from(idx > 0 ? part.slice(idx + 1) : '', 'base64');
    if (!KEY_ID.test(id))
      throw new DataKeyError(
        'DATA_ENCRYPTION_KEYS: each entry is <id>:<base64 key>, id of 1-16 letters, digits, _ or -',
      );
    if (key.length !== 32)
      throw new DataKeyError(
        `DATA_ENCRYPTION_KEYS: key "${id}" must be 32 bytes (base64 of 32 random bytes: openssl rand -base64 32)`,
      );
    if (keys.has(id)) throw new DataKeyError(`DATA_ENCRYPTION_KEYS: key id "${id}" is listed twice`);
    keys.set(id, key);
    currentId ??= id;
  }
  if (!currentId) throw new DataKeyError('DATA_ENCRYPTION_KEYS: no key given');
  return { currentId, keys };
}

/** Demo/test only: a generated key kept in the data dir, so restarts keep working. */
export function localDataKeys(dataDir: string): DataKeyRing {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'data-keys.local');
  if (!existsSync(file)) {
    writeFileSync(file, `local:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return parseDataKeys(readFileSync(file, 'utf8'));
}

function keyFor(ring: DataKeyRing, id: string): Buffer {
  const key = ring.keys.get(id);
  if (!key)
    throw new DataKeyError(
      `data key "${id}" is not in DATA_ENCRYPTION_KEYS (was it dropped before everything was resealed?)`,
    );
  return key;
}

function subKey(key: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `techpass:${purpose}`, 32));
}

/**
 * AES-256-GCM. `context` binds the ciphertext to where it is stored (e.g. `totp:<accountId>`), so a sealed value
 * copied into another row does not open there.
 */
export function seal(ring: DataKeyRing, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subKey(keyFor(ring, ring.currentId), 'seal'), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    SEALED_PREFIX,
    ring.currentId,
    iv.toString('base64url'),
    ct.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${SEALED_PREFIX}.`);
}

export function open(ring: DataKeyRing, sealed: string, context: string): string {
  const [prefix, id, iv, ct, tag] = sealed.split('.');
  if (prefix !== SEALED_PREFIX || !id || !iv || ct === undefined || !tag) throw new DataKeyError('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', subKey(keyFor(ring, id), 'seal'), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

/** True when the value was sealed by an older key (the start-up reseal moves it to the current one). */
export function sealedWithOldKey(ring: DataKeyRing, sealed: string): boolean {
  return sealed.split('.')[1] !== ring.currentId;
}

/**
 * Keyed hash (HMAC-SHA256) of a short secret such as a 6-digit code: `<keyId>:<hex>`. Check with `keyedHashMatches`,
 * which uses the key named in the stored value (so a rotation does not break codes already sent).
 */
export function keyedHash(ring: DataKeyRing, value: string, purpose: string): string {
  return `${ring.currentId}:${hmacHex(keyFor(ring, ring.currentId), value, purpose)}`;
}

export function keyedHashMatches(ring: DataKeyRing, stored: string, value: string, purpose: string): boolean {
  const idx = stored.indexOf(':');
  if (idx <= 0) return false;
  const key = ring.keys.get(stored.slice(0, idx));
  if (!key) return false;
  const expected = Buffer.from(hmacHex(key, value, purpose), 'hex');
  const actual = Buffer.from(stored.slice(idx + 1), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function hmacHex(key: Buffer, value: string, purpose: string): string {
  return createHmac('sha256', subKey(key, `hmac:${purpose}`))
    .update(value, 'utf8')
    .digest('hex');
}
