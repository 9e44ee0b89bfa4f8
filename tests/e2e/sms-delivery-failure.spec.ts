import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BackendApi } from './support/backend-api';
import { expect, test as base } from './support/fixtures';
import { startNode } from './support/processes';
import { INITIAL_STRONG_PASSWORD, STEP_TITLES, Wizard } from './support/wizard';

const ROOT = resolve(__dirname, '../..');
const ADMIN_KEY = `e2e-sms-admin-${randomBytes(8).toString('hex')}`;
const CHINA_MOBILE = '13800000000';

interface FailingSms {
  api: BackendApi;
  gatewayHits: () => number;
}

/**
 * A backend of its own whose SMS gateway is a stand-in answering every message with HTTP 503, with the outbox worker
 * running every second as in a deployment and one attempt per message (so a failure is final at once), and the host
 * under test pointed at it.
 */
const test = base.extend<{ failingSms: FailingSms }, { failingSmsWorker: FailingSms }>({
  failingSmsWorker: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, workerInfo) => {
      let hits = 0;
      const gateway = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          hits++;
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"service unavailable"}');
        });
      });
      await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
      const dataDir = mkdtempSync(join(tmpdir(), `techpass-e2e-sms-${workerInfo.workerIndex}-`));
      const backend = await startNode(
        join(ROOT, 'backend/src/main.ts'),
        {
          PORT: '0',
          TECHPASS_TEST_MODE: '1',
          TECHPASS_DATA_DIR: dataDir,
          ADMIN_API_KEY: ADMIN_KEY,
          LOG_LEVEL: 'info',
          TECHPASS_SMS_TRANSPORT: 'sms-http',
          SMS_GATEWAY_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`,
          JOB_INTERVAL_SECONDS: '1',
          OUTBOX_MAX_ATTEMPTS: '1',
        },
        /listening on (http:\/\/\S+)/,
        join(dataDir, 'backend.log'),
      );
      await use({ api: new BackendApi(backend.value, ADMIN_KEY), gatewayHits: () => hits });
      await backend.stop();
      await new Promise<void>((r) => gateway.close(() => r()));
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  failingSms: async ({ failingSmsWorker }, use) => use(failingSmsWorker),
  hostEnv: async ({ failingSmsWorker }, use) => use({ TECHPASS_BACKEND_URL: failingSmsWorker.api.baseUrl }),
});

test('a failing SMS gateway: the phone step shows the failure within seconds, and the admin view shows the message failed with its last error', async ({
  app,
  failingSms,
}) => {
  const page = app.page;
  const wizard = new Wizard(page);
  const backend = failingSms.api;
  const invitation = await backend.invite({
    businessOperation: 'offshore',
    odc: 'Dalian ODC',
    seedRequested: true,
    passwordDelivery: 'self_set',
  });
  const username = `zh.chen${Date.now().toString(36)}`;

  await wizard.startWithInvitation(invitation.registrationUrl);
  await wizard.fillRegistration({
    username,
    firstName: 'Chen',
    lastName: 'Li',
    countryDial: '+86',
    mobile: CHINA_MOBILE,
    password: INITIAL_STRONG_PASSWORD,
  });
  await wizard.submitRegistration();
  await wizard.goToSignIn();
  await wizard.signIn(username, INITIAL_STRONG_PASSWORD);
  await wizard.enrolAuthenticator(backend);

  await wizard.expectStep(STEP_TITLES.phone);
  await expect(page.getByLabel(/^Country code/)).toHaveValue('CN');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'We sent a 6-digit code' })).toBeVisible();

  // Within seconds (the worker runs every second, the step asks every three): what happened and what to do.
  const failure = page.getByTestId('sms-delivery');
  await expect(failure).toContainText('We could not deliver the code to +86 ••••0000 — here is what you can do', {
    timeout: 10_000,
  });
  await expect(failure).toHaveAttribute('aria-live', 'assertive');
  await expect(failure).toContainText('TechPass has stopped trying to send this code.');
  await expect(failure).toContainText('Check that the country code and number are right');
  await expect(failure).toContainText('Try again later');
  await expect(failure).toContainText('raise a service request');
  await expect(failure).toContainText('SMS from the gov.sg sender may be blocked in China (+86)');
  expect(failingSms.gatewayHits()).toBeGreaterThan(0);
  await wizard.expectAccessible();

  // The admin view: the SMS failed for good, with the gateway's answer as its last error (and no code in it).
  const deliveries = await backend.accountDeliveries(username);
  const sms = deliveries.find((d) => d.template === 'N-PHONE-CODE');
  expect(sms).toMatchObject({
    state: 'failed',
    attempts: 1,
    to: `+86${CHINA_MOBILE}`,
    lastError: 'sms-http: SMS gateway answered HTTP 503',
  });
  const code = String((await backend.latest({ to: `+86${CHINA_MOBILE}`, template: 'N-PHONE-CODE' })).data.code);
  expect(JSON.stringify(deliveries)).not.toContain(code);
});

test('a failing SMS gateway: the account-created step says the first password could not be delivered, and what to do', async ({
  app,
  failingSms,
}) => {
  const page = app.page;
  const wizard = new Wizard(page);
  const invitation = await failingSms.api.invite({
    businessOperation: 'offshore',
    odc: 'Dalian ODC',
    seedRequested: true,
    passwordDelivery: 'sms',
  });
  await wizard.startWithInvitation(invitation.registrationUrl);
  await wizard.fillRegistration({
    username: `zh.wu${Date.now().toString(36)}`,
    firstName: 'Wu',
    lastName: 'Fang',
    countryDial: '+86',
    mobile: '13800000001',
  });
  await wizard.submitRegistration();
  const failure = page.getByTestId('sms-delivery');
  await expect(failure).toContainText(
    'We could not deliver your first password to +86 ••••0001 — here is what you can do',
    { timeout: 10_000 },
  );
  await expect(failure).toContainText('Send my first password again');
  await expect(failure).toContainText('SMS from the gov.sg sender may be blocked in China (+86)');
  await wizard.expectAccessible();
});
