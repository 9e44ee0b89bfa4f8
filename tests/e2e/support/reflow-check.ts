/** WCAG 1.4.10 Reflow: 320 CSS px wide (1280 px at 400 % zoom). */
export const REFLOW_WIDTH = 320;

/**
 * What breaks reflow on the page as it is now: horizontal scrolling, anything reaching past the right edge, and text
 * cut off by its box (overflow hidden/clip or an ellipsis). Runs in the page (so no inner named functions: tsx would
 * wrap them in a helper the page does not have); returns one line per problem.
 */
export function reflowProblems(width: number): string[] {
  const problems: string[] = [];
  const root = document.documentElement;
  if (root.scrollWidth > width) {
    // Name what sticks out, even if it is meant to be hidden: a hidden box can still widen the page.
    const widest = Array.from(document.body.querySelectorAll<HTMLElement>('*'))
      // Its box, or the content running out of it (a long word, a URL): whichever reaches further.
      .map((el) => ({
        el,
        right: el.getBoundingClientRect().left + Math.max(el.getBoundingClientRect().width, el.scrollWidth),
      }))
      .filter((x) => x.right > width + 0.5 || x.el.scrollWidth > x.el.clientWidth + 1)
      .sort((a, b) => b.right - a.right)
      .slice(0, 8)
      .map(
        (x) =>
          `<${x.el.tagName.toLowerCase()} class="${String(x.el.className)}"> "${(x.el.textContent ?? '').trim().slice(0, 40)}" to ${Math.round(x.right)}px (sw ${x.el.scrollWidth}, cw ${x.el.clientWidth}, ${getComputedStyle(x.el).position})`,
      );
    problems.push(
      `the page scrolls sideways: ${root.scrollWidth}px wide at ${width}px (${widest.join('; ') || 'no element box'})`,
    );
  }
  for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= 0 || el.closest('.skip-link')) continue;
    // Hidden on purpose (screen-reader-only text, a closed disclosure's body): nobody sees it, so nothing is cut off.
    let hidden = false;
    for (let e: Element | null = el; e && !hidden; e = e.parentElement) {
      const s = getComputedStyle(e);
      hidden =
        s.display === 'none' ||
        s.visibility === 'hidden' ||
        (s.clip !== 'auto' && s.clip !== '') ||
        e.classList.contains('visually-hidden') ||
        (e.tagName === 'DETAILS' && e !== el && !(e as HTMLDetailsElement).open && el.closest('summary') === null);
    }
    if (hidden) continue;
    const s = getComputedStyle(el);
    const cls = typeof el.className === 'string' && el.className ? ` class="${el.className}"` : '';
    const what = `<${el.tagName.toLowerCase()}${cls}> "${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 50)}"`;
    if (r.right > width + 0.5) problems.push(`${what} reaches ${Math.round(r.right)}px`);
    // A text box scrolls its own value (a pasted link) by design: that is not content cut off by the layout.
    const control = el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
    const clips = !control && (s.overflowX === 'hidden' || s.overflowX === 'clip');
    if ((clips || s.textOverflow === 'ellipsis') && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${what} cuts off its content (${el.scrollWidth}px in ${el.clientWidth}px)`);
    }
  }
  return problems.slice(0, 12);
}
