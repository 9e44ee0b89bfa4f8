import nodemailer from 'nodemailer';
import { z } from 'zod';
import {
  DEFAULT_MESSAGES_PER_CONNECTION,
  DeliveryError,
  PermanentDeliveryError,
  type OutboundMessage,
  type Transport,
} from './types';

export interface SmtpTransportOptions {
  host: string;
  port: number;
  /** true = implicit TLS (port 465); false = plain connection upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string } | undefined;
  /** The From header, e.g. `TechPass <no-reply@techpass.gov.sg>`. */
  from: string;
  /** Require STARTTLS on a non-secure connection (recommended in production). */
  requireTLS?: boolean;
  /** Extra TLS options (e.g. a private CA); certificate verification stays on unless the caller says otherwise. */
  tls?: { ca?: string | Buffer; servername?: string };
  /** Socket and greeting timeouts, ms (default 10 s). */
  timeoutMs?: number;
  /** Domain of the Message-ID (default techpass.gov.sg). The outbox id is the local part, so resends are detectable. */
  messageIdDomain?: string;
  /** Pooled connections kept open to the relay (default 5). Messages beyond that wait for a free connection. */
  maxConnections?: number;
  /** Messages per second across the pool (the relay's quota); 0 or absent = as fast as the connections go. */
  rateLimitPerSecond?: number;
  /**
   * Messages sent over one connection before it is closed and replaced (default DEFAULT_MESSAGES_PER_CONNECTION):
   * set it at or below the relay's own cap on messages per session, if it has one, so a connection is replaced
   * before the relay refuses a message on it.
   */
  maxMessagesPerConnection?: number;
}

/**
 * Email over SMTP with nodemailer, over a pool of reused connections: setting up a connection (TCP, greeting,
 * STARTTLS, AUTH) costs far more than sending one message, so the delivery rate is set by `rateLimitPerSecond`
 * and `maxConnections`, not by connection set-up. A failed message fails alone; the pool replaces a broken
 * connection on the next send.
 */
