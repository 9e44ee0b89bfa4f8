import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit, PasswordHasher } from './crypto';

/** A task that finishes when told to, and says when it started. */
function gate() {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { done, open, fail };
}
const settle = () => new Promise((r) => setImmediate(r));

describe('ConcurrencyLimit (how many password hashes run at once)', () => {
  it('runs at most `limit` tasks at once, starts the others in the order they came, and a failure frees its slot', async () => {
    const limit = new ConcurrencyLimit(2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const results = gates.map((g, i) =>
      limit
        .run(async () => {
          started.push(i);
          running += 1;
          most = Math.max(most, running);
          try {
            await g.done;
          } finally {
            running -= 1;
          }
          return i;
        })
        .catch((e: Error) => e.message),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1]?.fail(new Error('hash failed'));
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.open();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const g of gates) g.open();
    expect(await Promise.all(results)).toEqual([0, 'hash failed', 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('a password hasher limited to one hash at a time still hashes and verifies every password of a burst', async () => {
    const hasher = new PasswordHasher({ memoryCost: 64, timeCost: 1, parallelism: 1 }, 1);
    const hashes = await Promise.all(['a', 'b', 'c'].map((p) => hasher.hash(`pw-${p}`)));
    const verdicts = await Promise.all(
      hashes.flatMap((h, i) => [hasher.verify(h, `pw-${'abc'[i]}`), hasher.verify(h, 'wrong')]),
    );
    expect(verdicts).toEqual([true, false, true, false, true, false]);
    expect(await hasher.verifyDummy('x')).toBe(false);
  });
});
