import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { E2E_BRIDGE_TOKEN } from '../../playwright.config';
import pkg from '../../package.json';

test('the welcome step shows the app version and the live backend status through every layer', async ({ page }) => {
  await page.goto(`/#token=${E2E_BRIDGE_TOKEN}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Set up your TechPass account' })).toBeVisible();
  await expect(page.getByText(`Version ${pkg.version}`)).toBeVisible();
  // renderer → web bridge → host service → backend GET /healthz
  const status = page.getByRole('status');
  await expect(status).toContainText('Connected to techpass-provisioning 0.1.0');
  await expect(status).toContainText('Test mode');

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);
});

test('a page without the launch token cannot use the bridge', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('alert')).toContainText('Cannot reach the TechPass service');
});
