import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test, type AppUnderTest } from './support/fixtures';
import { NEW_PASSWORD, STEP_TITLES, Wizard } from './support/wizard';

test('offshore user outside an ODC with SEED: extra fields, MDM AUP, SEED email, device check (blocked on Linux), report export, SEED hand-off', async ({
  app,
  backend,
}) => {
  // The longest journey (extra fields, three documents, two device checks and two exports), with axe and the 320 px
  // reflow check on every screen, on 2 shared cores.
  test.setTimeout(120_000);
  const page = app.page;
  const wizard = new Wizard(page);
  const invitation = await backend.invite({
    businessOperation: 'offshore',
    odc: 'Others',
    offshoreCompanyName: 'Acme Software Pvt Ltd',
    seedRequested: true,
    passwordDelivery: 'sms',
  });
  const username = `r.kumar${Date.now().toString(36)}`;
  const loginId = `${username}@techpass.gov.sg`;

  await wizard.startWithInvitation(invitation.registrationUrl);
  const summary = page.getByRole('region', { name: 'Your invitation' });
  await expect(summary).toContainText('Outside Singapore (offshore)');
  await expect(summary).toContainText('Others');

  // The offshore fields are shown, grouped, and required: registering without them names each one.
  const offshore = page.getByRole('group', { name: 'Offshore details' });
  await expect(offshore).toBeVisible();
  for (const label of [
    'Offshore reporting officer name',
    'Offshore reporting officer email',
    'Offshore company address',
  ]) {
    await expect(offshore.getByRole('textbox', { name: `${label} (required)` })).toBeVisible();
  }
  await wizard.expectAccessible();
  await wizard.fillRegistration({ username, countryDial: '+91', mobile: '9812345678' });
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const problems = page.getByRole('link', {
    name: /^Offshore (reporting officer name|reporting officer email|company address):/,
  });
  await expect(problems).toHaveCount(3);
  await wizard.expectStep(STEP_TITLES.register);

  await wizard.fillRegistration({
    username,
    countryDial: '+91',
    mobile: '9812345678',
    offshore: {
      roName: 'Priya Raman',
      roEmail: 'priya.raman@accenture.com',
      companyAddress: '12 MG Road, Bengaluru 560001, India',
    },
  });
  await expect(problems).toHaveCount(0);
  await wizard.submitRegistration();

  // The SEED onboarding email is on its way, and the screen says so.
  await expect(page.getByRole('heading', { name: 'SEED' })).toBeVisible();
  await expect(page.getByText(/separate SEED onboarding email is on its way/)).toBeVisible();
  const seedMail = await backend.latest({ to: invitation.email, template: 'N-SEED-INVITE' });
  expect(seedMail.data.loginId).toBe(loginId);
  const initialPassword = String((await backend.latest({ to: '+919812345678', template: 'N-INITPWD' })).data.password);

  await wizard.goToSignIn();
  await wizard.signIn(username, initialPassword);
  const secret = await wizard.enrolAuthenticator(backend);
  await wizard.verifyPhone(backend, '+91', '9812345678');
  await wizard.changePassword(initialPassword, NEW_PASSWORD);
  // SEED users also accept the MDM Acceptable Use Policy.
  await wizard.acceptAllTerms([
    'TechPass Privacy Statement',
    'TechPass Terms of Use',
    'SEED Mobile Device Management Acceptable Use Policy (v4.0)',
  ]);
  await wizard.verifySignIn(backend, loginId, NEW_PASSWORD, secret);

  // Verify leads to the device check, not straight to Done.
  await page.getByRole('button', { name: 'Continue to the device check' }).click();
  await wizard.expectStep(STEP_TITLES.deviceCheck);
  await wizard.expectAccessible();
  await page.getByRole('button', { name: 'Check my device' }).click();

  // SEED does not support Linux: blocked, and every failed check says what to do.
  const verdict = page.getByRole('heading', { level: 2, name: 'Your device is not ready for SEED yet' });
  await expect(verdict).toBeVisible();
  const failed = page.getByRole('listitem').filter({ has: page.getByText('Fail', { exact: true }) });
  expect(await failed.count()).toBeGreaterThan(0);
  for (const item of await failed.all()) await expect(item).toContainText('What to do:');
  await wizard.expectAccessible();

  // Export for the IT team.
  await page.getByLabel('File format').selectOption({ label: 'JSON' });
  const report = await exportReport(page, app.target);
  expect(report.verdict).toBe('BLOCKED');
  expect(report.platform).toMatch(/linux/i);
  const failedInReport = report.checks.filter((c) => c.status === 'FAIL');
  expect(failedInReport).toHaveLength(await failed.count());
  for (const c of failedInReport) expect(c.remediation, c.id).toBeTruthy();

  // Check again: a new report (a later check time), the same verdict, and its export is the new one.
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(verdict).toBeVisible();
  await expect(page.getByRole('button', { name: 'Check again' })).toBeEnabled();
  const again = await exportReport(page, app.target);
  expect(again.verdict).toBe('BLOCKED');
  expect(Date.parse(again.generatedAt)).toBeGreaterThan(Date.parse(report.generatedAt));

  // Done after a blocked check: it says so (no "You finished onboarding", Device check not ticked), then the SEED
  // hand-off for a vendor (TechPass ID), for both supported operating systems, for when the device is fixed.
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await wizard.expectStep(STEP_TITLES.done);
  await expect(page.getByText('Your device is not ready for SEED yet').last()).toBeVisible();
  await expect(page.getByText(/You finished onboarding/)).toHaveCount(0);
  await expect(
    page
      .getByRole('navigation', { name: 'Onboarding progress' })
      .getByRole('listitem')
      .filter({ hasText: 'Device check' }),
  ).toContainText('needs attention');
  await expect(page.getByRole('button', { name: 'Back to the device check' })).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'When your device is ready: onboard it to SEED (vendor route)' }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'On macOS' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'On Windows' })).toBeVisible();
  await expect(page.getByText('Install Company Portal and enrol your Mac with your TechPass ID.')).toBeVisible();
  await expect(page.getByText(/Your SEED onboarding email is valid until/)).toBeVisible();
  await wizard.expectAccessible();
  expect((await backend.account(username)).state).toBe('ACTIVE');
});

interface ExportedReport {
  verdict: string;
  platform: string;
  generatedAt: string;
  checks: { id: string; status: string; remediation?: string }[];
}

/**
 * Saves the report in the chosen format (JSON) and reads the file, as the user's IT team would. The web host hands it
 * to the browser as a download; the Electron app saves it itself and says where.
 */
async function exportReport(page: Page, target: AppUnderTest['target']): Promise<ExportedReport> {
  const save = page.getByRole('button', { name: 'Save report' });
  if (target === 'electron') {
    const status = page.getByRole('status').filter({ hasText: /^Report saved to .+\.json\.$/ });
    await save.click();
    await expect(status).toBeVisible();
    const path = /^Report saved to (.+)\.$/.exec((await status.textContent()) ?? '')?.[1] ?? '';
    return JSON.parse(readFileSync(path, 'utf8')) as ExportedReport;
  }
  const downloading = page.waitForEvent('download');
  await save.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  await expect(
    page.getByRole('status').filter({ hasText: `Report downloaded as ${download.suggestedFilename()}.` }),
  ).toBeVisible();
  return JSON.parse(readFileSync(await download.path(), 'utf8')) as ExportedReport;
}
