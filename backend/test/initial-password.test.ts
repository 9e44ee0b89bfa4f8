import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitialPasswordResendAccepted } from '../../shared/api';
import { INITIAL_PASSWORD_RESENDS_PER_DAY } from '../src/features/password/initial-password';
import {
  bodyWithStatus,
  DIALECTS,
  GOOD_PASSWORD,
  registered,
  signInToken,
  startBackend,
  type TestBackend,
} from './harness';

// Typed answers throughout (the route table's client and `bodyWithStatus`): this file keeps the no-unsafe-* rules on.
describe.each(DIALECTS)('self-service resend of the initial-password SMS (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect, { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await b?.close();
  });

  const initPwdSms = async (to: string) =>
    bodyWithStatus(await b.api.call('getOutbox'), 200).filter((m) => m.template === 'N-INITPWD' && m.to === to);
  const resend = (body: { loginId: string; mobile: string }) => b.api.call('resendInitialPassword', { body });

  it('sends a new first password to the registered mobile; the old one stops working; the count is returned', async () => {
    const u = await registered(b, { passwordDelivery: 'sms' }, { mobile: '+6591110001' });
    const accepted = bodyWithStatus(await resend({ loginId: u.username, mobile: u.mobile }), 202);
    expect(accepted).toEqual({
      status: 'accepted',
      sentToday: 1,
      dailyLimit: INITIAL_PASSWORD_RESENDS_PER_DAY,
      resendAfterSeconds: 60,
    });
    expect(InitialPasswordResendAccepted.safeParse(accepted).success).toBe(true);
    const sms = await initPwdSms(u.mobile);
    expect(sms).toHaveLength(2);
    const fresh = sms[1]?.data.password as string;
    expect(fresh).not.toBe(u.password);
    expect((await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } })).status).toBe(
      401,
    );
    expect(
      (await b.call('POST', '/v1/sessions', { body: { loginId: `${u.username}@techpass.gov.sg`, password: fresh } }))
        .status,
    ).toBe(201);
  });

  it('answers the same for an unknown user, a wrong mobile, a self-set password or a changed one, and sends nothing', async () => {
    const sms = await registered(b, { passwordDelivery: 'sms' }, { mobile: '+6591110002' });
    const selfSet = await registered(
      b,
      { passwordDelivery: 'self_set' },
      { mobile: '+6591110003', password: GOOD_PASSWORD },
    );
    const changed = await registered(b, { passwordDelivery: 'sms' }, { mobile: '+6591110004' });
    const token = await signInToken(b, changed.username, changed.password);
    expect(
      (
        await b.call('POST', '/v1/me/password', {
          token,
          body: { currentPassword: changed.password, newPassword: 'Quiet-Harbour-77-Lantern' },
        })
      ).status,
    ).toBe(200);
    const before = bodyWithStatus(await b.api.call('getOutbox'), 200).length;
    const asks = [
      { loginId: 'nobody.here', mobile: '+6591110009' },
      { loginId: sms.username, mobile: '+6591119999' },
      { loginId: selfSet.username, mobile: selfSet.mobile },
      { loginId: changed.username, mobile: changed.mobile },
    ];
    for (const body of asks) {
      expect(bodyWithStatus(await resend(body), 202)).toEqual({
        status: 'accepted',
        sentToday: 1,
        dailyLimit: INITIAL_PASSWORD_RESENDS_PER_DAY,
        resendAfterSeconds: 60,
      });
      expect(bodyWithStatus(await resend(body), 429).error).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterSeconds: expect.any(Number) as number,
      });
    }
    expect(bodyWithStatus(await b.api.call('getOutbox'), 200).length).toBe(before);
    // The changed password still works: a resend never replaces a password the user chose.
    expect(
      (
        await b.call('POST', '/v1/sessions', {
          body: { loginId: changed.username, password: 'Quiet-Harbour-77-Lantern' },
        })
      ).status,
    ).toBe(201);
    // Bad input is a validation error, not an answer about an account.
    expect((await resend({ loginId: sms.username, mobile: '12' })).status).toBe(400);
  });

  it('bursts of 30 parallel requests send exactly one SMS per 60 s and exactly the daily limit, then none until tomorrow', async () => {
    // Start just after a UTC midnight, so the rounds below stay inside one day window.
    const now = new Date(bodyWithStatus(await b.api.call('getTestClock'), 200).now).getTime();
    await b.advance(Math.ceil((Math.floor(now / 86_400_000) * 86_400_000 + 86_400_000 - now) / 1000) + 1);
    const u = await registered(b, { passwordDelivery: 'sms' }, { mobile: '+6591110005' });
    const body = { loginId: u.username, mobile: u.mobile };
    const burst = async () => Promise.all(Array.from({ length: 30 }, () => resend(body)));
    const counts: number[] = [];
    for (let round = 1; round <= INITIAL_PASSWORD_RESENDS_PER_DAY + 1; round += 1) {
      const answers = await burst();
      const ok = answers.flatMap((a) => (a.status === 202 ? [a.body] : []));
      expect(answers.filter((a) => a.status !== 202 && a.status !== 429)).toEqual([]);
      expect(ok).toHaveLength(round <= INITIAL_PASSWORD_RESENDS_PER_DAY ? 1 : 0);
      if (ok[0]) counts.push(ok[0].sentToday);
      counts.push(-((await initPwdSms(u.mobile)).length - 1));
      await b.advance(61);
    }
    // sentToday 1..5, and the SMS count grows by exactly one per round, never past the limit.
    expect(counts).toEqual([1, -1, 2, -2, 3, -3, 4, -4, 5, -5, -5]);
    const full = bodyWithStatus(await resend(body), 429);
    expect(full.error).toMatchObject({ code: 'RATE_LIMITED', sentToday: 5, dailyLimit: 5 });
    expect(full.error.message).toMatch(/5 times today/);
    // The newest SMS carries the one password that works.
    const last = (await initPwdSms(u.mobile)).pop()?.data.password as string;
    expect((await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: last } })).status).toBe(201);
    await b.advance(86_400);
    expect(bodyWithStatus(await resend(body), 202).sentToday).toBe(1);
  });
});
