/**
 * Delivery: outbox → transport, with retries and backoff.
 *
 * Wiring (backend/src/main.ts or app.ts):
 *   const transports = {
 *     email: config.mailTransport === 'smtp' ? createSmtpTransport({...}) : createOutboxOnlyTransport(),
 *     sms: config.smsTransport === 'sms-http' ? createSmsHttpTransport({ url, apiKey, sender: 'gov.sg' }) : createOutboxOnlyTransport(),
 *   };
 *   const worker = new OutboxWorker({ store: new DbOutboxStore(db), transports, eraseData: config.mode === 'production',
 *     now: () => clock.now(), logger });
 *   worker.start(intervalMs);            // and `await worker.stop()` on shutdown
 *   await worker.runOnce(clock.now());   // from POST /v1/test/jobs/run
 */
export * from './types';
export * from './transports';
export * from './worker';
export * from './templates';
