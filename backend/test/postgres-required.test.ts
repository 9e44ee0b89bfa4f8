import { describe, expect, it } from 'vitest';

// The repository/integration suites run on SQLite AND PostgreSQL. Without TEST_DATABASE_URL the PostgreSQL half
// cannot run: this is a failure (with the fix in the message), never a skip.
describe('PostgreSQL test database', () => {
  it('TEST_DATABASE_URL is set (npm test starts one; by hand: scripts/start-pg.sh)', () => {
    expect(
      process.env.TEST_DATABASE_URL,
      'Start PostgreSQL with scripts/start-pg.sh and export TEST_DATABASE_URL=<its DATABASE_URL>',
    ).toMatch(/^postgres(ql)?:\/\//);
  });
});
