import { generate } from 'otplib';
import { createApiClient, type ApiClient, type CallArgs } from '../../../shared/api/client';
import type { OperationId, OutboxMessage as OutboxMessageSchema, SuccessBody } from '../../../shared/api';
import type { z } from 'zod';

export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;

export interface InviteOptions {
  email?: string;
  businessOperation?: 'onshore' | 'offshore';
  odc?: string;
  offshoreCompanyName?: string;
  sponsoringAgency?: string;
  seedRequested?: boolean;
  passwordDelivery?: 'sms' | 'self_set';
  inviterEmail?: string;
}

export interface Invitation {
  id: string;
  email: string;
  token: string;
  registrationUrl: string;
  deepLink: string;
}

let counter = 0;
/** A unique, valid organisational address per call, so tests never share a user. */
export function uniqueEmail(prefix = 'vendor'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${Date.now().toString(36)}${counter}@accenture.com`;
}

/** Talks to the backend the way a PM's portal (admin API) and the test harness (test API) do, through the API's client. */
export class BackendApi {
  private readonly api: ApiClient;

  constructor(
    readonly baseUrl: string,
    private readonly adminKey: string,
  ) {
    this.api = createApiClient({ baseUrl: new URL(baseUrl).origin });
  }

  /** One call that must succeed: anything else fails the test with the status and body. */
  private async ok<K extends OperationId>(id: K, ...args: CallArgs<K>): Promise<SuccessBody<K>> {
    const res = await this.api.call(id, ...args);
    if (res.status >= 300) throw new Error(`${id} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Invites a user through the admin API the way a PM would, and reads the registration link from their email. */
  async invite(options: InviteOptions = {}): Promise<Invitation> {
    const email = options.email ?? uniqueEmail();
    const created = await this.ok('createInvitation', {
      token: this.adminKey,
      body: {
        email,
        businessOperation: options.businessOperation ?? 'onshore',
        ...(options.odc ? { odc: options.odc } : {}),
        ...(options.offshoreCompanyName ? { offshoreCompanyName: options.offshoreCompanyName } : {}),
        sponsoringAgency: options.sponsoringAgency ?? 'GovTech',
        seedRequested: options.seedRequested ?? false,
        passwordDelivery: options.passwordDelivery ?? 'sms',
        inviterEmail: options.inviterEmail ?? 'pm.lee@tech.gov.sg',
      },
    });
    const mail = await this.latest({ to: email, template: 'N-REG-LINK' });
    const token = String(mail.data.token);
    return {
      id: created.id,
      email,
      token,
      registrationUrl: String(mail.data.registrationUrl),
      deepLink: `techpass-onboarding://register?token=${token}`,
    };
  }

  outbox(): Promise<OutboxMessage[]> {
    return this.ok('getOutbox');
  }

  /** The newest message matching the filter; throws when there is none. */
  async latest(filter: { to?: string; template?: string; channel?: 'email' | 'sms' }): Promise<OutboxMessage> {
    const all = await this.outbox();
    const hits = all.filter(
      (m) =>
        (!filter.to || m.to === filter.to) &&
        (!filter.template || m.template === filter.template) &&
        (!filter.channel || m.channel === filter.channel),
    );
    const last = hits.at(-1);
    if (!last) throw new Error(`no outbox message matching ${JSON.stringify(filter)}`);
    return last;
  }

  async now(): Promise<Date> {
    return new Date((await this.ok('getTestClock')).now);
  }

  async advanceClock(seconds: number): Promise<Date> {
    return new Date((await this.ok('advanceTestClock', { body: { advanceSeconds: seconds } })).now);
  }

  runJobs(): Promise<unknown> {
    return this.ok('runJobs');
  }

  account(username: string): Promise<{ username: string; state: string; flags: string[] }> {
    return this.ok('getAccount', { token: this.adminKey, params: { username } });
  }

  /** A TOTP code for `secret` at the backend's (test) clock, offset by whole 30 s steps. */
  async totp(secret: string, stepOffset = 0): Promise<string> {
    const now = await this.now();
    return generate({ secret, epoch: Math.floor(now.getTime() / 1000) + stepOffset * 30 });
  }

  /** Registers through the public API (a state deep in the journey without walking the form). */
  register(token: string, details: RegisterDetails): Promise<Registered> {
    return this.ok('submitRegistration', {
      params: { token },
      body: { firstName: 'Wei Ling', lastName: 'Tan', department: 'Platform Engineering', ...details },
    });
  }

  /**
   * A user who registered (SMS password variant) but has not signed in yet: invited and registered through the APIs,
   * with the initial password read from their SMS.
   */
  async registeredUser(prefix = 'vendor'): Promise<RegisteredUser> {
    const invitation = await this.invite({ passwordDelivery: 'sms' });
    const mobile = uniqueMobile();
    const registered = await this.register(invitation.token, { username: uniqueUsername(prefix), mobile: mobile.e164 });
    const sms = await this.latest({ to: mobile.e164, template: 'N-INITPWD' });
    return {
      invitation,
      mobile,
      username: registered.username,
      loginId: registered.loginId,
      password: String(sms.data.password),
    };
  }

  /** The admin view of every message to or about an account, with its delivery state, newest first. */
  async accountDeliveries(username: string): Promise<SuccessBody<'listAccountDeliveries'>> {
    return this.ok('listAccountDeliveries', { token: this.adminKey, params: { username } });
  }

  /** Every outbox message matching the filter, oldest first. */
  async messages(filter: { to?: string; template?: string; channel?: 'email' | 'sms' }): Promise<OutboxMessage[]> {
    return (await this.outbox()).filter(
      (m) =>
        (!filter.to || m.to === filter.to) &&
        (!filter.template || m.template === filter.template) &&
        (!filter.channel || m.channel === filter.channel),
    );
  }
}

export interface RegisterDetails {
  username: string;
  /** E.164, e.g. from `uniqueMobile()`. */
  mobile: string;
  firstName?: string;
  lastName?: string;
  department?: string;
  password?: string;
}

export interface RegisteredUser {
  invitation: Invitation;
  mobile: { local: string; e164: string };
  username: string;
  loginId: string;
  /** The initial password from the N-INITPWD SMS. */
  password: string;
}

export interface Registered {
  username: string;
  loginId: string;
  passwordDelivery: 'sms' | 'self_set';
  activateBy: string;
}

let mobileCounter = 0;
/** A unique Singapore mobile number per call (local part and E.164), so SMS lookups never see another test's message. */
export function uniqueMobile(): { local: string; e164: string } {
  mobileCounter += 1;
  const n = (process.pid % 100) * 10_000 + (mobileCounter % 10_000);
  const local = `91${String(n).padStart(6, '0')}`;
  return { local, e164: `+65${local}` };
}

/** A unique, valid TechPass username per call. */
export function uniqueUsername(prefix = 'vendor'): string {
  mobileCounter += 1;
  return `${prefix}.${Date.now().toString(36)}${mobileCounter}`;
}
