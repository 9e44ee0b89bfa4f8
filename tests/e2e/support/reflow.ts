import { expect, type Page } from '@playwright/test';
import { REFLOW_WIDTH, reflowProblems } from './reflow-check';

/**
 * The screen as it is now, at 320 CSS px: no horizontal scroll and nothing cut off; then the viewport is put back.
 * Electron windows have no emulated viewport (viewportSize() is null): there the check does not apply.
 */
export async function expectReflow(page: Page): Promise<void> {
  const before = page.viewportSize();
  if (!before) return;
  await page.setViewportSize({ width: REFLOW_WIDTH, height: before.height });
  try {
    const problems = await page.evaluate(reflowProblems, REFLOW_WIDTH);
    expect(problems, `reflow at ${REFLOW_WIDTH} CSS px on "${await page.title()}" / ${await page.locator('main h1').first().textContent()}`).toEqual([]);
  } finally {
    await page.setViewportSize(before);
  }
}
