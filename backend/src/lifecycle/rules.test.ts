import { describe, expect, it } from 'vitest';
import { DAY, resolveDeadlines } from '../../../shared/domain/deadlines';
import {
  evaluateAccount,
  evaluateInvitation,
  explainAccount,
  isInvitationExpired,
  isPasswordExpired,
  lifecycleAccountFromRow,
  type Action,
  type LifecycleAccount,
} from './rules';

// 10:00 SGT on a Monday; every age below is "N×24 h later", i.e. also 10:00 SGT.
const T0 = new Date('2026-01-05T02:00:00Z');
const day = (n: number, extraSeconds = 0) => new Date(T0.getTime() + (n * DAY + extraSeconds) * 1000);

function account(over: Partial<LifecycleAccount> = {}): LifecycleAccount {
  return {
    state: 'ACTIVE',
    accountType: 'vendor',
    underInvestigation: false,
    createdAt: T0,
    activatedAt: T0,
    lastSignInAt: T0,
    statusModifiedAt: T0,
    terminatedAt: null,
    lastReminderAt: null,
    mustChangePassword: true, // keeps password notices out of the lifecycle tables below
    passwordChangedAt: T0,
    seedState: 'NOT_REQUIRED',
    seedInviteSentAt: null,
    ...over,
  };
}

/** A compact view of the actions for table assertions. */
const summary = (actions: Action[]) =>
  actions.map((a) =>
    a.type === 'REMIND'
      ? `REMIND ${a.template}`
      : a.type === 'DISABLE'
        ? `DISABLE${a.revokeSeed ? ' +revoke' : ''}`
        : `${a.type} ${a.rule}`,
  );

describe('PENDING: T3 and D3 (from createdAt)', () => {
  it.each([
    [0, []],
    [22, []],
    [23, ['REMIND N-REMIND-TERM-PENDING']],
    [29, ['REMIND N-REMIND-TERM-PENDING']],
    [30, ['TERMINATE T3']],
    [45, ['TERMINATE T3']],
  ])('day %d → %j', (n, expected) => {
    expect(
      summary(evaluateAccount(account({ state: 'PENDING', lastSignInAt: null, activatedAt: null }), day(n))),
    ).toEqual(expected);
  });
  it('one second before day 23 / day 30', () => {
    const a = account({ state: 'PENDING', lastSignInAt: null });
    expect(evaluateAccount(a, day(23, -1))).toEqual([]);
    expect(summary(evaluateAccount(a, day(30, -1)))).toEqual(['REMIND N-REMIND-TERM-PENDING']);
  });
  it('a PENDING account that signed in once is still terminated on day 30', () => {
    expect(summary(evaluateAccount(account({ state: 'PENDING', lastSignInAt: day(29) }), day(30)))).toEqual([
      'TERMINATE T3',
    ]);
  });
  it('the reminder names the termination deadline', () => {
    const [r] = evaluateAccount(account({ state: 'PENDING' }), day(25));
    expect(r).toEqual({ type: 'REMIND', rule: 'D3', template: 'N-REMIND-TERM-PENDING', deadline: day(30) });
  });
});

