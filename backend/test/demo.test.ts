import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoInvitation } from '../src/demo';
import { DIALECTS, registrationBody, startBackend, type TestBackend } from './harness';

describe.each(DIALECTS)('demo invitation on every start (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect);
  });
  afterAll(async () => {
    await b?.close();
  });

  it('an unused demo address is invited again with a fresh link; a registered one is skipped for the next address', async () => {
    const ctx = b.app.techpass.ctx;
    const first = await seedDemoInvitation(ctx);
    const again = await seedDemoInvitation(ctx);
    expect([first.email, again.email]).toEqual(['demo.vendor@example.com', 'demo.vendor@example.com']);
    // The newer link replaces the unused one (superseded), so exactly one demo link works at a time.
    expect((await b.call('GET', `/v1/registrations/${first.token}`)).body.error.code).toBe('INVITATION_SUPERSEDED');
    const reg = await b.call('POST', `/v1/registrations/${again.token}`, { body: registrationBody() });
    expect(reg.status).toBe(201);

    const next = await seedDemoInvitation(ctx);
    expect(next.email).toBe('demo.vendor+2@example.com');
    expect((await b.call('GET', `/v1/registrations/${next.token}`)).status).toBe(200);
    expect((await b.outbox()).some((m: { template: string }) => m.template === 'N-DUP-REG')).toBe(false);
  });
});
