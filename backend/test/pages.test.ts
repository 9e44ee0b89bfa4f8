import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APP_DOWNLOAD_URL } from '../src/config';
import { invite, registrationBody, startBackend, type TestBackend } from './harness';

/** The page the emailed registration link opens in a browser, over real HTTP. */
describe('GET /register/{token} (the registration link in a browser)', () => {
  let b: TestBackend;
  let fallback: TestBackend;
  beforeAll(async () => {
    b = await startBackend('sqlite', { env: { APP_DOWNLOAD_URL: 'https://apps.agency.example/techpass-onboarding' } });
    fallback = await startBackend('sqlite');
  });
  afterAll(async () => {
    await b?.close();
    await fallback?.close();
  });

  it('is branded, names the app, links the download page from configuration, says the link still works, and has no script', async () => {
    const i = await invite(b);
    const res = await b.get(`/register/${i.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<header class="masthead"><span class="brand">TechPass<\/span>/);
    expect(html).toContain('<h1>Continue your TechPass registration in the app</h1>');
    expect(html).toContain(`href="techpass-onboarding://register?token=${i.token}"`);
    expect(html).toContain('href="https://apps.agency.example/techpass-onboarding">Download TechPass Onboarding</a>');
    expect(html).toMatch(
      /This link still works: opening this page does not use it up\. It registers one account, until \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d SGT/,
    );
    // No inline script (the pages' CSP allows none) and no inline style attributes.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\sstyle="/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // Opening the page did not use the invitation.
    expect((await b.call('GET', `/v1/registrations/${i.token}`)).status).toBe(200);

    const def = await invite(fallback);
    expect(await (await fallback.get(`/register/${def.token}`)).text()).toContain(`href="${DEFAULT_APP_DOWNLOAD_URL}"`);
  });

  it('a used, replaced or unknown link says so and what to do, still branded and with the download link', async () => {
    const used = await invite(b, { passwordDelivery: 'sms' });
    expect((await b.call('POST', `/v1/registrations/${used.token}`, { body: registrationBody() })).status).toBe(201);
    const usedPage = await b.get(`/register/${used.token}`);
    expect(usedPage.status).toBe(409);
    const usedHtml = await usedPage.text();
    expect(usedHtml).toContain('<h1>You have already registered</h1>');
    expect(usedHtml).toContain('Sign in to the TechPass Onboarding app');
    expect(usedHtml).toContain('Download TechPass Onboarding');
    expect(usedHtml).not.toContain('techpass-onboarding://register');

    const old = await invite(b, { email: 'replaced@vendor.example.com' });
    await invite(b, { email: 'replaced@vendor.example.com' });
    const oldPage = await b.get(`/register/${old.token}`);
    expect(oldPage.status).toBe(410);
    expect(await oldPage.text()).toContain('<h1>A newer invitation replaced this one</h1>');

    const unknown = await b.get(`/register/${'Q'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    const unknownHtml = await unknown.text();
    expect(unknownHtml).toContain('<h1>Registration link not valid</h1>');
    expect(unknownHtml).toContain('<span class="brand">TechPass</span>');
  });
});