describe('ACTIVE/DISABLED: T4, T6, D5, D7 (idle since last sign-in)', () => {
  it.each([
    ['ACTIVE', 60, []],
    ['ACTIVE', 61, ['REMIND N-REMIND-DISABLE']],
    ['ACTIVE', 89, ['REMIND N-REMIND-DISABLE']],
    ['ACTIVE', 90, ['DISABLE']],
    ['ACTIVE', 120, ['DISABLE']],
    ['ACTIVE', 172, ['DISABLE']],
    ['ACTIVE', 179, ['DISABLE']],
    ['ACTIVE', 180, ['TERMINATE T6']],
    ['DISABLED', 60, []],
    ['DISABLED', 89, []],
    ['DISABLED', 90, []],
    ['DISABLED', 172, []],
    ['DISABLED', 173, ['REMIND N-REMIND-TERM']],
    ['DISABLED', 179, ['REMIND N-REMIND-TERM']],
    ['DISABLED', 180, ['TERMINATE T6']],
  ] as const)('%s day %d → %j', (state, n, expected) => {
    expect(summary(evaluateAccount(account({ state }), day(n)))).toEqual(expected);
  });
  it('a sign-in resets the idle clock', () => {
    expect(evaluateAccount(account({ lastSignInAt: day(50) }), day(100))).toEqual([]);
  });
  it('with no sign-in yet, idle counts from activation', () => {
    expect(summary(evaluateAccount(account({ lastSignInAt: null, activatedAt: day(10) }), day(99)))).toEqual([
      'REMIND N-REMIND-DISABLE',
    ]);
    expect(summary(evaluateAccount(account({ lastSignInAt: null, activatedAt: day(10) }), day(100)))).toEqual([
      'DISABLE',
    ]);
  });
  it('reminder deadlines are the transition instants', () => {
    expect(evaluateAccount(account(), day(70))[0]).toMatchObject({ rule: 'D5', deadline: day(90) });
    expect(evaluateAccount(account({ state: 'DISABLED' }), day(175))[0]).toMatchObject({
      rule: 'D7',
      deadline: day(180),
    });
  });
  it.each([
    ['PROVISIONED', true],
    ['INVITE_EXPIRED', true],
    ['DEVICE_ONBOARDING', true],
    ['ONBOARDED', true],
    ['NOT_REQUIRED', false],
    ['DEPROVISIONED', false],
  ])('disabling with SEED %s revokes the licence: %s', (seedState, revoke) => {
    const a = account({ seedState, seedInviteSentAt: day(89) });
    expect(evaluateAccount(a, day(90)).find((x) => x.type === 'DISABLE')).toMatchObject({ revokeSeed: revoke });
  });
});

describe('TERMINATED: T9', () => {
  it.each([
    [4, []],
    [5, ['DELETE T9']],
  ])('%d days after termination → %j', (n, expected) => {
    const a = account({ state: 'TERMINATED', terminatedAt: day(100), statusModifiedAt: day(100) });
    expect(summary(evaluateAccount(a, day(100 + n)))).toEqual(expected);
  });
  it('falls back to statusModifiedAt when terminatedAt is missing', () => {
    expect(summary(evaluateAccount(account({ state: 'TERMINATED', statusModifiedAt: day(10) }), day(15)))).toEqual([
      'DELETE T9',
    ]);
  });
  it('DELETED accounts need nothing', () => {
    expect(evaluateAccount(account({ state: 'DELETED' }), day(400))).toEqual([]);
  });
});

