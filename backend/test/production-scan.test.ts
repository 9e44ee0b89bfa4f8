/**
 * Nothing secret at rest, proven the way an attacker with a copy of the disk would look: a production-mode backend
 * (no test mode, a real SMTP server and an SMS-gateway stand-in, the outbox worker delivering), a full journey, then
 * the raw bytes of the SQLite main/WAL/SHM files, a pg_dump of the PostgreSQL database and the trace-level log are
 * searched for every secret the journey produced, in every form it could be stored in.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, GOOD_PASSWORD, registrationBody, startBackend, type TestBackend } from './harness';

const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';
const DATA_KEY = `k1:${Buffer.alloc(32, 42).toString('base64')}`;

/** Quoted-printable → text (nodemailer encodes long lines), enough for the ASCII bodies of our templates. */
function decodeQp(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32Bytes(secret: string): Buffer {
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += BASE32.indexOf(c).toString(2).padStart(5, '0');
  const out: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}

/** Every form a secret could take in storage: as sent, case variants, and (for the TOTP key) its raw bytes. */
function forms(name: string, value: string, totp = false): { name: string; needle: Buffer }[] {
  const out = new Map<string, { name: string; needle: Buffer }>();
  const add = (label: string, needle: Buffer) => {
    if (!out.has(needle.toString('latin1'))) out.set(needle.toString('latin1'), { name: `${name} (${label})`, needle });
  };
  add('as sent', Buffer.from(value, 'utf8'));
  add('utf-16le', Buffer.from(value, 'utf16le'));
  if (totp) {
    const bytes = base32Bytes(value);
    add('base32 lower case', Buffer.from(value.toLowerCase(), 'utf8'));
    add('hex', Buffer.from(bytes.toString('hex'), 'utf8'));
    add('HEX', Buffer.from(bytes.toString('hex').toUpperCase(), 'utf8'));
    add('base64', Buffer.from(bytes.toString('base64').replace(/=+$/, ''), 'utf8'));
    add('base64url', Buffer.from(bytes.toString('base64url'), 'utf8'));
    add('raw bytes', bytes);
  }
  return [...out.values()];
}

function startSmtp(): Promise<{ server: SMTPServer; port: number; mails: { to: string[]; text: string }[] }> {
  const mails: { to: string[]; text: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text: decodeQp(raw) });
        callback();
      });
    },
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.server.address() as AddressInfo).port, mails }),
    ),
  );
}

