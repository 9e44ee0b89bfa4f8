import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** ≥128-bit opaque tokens from the CSPRNG, URL-safe (base64url). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function sixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export { randomInt };

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** argon2id (algorithm 2; the const enum cannot be imported under isolatedModules). */
export class PasswordHasher {
  private dummy: Promise<string>;
  constructor(private readonly params: Argon2Params) {
    // Verified for unknown usernames so that they cost the same as a wrong password.
    this.dummy = this.hash(randomToken(16));
  }
  hash(password: string): Promise<string> {
    return hash(password, { algorithm: 2, ...this.params });
  }
  async verify(hashed: string | null | undefined, password: string): Promise<boolean> {
    try {
      return await verify(hashed ?? (await this.dummy), password);
    } catch {
      return false;
    }
  }
  /** Burns the same time as a real verify and always fails. */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(await this.dummy, password);
    return false;
  }
}