export function createSmtpTransport(
  options: SmtpTransportOptions,
): Transport & { close(): void; readonly maxConnections: number } {
  const timeout = options.timeoutMs ?? 10_000;
  const maxConnections = Math.max(1, options.maxConnections ?? 5);
  const rate = options.rateLimitPerSecond ?? 0;
  const mailer = nodemailer.createTransport({
    pool: true,
    maxConnections,
    // A connection is replaced after this many messages (relays cap a session).
    maxMessages: Math.max(1, options.maxMessagesPerConnection ?? DEFAULT_MESSAGES_PER_CONNECTION),
    ...(rate > 0 ? { rateDelta: 1000, rateLimit: rate } : {}),
    host: options.host,
    port: options.port,
    secure: options.secure,
    ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
    ...(options.requireTLS ? { requireTLS: true } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const domain = options.messageIdDomain ?? 'techpass.gov.sg';
  return {
    name: 'smtp',
    async send(msg: OutboundMessage) {
      if (msg.channel !== 'email')
        throw new DeliveryError(`The SMTP transport cannot send ${msg.channel} messages.`, 'smtp');
      try {
        await mailer.sendMail({
          from: options.from,
          to: msg.to,
          subject: msg.subject ?? '(no subject)',
          text: msg.body,
          messageId: `<${msg.id}@${domain}>`,
          headers: { 'X-TechPass-Template': msg.template },
        });
      } catch (err) {
        const e = err as { code?: string; responseCode?: number; command?: string; message?: string };
        // nodemailer errors carry the server's reply, never our body; keep the short code and reply only.
        const detail = [e.code, e.responseCode].filter(Boolean).join(' ');
        const text = `SMTP delivery failed${detail ? ` (${detail})` : ''}: ${(e.message ?? String(err)).slice(0, 200)}`;
        // A 5xx reply to the message (unknown mailbox, refused recipient or content) is the relay's final word; a
        // refusal of our configuration (login, TLS, sender) is retried like a 4xx (isPermanentSmtpReply).
        if (isPermanentSmtpReply(e)) throw new PermanentDeliveryError(text, 'smtp', e.responseCode);
        throw new DeliveryError(text, 'smtp', e.responseCode);
      }
    },
    close() {
      mailer.close();
    },
    maxConnections,
  };
}

/**
 * An SMTP 5xx reply that refuses this message for good: to a recipient (RCPT TO: 550 unknown mailbox, 551, 553, 554)
 * or to the message (DATA: content refused), i.e. nodemailer's EENVELOPE / EMESSAGE. Everything else is our
 * configuration or the relay's session, which an operator fixes, so it is retried like a 4xx: a refused login
 * (EAUTH), a TLS or protocol failure, 530 (STARTTLS or authentication required, to any command), 503 (bad sequence)
 * and a refusal of our sender at MAIL FROM, except 552 there (the message is larger than the relay takes).
 */
export function isPermanentSmtpReply(e: { code?: string; responseCode?: number; command?: string }): boolean {
  const reply = e.responseCode;
  if (typeof reply !== 'number' || reply < 500 || reply >= 600 || reply === 503 || reply === 530) return false;
  if (e.code !== 'EENVELOPE' && e.code !== 'EMESSAGE') return false;
  return e.command !== 'MAIL FROM' || reply === 552;
}

/**
 * Gateway answers that refuse the message itself (malformed, unknown or barred number): 400, 404, 410 and 422.
 * Everything else (401/403 configuration, 408/429 throttling, 5xx outages, network errors) is retried.
 */
export const PERMANENT_SMS_GATEWAY_STATUSES: readonly number[] = [400, 404, 410, 422];

export interface SmsHttpTransportOptions {
  /** The gateway endpoint that accepts `POST { to, sender, body, reference }` as JSON. */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>` when given. */
  apiKey?: string | undefined;
  /** The alphanumeric sender id (domain.md §2.6: SMS come from `gov.sg`). */
  sender?: string;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

export const SmsGatewayRequest = z
  .object({
    to: z.string().regex(/^\+[1-9]\d{7,14}$/),
    sender: z.string().min(1),
    body: z.string().min(1),
    reference: z.string().min(1),
  })
  .strict();
export type SmsGatewayRequest = z.infer<typeof SmsGatewayRequest>;

/**
 * SMS through an HTTP gateway: POST JSON. A refusal of the message (PERMANENT_SMS_GATEWAY_STATUSES) is final; any
 * other non-2xx answer, a network error or a timeout is a failure to retry.
 */
export function createSmsHttpTransport(options: SmsHttpTransportOptions): Transport {
  const fetchImpl = options.fetchImpl ?? fetch;
  const sender = options.sender ?? 'gov.sg';
  const timeout = options.timeoutMs ?? 10_000;
  return {
    name: 'sms-http',
    async send(msg: OutboundMessage) {
      if (msg.channel !== 'sms')
        throw new DeliveryError(`The SMS transport cannot send ${msg.channel} messages.`, 'sms-http');
      const payload = SmsGatewayRequest.safeParse({ to: msg.to, sender, body: msg.body, reference: msg.id });
      if (!payload.success)
        throw new DeliveryError(
          'The SMS cannot be sent: the number is not in E.164 form or the text is empty.',
          'sms-http',
        );
      let res: Response;
      try {
        res = await fetchImpl(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'idempotency-key': msg.id,
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body: JSON.stringify(payload.data),
          signal: AbortSignal.timeout(timeout),
        });
      } catch (err) {
        const e = err as { name?: string; cause?: { code?: string }; message?: string };
        const why =
          e.name === 'TimeoutError'
            ? `no answer within ${timeout} ms`
            : (e.cause?.code ?? e.message ?? 'network error');
        throw new DeliveryError(`SMS gateway unreachable: ${why}`, 'sms-http');
      }
      // Drain the body but never keep it: a gateway may echo the message text (an initial password or a code).
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return;
      if (PERMANENT_SMS_GATEWAY_STATUSES.includes(res.status))
        throw new PermanentDeliveryError(
          `SMS gateway refused the message (HTTP ${res.status})`,
          'sms-http',
          res.status,
        );
      throw new DeliveryError(`SMS gateway answered HTTP ${res.status}`, 'sms-http', res.status);
    },
  };
}

/**
 * Stores only: `send` succeeds without sending, so messages stay readable in the outbox (GET /v1/test/outbox, the
 * demo inbox). The default in test and demo mode. Its data is never erased, because the outbox is the delivery.
 */
export function createOutboxOnlyTransport(): Transport {
  return {
    name: 'outbox',
    retainsData: true,
    async send() {
      /* the outbox row is the delivery */
    },
  };
}