describe.each(DIALECTS)('production mode leaves no secret at rest or in the log (%s)', (dialect) => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let gateway: Server;
  let gatewayUrl = '';
  const sms: { to: string; body: string }[] = [];
  beforeAll(async () => {
    smtp = await startSmtp();
    gateway = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const m = JSON.parse(raw) as { to: string; body: string };
        sms.push({ to: m.to, body: m.body });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => smtp.server.close(() => r()));
    await new Promise<void>((r) => gateway.close(() => r()));
  });

  it('a full journey, delivered through SMTP and the SMS gateway, then a raw scan of the database files, a dump and the log', async () => {
    const b: TestBackend = await startBackend(dialect, {
      captureLogs: true,
      env: {
        TECHPASS_TEST_MODE: '',
        DATA_ENCRYPTION_KEYS: DATA_KEY,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMS_GATEWAY_URL: gatewayUrl,
        SMS_GATEWAY_TOKEN: 'gateway-token-for-the-scan',
        JOB_INTERVAL_SECONDS: '0',
      },
    });
    const secrets: { name: string; value: string; totp?: boolean }[] = [];
    const keep = (name: string, value: unknown, totp = false) => {
      expect(typeof value === 'string' && value.length > 0, `${name} was produced`).toBe(true);
      secrets.push({ name, value: value as string, totp });
      return value as string;
    };
    const deliver = async () => b.app.techpass.worker.runOnce(b.clock.now());
    const lastSms = (to: string, re: RegExp) => {
      const m = [...sms].reverse().find((x) => x.to === to && re.test(x.body));
      return m ? (re.exec(m.body) as RegExpExecArray)[1] : undefined;
    };
    const lastMail = (to: string, re: RegExp) => {
      const m = [...smtp.mails].reverse().find((x) => x.to.includes(to) && re.test(x.text));
      return m ? (re.exec(m.text) as RegExpExecArray)[1] : undefined;
    };
    try {
      expect(b.app.techpass.ctx.config.mode).toBe('production');
      const email = `scan.${dialect}.${Date.now()}@vendor.example.com`;
      const mobile = '+6591234567';

      // Invitation → registration link by email.
      const inv = await b.admin('POST', '/v1/admin/invitations', {
        email,
        businessOperation: 'onshore',
        sponsoringAgency: 'GovTech',
        seedRequested: false,
        passwordDelivery: 'sms',
        inviterEmail: 'pm.lee@tech.gov.sg',
      });
      expect(inv.status).toBe(201);
      await deliver();
      const regToken = keep('registration token', lastMail(email, /\/register\/([A-Za-z0-9_-]{20,})/));
      expect((await b.call('GET', `/register/${regToken}`)).status).toBe(200);
      expect((await b.call('GET', `/v1/registrations/${regToken}`)).status).toBe(200);

      // Registration → initial password by SMS.
      const body = registrationBody({ mobile });
      const reg = await b.call('POST', `/v1/registrations/${regToken}`, {
        body,
        headers: { 'idempotency-key': 'scan-register-1' },
      });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
      await deliver();
      const initial = keep('initial password', lastSms(mobile, /initial password(?: for \S+)?: (\S+)/));

      // First sign-in (its answer, with the session token, is also stored for an idempotent replay).
      const s1 = await b.call('POST', '/v1/sessions', {
        body: { loginId: body.username, password: initial },
        headers: { 'idempotency-key': 'scan-signin-1' },
      });
      expect(s1.status, JSON.stringify(s1.body)).toBe(201);
      const token1 = keep('session token', s1.body.token);

      // Authenticator enrolment (the enrolment answer with the secret is stored for replay too).
      const enrol = await b.call('POST', '/v1/me/mfa/authenticator', {
        token: token1,
        headers: { 'idempotency-key': 'scan-enrol-1' },
      });
      expect(enrol.status).toBe(200);
      const totpSecret = keep('TOTP secret', enrol.body.secret, true);
      keep('otpauth URI', enrol.body.otpauthUri);
      const enrolCode = b.totp(totpSecret);
      expect(
        (await b.call('POST', '/v1/me/mfa/authenticator/verify', { token: token1, body: { code: enrolCode } })).status,
      ).toBe(200);

      // Phone verification code by SMS.
      expect((await b.call('POST', '/v1/me/phone', { token: token1, body: { mobile } })).status).toBe(202);
      await deliver();
      const phoneCode = keep('phone code', lastSms(mobile, /^(\d{6}) is your TechPass verification code/));
      expect((await b.call('POST', '/v1/me/phone/verify', { token: token1, body: { code: phoneCode } })).status).toBe(
        200,
      );

      // Password change, terms.
      const changed = await b.call('POST', '/v1/me/password', {
        token: token1,
        body: { currentPassword: initial, newPassword: GOOD_PASSWORD },
      });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      keep('changed password', GOOD_PASSWORD);
      const docs = (await b.call('GET', '/v1/me/terms', { token: token1 })).body as {
        id: string;
        version: string;
        required: boolean;
      }[];
      for (const d of docs.filter((x) => x.required))
        expect(
          (await b.call('POST', '/v1/me/terms', { token: token1, body: { id: d.id, version: d.version } })).status,
        ).toBe(200);

      // Verify sign-in: password, then the authenticator (a later time step).
      b.clock.advance(60);
      const s2 = await b.call('POST', '/v1/sessions', { body: { loginId: body.username, password: GOOD_PASSWORD } });
      expect(s2.status, JSON.stringify(s2.body)).toBe(200);
      const mfaToken = keep('MFA token', s2.body.mfaToken);
      const s3 = await b.call('POST', '/v1/sessions/mfa', {
        body: { mfaToken, code: b.totp(totpSecret) },
        headers: { 'idempotency-key': 'scan-mfa-1' },
      });
      expect(s3.status, JSON.stringify(s3.body)).toBe(201);
      const token2 = keep('session token after MFA', s3.body.token);
      expect((await b.call('GET', '/v1/me', { token: token2 })).status).toBe(200);

      // Password reset with its SMS code.
      expect((await b.call('POST', '/v1/password-resets', { body: { loginId: body.username } })).status).toBe(202);
      await deliver();
      const resetCode = keep('reset code', lastSms(mobile, /^(\d{6}) is your TechPass password reset code/));
      const resetPassword = keep('reset password', 'Green-Lantern-73-Moon');
      const reset = await b.call('POST', '/v1/password-resets/complete', {
        body: { loginId: body.username, code: resetCode, newPassword: resetPassword },
      });
      expect(reset.status, JSON.stringify(reset.body)).toBe(200);

      // Support reset link by email (§5.2), opened in the browser page and used.
      expect(
        (await b.admin('POST', `/v1/admin/accounts/${body.username}/send-reset-link`, { ticket: 'SR-SCAN-1' })).status,
      ).toBe(200);
      await deliver();
      const linkToken = keep('reset-link token', lastMail(email, /\/reset-password\/([A-Za-z0-9_-]{20,})/));
      expect((await b.call('GET', `/reset-password/${linkToken}`)).status).toBe(200);
      const linkPassword = keep('reset-link password', 'Purple-Harbour-58-Sky');
      expect(
        (await b.call('POST', '/v1/password-resets/link', { body: { token: linkToken, newPassword: linkPassword } }))
          .status,
      ).toBe(200);

      // Let the outbox deliver everything still queued (status emails, security notices).
      await deliver();
      const rows = await b.app.techpass.ctx.db
        .selectFrom('outbox')
        .select(['status', 'data', 'body', 'template'])
        .execute();
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.filter((r) => r.status !== 'sent').map((r) => r.template)).toEqual([]);
      expect(rows.every((r) => r.data === null)).toBe(true);
      // Support still sees what was sent, with the secret parts replaced.
      const initialRow = rows.find((r) => r.template === 'N-INITPWD');
      expect(initialRow?.body).toMatch(/initial password.*\[redacted\]/);

      // What support and operators read back: the admin listings and account view, and the stored audit trail.
      const adminViews = [
        await b.admin('GET', '/v1/admin/invitations'),
        await b.admin('GET', `/v1/admin/accounts/${body.username}`),
      ];
      for (const v of adminViews) expect(v.status).toBe(200);
      const auditRows = await b.app.techpass.ctx.db.selectFrom('audit_log').selectAll().execute();
      expect(auditRows.length).toBeGreaterThan(5);
      // The gateway credential is a secret of the operator: never in the log or the database either.
      keep('SMS gateway token', 'gateway-token-for-the-scan');

      // --- the scan ---
      const places: { name: string; bytes: Buffer }[] = [
        { name: 'log', bytes: Buffer.from(b.logs.join(''), 'utf8') },
        { name: 'admin API answers', bytes: Buffer.from(JSON.stringify(adminViews.map((v) => v.body)), 'utf8') },
        { name: 'audit rows', bytes: Buffer.from(JSON.stringify(auditRows), 'utf8') },
      ];
      if (dialect === 'sqlite') {
        // A backup as an operator takes one (VACUUM INTO): it must hold no more than the live files.
        const backup = join(b.dataDir, 'backup.sqlite');
        await sql`VACUUM INTO ${sql.lit(backup)}`.execute(b.app.techpass.ctx.db);
        places.push({ name: 'backup (VACUUM INTO)', bytes: readFileSync(backup) });
        for (const suffix of ['', '-wal', '-shm']) {
          const file = join(b.dataDir, `techpass.sqlite${suffix}`);
          if (suffix !== '-shm') expect(existsSync(file), `${file} exists`).toBe(true);
          if (existsSync(file)) places.push({ name: `techpass.sqlite${suffix}`, bytes: readFileSync(file) });
        }
      } else {
        const dump = await new Promise<Buffer>((resolve, reject) =>
          execFile(
            PG_DUMP,
            ['--no-owner', '--data-only', '--inserts', b.databaseUrl],
            { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
            (err, stdout, stderr) => (err ? reject(new Error(`pg_dump failed: ${String(stderr)}`)) : resolve(stdout)),
          ),
        );
        expect(dump.toString('utf8')).toContain('INSERT INTO public.accounts');
        places.push({ name: 'pg_dump', bytes: dump });
      }
      const found: string[] = [];
      for (const s of secrets) {
        for (const f of forms(s.name, s.value, s.totp)) {
          for (const p of places) if (p.bytes.includes(f.needle)) found.push(`${f.name} in ${p.name}`);
        }
      }
      expect(found, 'secrets readable at rest or in the log').toEqual([]);
    } finally {
      await b.close();
    }
  }, 120_000);
});
