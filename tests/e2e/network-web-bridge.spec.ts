import { uniqueEmail } from './support/backend-api';
import { test, expect } from './support/fixtures';
import { STEP_TITLES, Wizard } from './support/wizard';

/**
 * The web host's stand-in for the OS opening a techpass-onboarding:// link (GET /deeplink): it never hands out the
 * bridge token, tells the open window, and a link that would replace the journey in progress is asked about first.
 */

test('GET /deeplink carries no token; during a journey the open window asks, and nothing changes until the user agrees', async ({
  app,
  backend,
}) => {
  const page = app.page;
  const wizard = new Wizard(page);
  const origin = new URL(page.url()).origin;
  const token = /token=([A-Za-z0-9_-]+)/.exec(page.url())?.[1] ?? '';
  expect(token).not.toBe('');

  // A journey in progress: an invitation opened and the form partly filled.
  const first = await backend.invite({ email: uniqueEmail('alpha') });
  await wizard.startWithInvitation(first.registrationUrl);
  const username = page.getByLabel(/^Username( \(required\))?$/).first();
  await username.fill('kept.value');
  const summary = page.getByRole('region', { name: 'Your invitation' });
  const before = await summary.textContent();

  // Another local process opens a new invitation through the web host.
  const second = await backend.invite({ email: uniqueEmail('bravo') });
  const res = await fetch(`${origin}/deeplink?url=${encodeURIComponent(second.deepLink)}`, { redirect: 'manual' });
  const body = await res.text();
  expect(res.status).toBe(200);
  expect(res.headers.get('location')).toBeNull();
  expect(body).not.toContain(token);
  const headerText: string[] = [];
  res.headers.forEach((v, k) => headerText.push(`${k}: ${v}`));
  expect(headerText.join('\n')).not.toContain(token);
  expect(body).toContain('Go back to the TechPass Onboarding window');

  // The open window is told and asks; the journey in progress is untouched until the answer.
  const dialog = page.getByRole('alertdialog', { name: 'A new invitation was opened' });
  await expect(dialog).toContainText('Continue with it? Your current progress on this computer will be replaced.');
  await expect(wizard.heading(STEP_TITLES.register)).toBeVisible();
  await expect(username).toHaveValue('kept.value');
  await wizard.expectAccessible();

  await dialog.getByRole('button', { name: 'Keep my current progress' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(username).toHaveValue('kept.value');
  expect(await summary.textContent()).toBe(before);

  // Asked again, the user continues: now the new invitation replaces the old one.
  await fetch(`${origin}/deeplink?url=${encodeURIComponent(second.deepLink)}`);
  await dialog.getByRole('button', { name: 'Continue with the new invitation' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(summary).not.toHaveText(before ?? '');
  await expect(wizard.heading(STEP_TITLES.register)).toBeVisible();
});

test('the bridge answers bad input plainly: bad percent-encoding 400, an oversized body 413, never a 500 or a reset', async ({
  app,
}) => {
  const url = new URL(app.page.url());
  const token = /token=([A-Za-z0-9_-]+)/.exec(url.hash)?.[1] ?? '';
  const headers = { 'content-type': 'application/json', 'x-bridge-token': token };
  expect((await fetch(`${url.origin}/bridge/%E0%A4%A`, { method: 'POST', headers, body: '{}' })).status).toBe(400);
  expect((await fetch(`${url.origin}/%zz`)).status).toBe(400);
  const big = await fetch(`${url.origin}/bridge/getAppInfo`, {
    method: 'POST',
    headers,
    body: `{"x":"${'a'.repeat(1024 * 1024)}"}`,
  });
  expect(big.status).toBe(413);
  expect((await fetch(`${url.origin}/bridge/getAppInfo`, { method: 'POST', headers, body: '{}' })).status).toBe(200);
});
