/**
 * Delivery: every email and SMS is queued in the outbox first (in the same transaction as the change it reports),
 * then sent by the OutboxWorker through a Transport per channel. See README in index.ts for the wiring.
 */

import type { MessageChannel } from '../../../shared/domain/states';

export type Channel = MessageChannel;

/** One message as the transport sends it. `data` holds the template variables (may include secrets). */
export interface OutboundMessage {
  id: string;
  channel: Channel;
  /** A bare email address or an E.164 number. */
  to: string;
  /** A notification code of domain.md §2.6 (N-REG-LINK, …). */
  template: string;
  subject?: string;
  body: string;
  data: Record<string, unknown>;
}

export interface Transport {
  /** 'smtp' | 'sms-http' | 'outbox' | a custom name (shows in logs and errors). */
  readonly name: string;
  /**
   * When true the transport does not deliver anywhere: the outbox row IS the delivery (test/demo inbox), so the
   * worker never erases its data.
   */
  readonly retainsData?: boolean;
  /** Resolves when the message was accepted downstream; rejects on any failure (the worker retries). */
  send(msg: OutboundMessage): Promise<void>;
}

/** A delivery failure. The message is safe to store and log: it never contains the message body or data. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly transport: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * A failure that retrying cannot fix: the transport refused the message for good (an SMTP 5xx reply, a gateway's
 * permanent error). The worker marks the row rejected and never tries it again.
 */
export class PermanentDeliveryError extends DeliveryError {
  constructor(message: string, transport: string, status?: number) {
    super(message, transport, status);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * SMTP messages per pooled connection before it is replaced. nodemailer's own default is 100, and KumoMTA (a sending
 * MTA) replaces its connections after 1024; at tens of messages a second over 5 connections, 1000 means a new connection every few minutes. A
 * replacement is not free: nodemailer's pool opens the new connection only on its next pass, up to 100 ms later,
 * and meanwhile runs one connection short. At 500 that cost about a tenth of the rate to a local sink
 * (docs/benchmarks.md). A relay with a lower cap is configured with SMTP_MAX_MESSAGES_PER_CONNECTION.
 */
export const DEFAULT_MESSAGES_PER_CONNECTION = 1000;
