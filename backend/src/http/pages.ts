import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PASSWORD_RULES } from '../../../shared/domain/password-policy';

/**
 * The two links in emails that a person opens in a browser:
 * - /register/{token}: hands the token to the TechPass Onboarding app (deep link), never consumes it (GET only);
 * - /reset-password/{token}: the support reset link of §5.2, a small form that calls POST /v1/password-resets/link.
 * Plain HTML, no external resources, a strict CSP; the token never leaves this origin except in the deep link.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
a.button,button{display:inline-block;background:#0b5ed7;color:#fff;padding:.6rem 1rem;border-radius:.3rem;border:0;text-decoration:none;font-size:1rem}
label{display:block;margin-top:1rem}input{font-size:1rem;padding:.4rem;width:100%;max-width:24rem}#status{margin-top:1rem;font-weight:600}</style></head>
<body><main><h1>${esc(title)}</h1>${body}</main>${script ? `<script>${script}</script>` : ''}</body></html>`;
}

const Token = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,200}$/) }).strict();

export function registerPages(app: FastifyInstance): void {
  const csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
  app.get('/register/:token', { schema: { hide: true } }, async (req, reply) => {
    const parsed = Token.safeParse(req.params);
    const token = parsed.success ? parsed.data.token : '';
    const deepLink = `techpass-onboarding://register?token=${encodeURIComponent(token)}`;
    void reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', csp).header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    if (!parsed.success) return reply.status(404).send(page('Registration link not valid', '<p>This registration link is not valid. Open the link from your most recent invitation email, or ask the person who invited you for a new invitation.</p>'));
    return page(
      'Complete your TechPass registration',
      `<p>Registration continues in the <strong>TechPass Onboarding</strong> app.</p>
<p><a class="button" href="${esc(deepLink)}">Open TechPass Onboarding</a></p>
<p>If nothing happens, install the app first, then open this page again. You can also paste this page's address into the app's registration step.</p>
<p>The link works once and expires 5 days after the invitation was sent. Do not forward it.</p>`,
    );
  });
  app.get('/reset-password/:token', { schema: { hide: true } }, async (req, reply) => {
    const parsed = Token.safeParse(req.params);
    void reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', csp).header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    if (!parsed.success) return reply.status(404).send(page('Reset link not valid', '<p>This reset link is not valid. Ask TechPass support for a new one.</p>'));
    const rules = PASSWORD_RULES.filter((r) => r.id !== 'confirm-matches').map((r) => `<li>${esc(r.description)}</li>`).join('');
    return page(
      'Set a new TechPass password',
      `<p>TechPass support sent you this one-time link. Choose a new password:</p><ul>${rules}</ul>
<form id="f"><label for="p1">New password</label><input id="p1" type="password" autocomplete="new-password" required>
<label for="p2">Confirm new password</label><input id="p2" type="password" autocomplete="new-password" required>
<p><button type="submit">Set password</button></p></form><p id="status" role="status" aria-live="polite"></p>`,
      `document.getElementById('f').addEventListener('submit',async function(e){e.preventDefault();var s=document.getElementById('status');
var a=document.getElementById('p1').value,b=document.getElementById('p2').value;if(a!==b){s.textContent='The two passwords differ. Type the same password twice.';return;}
s.textContent='Saving…';try{var r=await fetch('/v1/password-resets/link',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({token:${JSON.stringify(parsed.data.token)},newPassword:a})});
var j=await r.json();s.textContent=r.ok?('Done. Sign in to TechPass as '+j.loginId+' with your new password.'):j.error.message;}catch(x){s.textContent='Could not reach TechPass. Check your connection and try again.';}});`,
    );
  });
}