describe('guards', () => {
  it.each([
    ['product', { accountType: 'product' }],
    ['under-investigation', { underInvestigation: true }],
  ] as const)('%s: no transitions and no reminders', (guard, over) => {
    const cases: [Partial<LifecycleAccount>, Date, string][] = [
      [{ state: 'PENDING' }, day(30), 'T3'],
      [{ state: 'ACTIVE' }, day(90), 'T4'],
      [{ state: 'DISABLED' }, day(180), 'T6'],
      [{ state: 'TERMINATED', terminatedAt: day(1), statusModifiedAt: day(1) }, day(10), 'T9'],
    ];
    for (const [state, when, rule] of cases) {
      const e = explainAccount(account({ ...state, ...over }), when);
      expect(e.actions, `${rule}`).toEqual([]);
      expect(e.skipped).toEqual([{ rule, guard }]);
    }
    expect(evaluateAccount(account({ state: 'PENDING', ...over }), day(25))).toEqual([]);
    expect(evaluateAccount(account({ ...over }), day(70))).toEqual([]);
  });

  it('grace: 5 days after statusModifiedAt automatic transitions are skipped; reminders point at the grace end', () => {
    // Re-enabled on day 120 after 120 idle days.
    const a = account({ state: 'ACTIVE', statusModifiedAt: day(120) });
    const inGrace = explainAccount(a, day(124));
    expect(inGrace.skipped).toEqual([{ rule: 'T4', guard: 'grace' }]);
    expect(inGrace.actions).toEqual([{ type: 'REMIND', rule: 'D5', template: 'N-REMIND-DISABLE', deadline: day(125) }]);
    expect(summary(evaluateAccount(a, day(125, -1)))).toEqual(['REMIND N-REMIND-DISABLE']);
    expect(summary(evaluateAccount(a, day(125)))).toEqual(['DISABLE']);
    // Signing in during the grace clears it all.
    expect(evaluateAccount({ ...a, lastSignInAt: day(122) }, day(125))).toEqual([]);
  });

  it('grace near day 180 warns about termination', () => {
    const a = account({ state: 'ACTIVE', statusModifiedAt: day(174) });
    expect(evaluateAccount(a, day(175))).toEqual([
      { type: 'REMIND', rule: 'D7', template: 'N-REMIND-TERM', deadline: day(180) },
    ]);
    expect(explainAccount(a, day(175)).skipped).toEqual([{ rule: 'T4', guard: 'grace' }]);
    expect(summary(evaluateAccount(a, day(179, -1)))).toEqual(['REMIND N-REMIND-TERM']);
    expect(summary(evaluateAccount(a, day(179)))).toEqual(['DISABLE']); // grace over
    expect(summary(evaluateAccount(a, day(180)))).toEqual(['TERMINATE T6']);
  });
});

describe('at most one reminder per SGT day', () => {
  const a = (lastReminderAt: Date) => account({ state: 'PENDING', lastReminderAt });
  it.each([
    ['earlier the same SGT day', new Date('2026-01-29T16:00:00Z'), 0], // 00:00 SGT on 30 Jan
    ['the SGT day before (same UTC day)', new Date('2026-01-29T15:59:59Z'), 1], // 23:59:59 SGT on 29 Jan
    ['yesterday', day(24), 1],
  ])('last reminder %s → %d reminder(s)', (_label, last, n) => {
    // now = day 25 = 2026-01-30 10:00 SGT
    expect(evaluateAccount(a(last), day(25))).toHaveLength(n);
  });
});

describe('SEED email expiry (D10)', () => {
  it.each([
    ['PROVISIONED', 29, []],
    ['PROVISIONED', 30, ['SEED_INVITE_EXPIRED D10']],
    ['INVITE_EXPIRED', 40, []],
    ['ONBOARDED', 40, []],
  ])('%s, sent %d days ago → %j', (seedState, n, expected) => {
    const a = account({ seedState, seedInviteSentAt: day(10), lastSignInAt: day(10 + n) });
    expect(summary(evaluateAccount(a, day(10 + n)))).toEqual(expected);
  });
  it('applies even to product accounts (not a lifecycle sanction)', () => {
    const a = account({
      accountType: 'product',
      seedState: 'PROVISIONED',
      seedInviteSentAt: T0,
      lastSignInAt: day(30),
    });
    expect(summary(evaluateAccount(a, day(30)))).toEqual(['SEED_INVITE_EXPIRED D10']);
  });
});

