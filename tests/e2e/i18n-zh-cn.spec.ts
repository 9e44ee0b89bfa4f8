import { expect, test } from './support/fixtures';
import { NEW_PASSWORD, Wizard } from './support/wizard';
import { fill, pattern, wordsFor } from './support/words';

// The browser's language is Chinese: the wizard starts in Chinese, with no choice made by the user or IT.
test.use({ locale: 'zh-CN' });

const zh = wordsFor('zh-CN');
const en = wordsFor('en');

/** Every screen of both journeys shows Chinese, and English only where the user asked for it. */
async function expectChinese(wizard: Wizard): Promise<void> {
  await expect(wizard.page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(wizard.page.locator('main h1')).toHaveText(/[\u4e00-\u9fff]/);
}

test('zh-CN, onshore with the first password by SMS: the whole journey in Chinese, axe and reflow on every screen', async ({
  app,
  backend,
}) => {
  test.setTimeout(150_000);
  const page = app.page;
  const wizard = new Wizard(page, zh);
  const invitation = await backend.invite({ passwordDelivery: 'sms', businessOperation: 'onshore' });
  const username = `wei.zhang${Date.now().toString(36)}`;
  const loginId = `${username}@techpass.gov.sg`;

  await wizard.startWithInvitation(invitation.registrationUrl);
  await expectChinese(wizard);
  // Chinese order: 姓 (family name) before 名 (given name); Chinese characters are accepted.
  const family = wizard.field(zh.register.lastName);
  const given = wizard.field(zh.register.firstName);
  expect((await family.boundingBox())!.y).toBeLessThan((await given.boundingBox())!.y);
  await expect(page.getByText(/须以英文字母开头/)).toBeVisible();
  await wizard.expectAccessible();
  await wizard.fillRegistration({
    username,
    firstName: '伟',
    lastName: '张',
    department: '平台工程部',
    mobile: '91234567',
  });
  await wizard.submitRegistration();
  await expectChinese(wizard);
  await expect(page.getByText(loginId).first()).toBeVisible();
  await expect(page.getByText(pattern(zh.accountCreated.activateBy))).toContainText('新加坡时间');
  await wizard.expectAccessible();
  const initialPassword = String((await backend.latest({ to: '+6591234567', template: 'N-INITPWD' })).data.password);

  await wizard.goToSignIn();
  await wizard.signIn(username, initialPassword);
  const secret = await wizard.enrolAuthenticator(backend);
  await expectChinese(wizard);
  await wizard.expectAccessible();
  await wizard.verifyPhone(backend, '+65', '91234567');
  await wizard.changePassword(initialPassword, NEW_PASSWORD);

  // The legal texts in Chinese, saying that the English version applies; the English one a click away.
  await wizard.expectStep(wizard.titles.terms);
  await expect(page.getByText(zh.terms.translationNote).first()).toBeVisible();
  await wizard.expectAccessible();
  await page.getByRole('button', { name: zh.terms.showEnglish }).first().click();
  await expect(page.getByRole('heading', { level: 2, name: 'TechPass Privacy Statement' })).toBeVisible();
  await page.getByRole('button', { name: zh.terms.showTranslation }).click();
  await wizard.acceptAllTerms(['TechPass 隐私声明', 'TechPass 使用条款']);
  await wizard.verifySignIn(backend, loginId, NEW_PASSWORD, secret);
  await wizard.expectAccessible();

  await page.getByRole('button', { name: zh.verify.nextDone, exact: true }).click();
  await wizard.expectStep(wizard.titles.done);
  await expectChinese(wizard);
  await wizard.expectAccessible();
  await page.getByRole('button', { name: zh.done.finish }).click();
  await expect(page.getByText(zh.done.finished)).toBeVisible();
  expect((await backend.account(username)).state).toBe('ACTIVE');
});

test('zh-CN, offshore outside an ODC with SEED: Chinese fields, SEED checks and hand-off; axe and reflow on every screen', async ({
  app,
  backend,
}) => {
  test.setTimeout(150_000);
  const page = app.page;
  const wizard = new Wizard(page, zh);
  const invitation = await backend.invite({
    businessOperation: 'offshore',
    odc: 'Others',
    offshoreCompanyName: 'Acme Software Pvt Ltd',
    seedRequested: true,
    passwordDelivery: 'sms',
  });
  const username = `li.na${Date.now().toString(36)}`;
  const loginId = `${username}@techpass.gov.sg`;

  await wizard.startWithInvitation(invitation.registrationUrl);
  await expect(page.getByRole('region', { name: zh.register.summaryTitle })).toContainText(zh.register.offshore);
  await expect(page.getByRole('group', { name: zh.register.offshoreTitle })).toBeVisible();
  await wizard.expectAccessible();
  // A field's problem from the shared rules is a code the wizard words: in Chinese here, with its parameters.
  const usernameField = page.getByLabel(new RegExp(`^${zh.register.username}`));
  await usernameField.fill('1na');
  await usernameField.blur();
  const startWithLetter = fill(zh.fieldProblems['username.must_start_with_letter'], { min: 3, max: 64 });
  await expect(page.locator('.field-error', { hasText: startWithLetter })).toBeVisible();
  const roEmailField = page.getByLabel(new RegExp(`^${zh.register.roEmail}`));
  await roEmailField.fill('wang.fang@gmail.com');
  await roEmailField.blur();
  await expect(page.locator('.field-error', { hasText: zh.fieldProblems['email.personal_not_allowed'] })).toBeVisible();
  await expect(page.locator('.field-error', { hasText: /[A-Za-z]{4,}\s+[A-Za-z]{4,}/ })).toHaveCount(0);
  await wizard.fillRegistration({
    username,
    firstName: '娜',
    lastName: '李',
    countryDial: '+86',
    mobile: '13800138000',
    offshore: { roName: '王芳', roEmail: 'wang.fang@accenture.com', companyAddress: '上海市浦东新区世纪大道 100 号' },
  });
  // A +86 number with SMS delivery: the warning, in Chinese.
  await expect(page.getByText(zh.chinaWarning.title)).toBeVisible();
  await wizard.submitRegistration();
  await expect(page.getByText(/SEED 入职邮件正在发送中/)).toBeVisible();
  await wizard.expectAccessible();
  const initialPassword = String((await backend.latest({ to: '+8613800138000', template: 'N-INITPWD' })).data.password);

  await wizard.goToSignIn();
  await wizard.signIn(username, initialPassword);
  const secret = await wizard.enrolAuthenticator(backend);
  await wizard.verifyPhone(backend, '+86', '13800138000');
  await wizard.changePassword(initialPassword, NEW_PASSWORD);
  await wizard.acceptAllTerms(['TechPass 隐私声明', 'TechPass 使用条款', 'SEED 移动设备管理可接受使用政策（v4.0）']);
  await wizard.verifySignIn(backend, loginId, NEW_PASSWORD, secret);

  await page.getByRole('button', { name: zh.verify.nextSeed }).click();
  await wizard.expectStep(wizard.titles.deviceCheck);
  await wizard.expectAccessible();
  await page.getByRole('button', { name: zh.deviceCheck.run }).click();
  // SEED does not support Linux: blocked; every failed check is titled and explained in Chinese.
  await expect(page.getByRole('heading', { level: 2, name: zh.deviceCheck.verdict.BLOCKED })).toBeVisible();
  const failed = page
    .getByRole('listitem')
    .filter({ has: page.getByText(zh.deviceCheck.status.FAIL, { exact: true }) });
  expect(await failed.count()).toBeGreaterThan(0);
  for (const item of await failed.all()) {
    await expect(item.locator('strong').first()).toHaveText(/[\u4e00-\u9fff]/);
    await expect(item).toContainText(`${zh.deviceCheck.remediation}${zh.labelSep}`);
  }
  await expect(page.getByText(pattern(zh.deviceCheck.summary))).toBeVisible();
  await wizard.expectAccessible();

  await page.getByRole('button', { name: zh.deviceCheck.continue, exact: true }).click();
  await wizard.expectStep(wizard.titles.done);
  await expect(page.getByRole('heading', { name: zh.done.vendorRouteAfterFix })).toBeVisible();
  await expect(page.getByRole('heading', { name: fill(zh.done.otherOs, { os: 'macOS' }) })).toBeVisible();
  await expect(page.getByText(zh.done.vendorMac[0] ?? '')).toBeVisible();
  await expect(page.getByText(pattern(zh.done.seedExpiry))).toBeVisible();
  await wizard.expectAccessible();
});

test('the language switch: on every screen, labelled in both languages; the choice is kept across a restart', async ({
  app,
}) => {
  const page = app.page;
  const wizard = new Wizard(page, zh);
  await wizard.expectStep(wizard.titles.welcome);
  const language = page.getByRole('group', { name: en.languageSwitch });
  const english = language.getByRole('button', { name: 'English', exact: true });
  const chinese = language.getByRole('button', { name: '中文', exact: true });
  await expect(chinese).toHaveAttribute('aria-pressed', 'true');
  await expect(english).toHaveAttribute('lang', 'en');
  await english.click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: en.welcome.title })).toBeVisible();
  await expect(english).toHaveAttribute('aria-pressed', 'true');
  // Switching keeps the screen (and what was typed on it).
  await page.getByRole('button', { name: en.welcome.haveInvitation }).click();
  await page.getByLabel(new RegExp(`^${en.register.linkLabel}`)).fill('https://example.invalid/abc');
  await chinese.click();
  await expect(page.getByRole('heading', { level: 1, name: zh.register.pasteTitle })).toBeVisible();
  await expect(page.getByLabel(new RegExp(`^${zh.register.linkLabel}`))).toHaveValue('https://example.invalid/abc');
  // From the keyboard: Enter on a language's button switches to it.
  await english.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await app.restart();
  // The browser still says Chinese, but the user chose English: English it stays.
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(english).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('main h1')).toHaveText(en.register.pasteTitle);
});
