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
    const heading = (await page.locator('main h1').first().textContent()) ?? '';
    // Measured once the narrow layout has settled (a screen still loading its parts may be mid-layout for a frame).
    await expect
      .poll(() => page.evaluate(reflowProblems, REFLOW_WIDTH), {
        message: `reflow at ${REFLOW_WIDTH} CSS px on "${heading}"`,
        timeout: 3_000,
      })
      .toEqual([]);
  } finally {
    await page.setViewportSize(before);
  }
}