describe('password expiry notice', () => {
  const pw = (over: Partial<LifecycleAccount> = {}) =>
    account({ mustChangePassword: false, passwordChangedAt: T0, ...over });
  it.each([
    [75, 0],
    [76, 1],
    [89, 1],
    [95, 1],
  ])('day %d after the change → %d notice', (n, count) => {
    const r = evaluateAccount(pw({ lastSignInAt: day(n) }), day(n));
    expect(r.filter((x) => x.type === 'PASSWORD_EXPIRY_NOTICE')).toHaveLength(count);
  });
  it('once per password', () => {
    expect(evaluateAccount(pw({ lastSignInAt: day(80), passwordExpiryNoticeFor: T0 }), day(80))).toEqual([]);
    const changedAgain = pw({ lastSignInAt: day(170), passwordChangedAt: day(90), passwordExpiryNoticeFor: T0 });
    expect(evaluateAccount(changedAgain, day(170))).toEqual([
      { type: 'PASSWORD_EXPIRY_NOTICE', rule: 'PWD-EXPIRY', expiresAt: day(180) },
    ]);
  });
  it('not for a forced change, FEDERATED ids, disabled accounts, or without a password date', () => {
    expect(evaluateAccount(pw({ mustChangePassword: true, lastSignInAt: day(80) }), day(80))).toEqual([]);
    expect(evaluateAccount(pw({ idKind: 'FEDERATED', lastSignInAt: day(80) }), day(80))).toEqual([]);
    expect(evaluateAccount(pw({ state: 'DISABLED', lastSignInAt: day(80) }), day(80))).toEqual([]);
    expect(evaluateAccount(pw({ passwordChangedAt: null, lastSignInAt: day(80) }), day(80))).toEqual([]);
  });
  it('isPasswordExpired at 90 days', () => {
    expect(isPasswordExpired({ passwordChangedAt: T0 }, day(90, -1))).toBe(false);
    expect(isPasswordExpired({ passwordChangedAt: T0 }, day(90))).toBe(true);
    expect(isPasswordExpired({ passwordChangedAt: T0, idKind: 'FEDERATED' }, day(200))).toBe(false);
  });
});

describe('invitations (D1)', () => {
  it.each([
    ['SENT', 4, 0],
    ['SENT', 5, 1],
    ['sent', 6, 1],
    ['REGISTERED', 6, 0],
    ['SUPERSEDED', 6, 0],
    ['EXPIRED', 6, 0],
  ])('%s after %d days → %d action', (status, n, count) => {
    expect(evaluateInvitation({ status, sentAt: T0 }, day(n))).toHaveLength(count);
  });
  it('uses the stored expiry when given', () => {
    expect(evaluateInvitation({ status: 'SENT', sentAt: T0, expiresAt: day(1) }, day(1))).toEqual([
      { type: 'EXPIRE_INVITATION', rule: 'D1', expiredAt: day(1), notifyInviter: true },
    ]);
    expect(isInvitationExpired({ sentAt: T0 }, day(5, -1))).toBe(false);
    expect(isInvitationExpired({ sentAt: T0 }, day(5))).toBe(true);
  });
});

describe('configurable deadlines', () => {
  it('shrunk deadlines (as in the integration tests) apply', () => {
    const d = resolveDeadlines({ activationWindow: 300, preActivationReminderFrom: 200, statusChangeGrace: 0 });
    const a = account({ state: 'PENDING' });
    expect(evaluateAccount(a, new Date(T0.getTime() + 199_000), d)).toEqual([]);
    expect(summary(evaluateAccount(a, new Date(T0.getTime() + 200_000), d))).toEqual(['REMIND N-REMIND-TERM-PENDING']);
    expect(summary(evaluateAccount(a, new Date(T0.getTime() + 300_000), d))).toEqual(['TERMINATE T3']);
  });
});

describe('lifecycleAccountFromRow', () => {
  it('maps snake_case columns, ISO strings and 0/1 flags', () => {
    const row = {
      state: 'ACTIVE',
      account_type: 'vendor',
      under_investigation: 0,
      created_at: T0.toISOString(),
      activated_at: T0.toISOString(),
      last_sign_in_at: T0.toISOString(),
      status_modified_at: T0.toISOString(),
      terminated_at: null,
      last_reminder_at: null,
      must_change_password: 1,
      password_changed_at: T0.toISOString(),
      pwd_expiry_notice_for: null,
      seed_state: 'ONBOARDED',
      seed_invite_sent_at: null,
    };
    const a = lifecycleAccountFromRow(row);
    expect(a.underInvestigation).toBe(false);
    expect(a.mustChangePassword).toBe(true);
    expect(summary(evaluateAccount(a, day(90)))).toEqual(['DISABLE +revoke']);
    expect(summary(evaluateAccount(lifecycleAccountFromRow({ ...row, under_investigation: 1 }), day(90)))).toEqual([]);
  });
});
