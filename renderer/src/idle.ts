/**
 * Runs `run` once the page is idle, and at the latest after `timeoutMs`: for work the screen on show can do without
 * for a moment (the next steps' code, the backend status check, the demo inbox, the web host's long poll), so it never
 * competes with drawing that screen on a busy two-core machine. Returns a function that cancels it.
 */
export function whenIdle(run: () => void, timeoutMs: number): () => void {
  if (typeof window !== 'undefined' && typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(run, { timeout: timeoutMs });
    return () => window.cancelIdleCallback(handle);
  }
  // No idle callbacks (jsdom, very old engines): soon, after the current work.
  const handle = setTimeout(run, 0);
  return () => clearTimeout(handle);
}
