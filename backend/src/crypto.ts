import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
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

/** Runs at most `limit` tasks at once; the others wait their turn, in order. */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next task waiting, if any.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/**
 * argon2id (algorithm 2; the const enum cannot be imported under isolatedModules). At most `maxConcurrent` hashes
 * run at once (default: one per core). Each holds `memoryCost` of memory (19 MiB) and a core for its whole run, so
 * more than one per core only adds memory and makes every one of them slower: a burst of sign-ins would otherwise
 * run as many as libuv has threads (4), and leave none of them for the file system.
 */
export class PasswordHasher {
  private dummy: Promise<string>;
  private readonly limit: ConcurrencyLimit;
  constructor(
    private readonly params: Argon2Params,
    maxConcurrent = availableParallelism(),
  ) {
    this.limit = new ConcurrencyLimit(Math.max(1, maxConcurrent));
    // Verified for unknown usernames so that they cost the same as a wrong password.
    this.dummy = this.hash(randomToken(16));
  }
  hash(password: string): Promise<string> {
    return this.limit.run(() => hash(password, { algorithm: 2, ...this.params }));
  }
  async verify(hashed: string | null | undefined, password: string): Promise<boolean> {
    try {
      const stored = hashed ?? (await this.dummy);
      return await this.limit.run(() => verify(stored, password));
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
