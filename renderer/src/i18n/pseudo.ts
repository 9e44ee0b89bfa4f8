const ACCENTED: Record<string, string> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [
    c,
    [...'áƀçđéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÁƁÇĐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ'][i] ?? c,
  ]),
);

/**
 * The pseudo-locale's text: every letter accented (so untranslated text stands out) and 40 % longer (so a box that
 * only fits English clips visibly). Placeholders and ICU syntax are left alone: Lingui's compiler maps text only.
 */
export function pseudoText(text: string): string {
  const accented = [...text].map((c) => ACCENTED[c] ?? c).join('');
  const letters = text.replace(/[^A-Za-z]/g, '').length;
  const pad = Math.ceil(letters * 0.4);
  if (pad === 0) return accented;
  const filler = 'ĺóŕéɱ íƥšúɱ đóĺóŕ šíţ áɱéţ çóñšéçţéţúŕ '.repeat(Math.ceil(pad / 40) + 1);
  return `${accented} ${filler.slice(0, pad).trimEnd()}`;
}
