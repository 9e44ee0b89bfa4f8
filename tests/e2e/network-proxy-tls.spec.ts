import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from './support/fixtures';
import { startTestNetwork, type TestNetwork } from './support/network';
import { STEP_TITLES, Wizard } from './support/wizard';

/**
 * The wizard on a vendor network: the backend's name resolves only through the proxy, and TLS inspection re-signs the
 * connection with a CA of its own. Given that CA (NODE_EXTRA_CA_CERTS or the org's extraCaCertificates) it works;
 * without it, and with a proxy that wants credentials or answers with a web page, the wizard says what is wrong.
 */

interface Options {
  trust: 'none' | 'node-extra-ca-certs' | 'org-config';
  requireAuth?: boolean;
  page?: string;
}

const test = base.extend<{ options: Options; net: TestNetwork }>({
  options: [{ trust: 'none' }, { option: true }],
  net: async ({ world, options }, use) => {
    const net = await startTestNetwork(world.api.baseUrl, {
      ...(options.requireAuth ? { requireAuth: { user: 'corp', password: 'secret' } } : {}),
      ...(options.page ? { page: options.page } : {}),
    });
    await use(net);
    await net.close();
  },
  hostEnv: async ({ net, options }, use) => {
    const env: Record<string, string> = {
      HTTPS_PROXY: net.proxy.url,
      NO_PROXY: '',
      TECHPASS_BACKEND_URL: net.backendUrl,
    };
    const dir = mkdtempSync(join(tmpdir(), 'techpass-e2e-org-'));
    if (options.trust === 'node-extra-ca-certs') env.NODE_EXTRA_CA_CERTS = net.ca.caFile;
    if (options.trust === 'org-config') {
      const file = join(dir, 'org-config.json');
      writeFileSync(file, JSON.stringify({ extraCaCertificates: [net.ca.caPem] }));
      env.TECHPASS_ORG_CONFIG = file;
    }
    await use(env);
    rmSync(dir, { recursive: true, force: true });
  },
});

const backendAlert = (page: import('@playwright/test').Page) =>
  page.getByRole('alert').filter({ hasText: 'Cannot reach the TechPass service' });

test.describe('TLS inspection by a CA this computer does not trust', () => {
  test('the welcome screen says the connection was replaced, names the issuer, and says what to ask IT', async ({
    app,
    net,
  }) => {
    const alert = backendAlert(app.page);
    await expect(alert).toContainText('replaced by your network (TLS inspection)');
    await expect(alert).toContainText(`Certificate issued by: ${net.ca.caName}`);
    await expect(alert).toContainText('extraCaCertificates');
    await new Wizard(app.page).expectAccessible();
    // Nothing reached the backend: the connection stopped at the certificate.
    expect(net.front.records).toEqual([]);
  });
});

for (const trust of ['node-extra-ca-certs', 'org-config'] as const) {
  test.describe(`the inspection CA given by ${trust === 'org-config' ? 'extraCaCertificates' : 'NODE_EXTRA_CA_CERTS'}`, () => {
    test.use({ options: { trust } });
    test('connects through the proxy and opens an invitation', async ({ app, backend, net }) => {
      const wizard = new Wizard(app.page);
      await expect(app.page.getByTestId('backend-status')).toContainText('Connected');
      const invitation = await backend.invite();
      await wizard.startWithInvitation(invitation.registrationUrl);
      await wizard.expectStep(STEP_TITLES.register);
      expect(net.proxy.connects.length).toBeGreaterThan(0);
      expect(net.proxy.connects.every((c) => c.startsWith('techpass.test:'))).toBe(true);
    });
  });
}

test.describe('a proxy that asks for credentials', () => {
  test.use({ options: { trust: 'node-extra-ca-certs', requireAuth: true } });
  test('the wizard says the proxy wants a user name and password', async ({ app, net }) => {
    const alert = backendAlert(app.page);
    await expect(alert).toContainText('proxy asks for a user name and password');
    await expect(alert).toContainText('Ask your IT support');
    expect(net.proxy.authChallenges).toBeGreaterThan(0);
  });
});

test.describe('a web page where the service should answer', () => {
  test.use({
    options: {
      trust: 'node-extra-ca-certs',
      page: '<!doctype html><title>Guest Wi-Fi</title><p>Accept the terms to continue</p>',
    },
  });
  test('the wizard says a sign-in or block page answered, and what to do', async ({ app }) => {
    const alert = backendAlert(app.page);
    await expect(alert).toContainText('A web page answered instead of TechPass');
    await expect(alert).toContainText('Open a web browser');
  });
});
