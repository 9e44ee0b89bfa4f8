/**
 * Checks for the pseudo-locale (en-XA: every catalogue letter accented, 40 % longer, bracketed). They run in the page
 * (so no inner named functions: tsx would wrap them in a helper the page does not have) and return one line per
 * problem.
 */

/**
 * Text the catalogue did not provide: a visible text node with plain Latin words and no pseudo-accented letter.
 * Allowed as they are: names that stay in every language (TechPass, SEED, the language switch's own names), e-mail
 * addresses, TechPass IDs, URLs, numbers and codes, and whatever an element marks as outside content
 * (`data-i18n-external`: the service's legal texts and messages, a probe's raw output).
 */
export function untranslatedText(): string[] {
  const problems: string[] = [];
  const allowed =
    /TechPass|SEED|English|中文|https?:\/\/\S+|[\w.+-]+@[\w.-]+|techpass-onboarding:\/\/\S*|\b[A-Z]{2,}-[\w-]+\b|\b[A-Z2-7]{4}( [A-Z2-7]{4}){3,}\b/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent ?? '').trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest('[data-i18n-external], script, style, option, [hidden]')) continue;
    const style = getComputedStyle(parent);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const rest = text.replace(allowed, '');
    if (/[A-Za-z]{2,}/.test(rest) && !/[\u00C0-\u024F\u1E00-\u1EFF]/.test(text)) {
      problems.push(`<${parent.tagName.toLowerCase()}> "${text.slice(0, 80)}"`);
    }
  }
  return problems.slice(0, 20);
}

/**
 * Text running out of its box at the current width: an element whose own text is wider than it (whether its overflow
 * clips it or spills it over its neighbours). Controls scroll their own value by design and are left out.
 */
export function overflowingText(): string[] {
  const problems: string[] = [];
  for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
    if (['INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'PRE', 'SCRIPT', 'STYLE'].includes(el.tagName)) continue;
    const ownText = Array.from(el.childNodes).some(
      (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '',
    );
    if (!ownText || el.clientWidth === 0 || el.closest('.visually-hidden, .skip-link, [hidden]')) continue;
    const s = getComputedStyle(el);
    if (
      s.display === 'none' ||
      s.display === 'inline' ||
      s.visibility === 'hidden' ||
      s.overflowX === 'auto' ||
      s.overflowX === 'scroll'
    )
      continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      problems.push(
        `<${el.tagName.toLowerCase()} class="${String(el.className)}"> "${(el.textContent ?? '').trim().slice(0, 50)}" (${el.scrollWidth}px in ${el.clientWidth}px)`,
      );
    }
  }
  return problems.slice(0, 20);
}
