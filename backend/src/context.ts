import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { resolveDeadlines, type Deadlines } from '../../shared/domain/deadlines';
import type { Clock } from './clock';
import type { BackendConfig } from './config';
import type { PasswordHasher } from './crypto';
import type { DB } from './db/schema';
import type { Dialect } from './db/connect';

/** Everything a service needs: passed explicitly, so tests can build one with a test clock and a temp database. */
export interface Ctx {
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  config: BackendConfig;
  hasher: PasswordHasher;
  deadlines: Deadlines;
  log: FastifyBaseLogger;
  /** The public base URL registration links point at. */
  publicUrl: string;
}

export const defaultDeadlines = (): Deadlines => resolveDeadlines();

export const iso = (d: Date): string => d.toISOString();
export const addSec = (d: Date, seconds: number): Date => new Date(d.getTime() + seconds * 1000);
