/** `techpass-onboarding --seed-check [--json]`: the packaged app runs the SEED device check and exits, no window. */
export function seedCheckArgs(argv: readonly string[]): string[] | null {
  const at = argv.indexOf('--seed-check');
  if (at < 0) return null;
  // Chromium and Electron switches (e.g. --no-sandbox) may follow; the check takes only its own options.
  const own = new Set(['--json', '--format', '--backend', '--help', '-h', 'text', 'json', 'html']);
  const rest = argv.slice(at + 1);
  const out: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    if (a === '--format' || a === '--backend') {
      out.push(a, rest[i + 1] ?? '');
      i++;
    } else if (own.has(a) || a.startsWith('--format=') || a.startsWith('--backend=')) out.push(a);
  }
  return out;
}
