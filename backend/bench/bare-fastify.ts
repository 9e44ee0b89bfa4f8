/**
 * The baseline server for "simple calls": bare Fastify, no logging, no database, answering the same routes with
 * bodies of the same shape. Prints `listening on <url>` like the backend.
 */
import { hash, verify } from '@node-rs/argon2';
import Fastify from 'fastify';
import pg from 'pg';

async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  const me = {
    username: 'bench1',
    loginId: 'bench1@techpass.gov.sg',
    state: 'ACTIVE',
    requiredActions: [] as string[],
    onboardingComplete: true,
    deadlines: { passwordExpiresAt: new Date().toISOString() },
    seed: { state: 'ONBOARDED' },
    serverTime: new Date().toISOString(),
  };
  app.get('/healthz', async () => ({ name: 'bare', version: '0', mode: 'test' }));
  app.get('/v1/me', async () => ({ ...me, serverTime: new Date().toISOString() }));
  // BENCH_DATABASE_URL set: the same answer after one PostgreSQL round trip (`select 1` on a pool like the
  // backend's), the least any service that reads its session from the database pays per request. The figure
  // "GET /v1/me on PostgreSQL" is compared with it as well as with bare Fastify.
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    app.get('/v1/me-after-select-1', async () => {
      await pool.query({ name: 'bench_select_1', text: 'select 1 as one' });
      return { ...me, serverTime: new Date().toISOString() };
    });
  }
  app.get('/v1/registrations/:token', async () => ({
    email: 'b***@vendor.example',
    businessOperation: 'onshore',
    odc: null,
    sponsoringAgency: 'GovTech',
    seedRequested: false,
    passwordDelivery: 'sms',
    requiredFields: ['firstName', 'lastName', 'mobile'],
    expiresAt: new Date().toISOString(),
  }));
  // Sign-in with nothing but the hash: one argon2id verification (the service's parameters) per request, answered
  // 201 with a token-sized body. What HTTP on this machine costs around the hash, for the sign-in figure.
  const passwordHash = await hash(process.env.BENCH_PASSWORD ?? '', {
    algorithm: 2,
    memoryCost: 19456,
    timeCost: 2,
    parallelism: 1,
  });
  app.post('/v1/sessions', async (req, reply) => {
    const { password } = req.body as { password: string };
    if (!(await verify(passwordHash, password))) return reply.code(401).send({ code: 'INVALID_CREDENTIALS' });
    return reply.code(201).send({ token: 'x'.repeat(43), requiredActions: ['authenticator'] });
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`listening on ${address}\n`);
}

void main();
