import { z } from 'zod';
import { passwordRulesEnglish } from '../password-rule-english';
import { sha256 } from '../crypto';
import { formatSgt } from '../delivery/templates';
import type { Ctx } from '../context';
import { invitationStatus } from '../features/invitations/service';
import type { Handlers } from './route-table';

/**
 * The two links in emails that a person opens in a browser:
 * - /register/{token}: hands the token to the TechPass Onboarding app (deep link), never consumes it (GET only);
 * - /reset-password/{token}: the support reset link of §5.2, a small form that calls POST /v1/password-resets/link.
 * Plain HTML, no external resources, a strict CSP; the token never leaves this origin except in the deep link.
 */
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const PAGE_STYLE = `body{font-family:system-ui,sans-serif;margin:0;line-height:1.5;color:#1a1a1a}
.masthead{background:#00205b;color:#fff;padding:.75rem 1rem}.masthead .brand{font-weight:700;font-size:1.25rem;letter-spacing:.02em}
.masthead .product{font-weight:400;margin-left:.5rem}main{max-width:40rem;margin:1.5rem auto;padding:0 1rem}
a.button,button{display:inline-block;background:#0b5ed7;color:#fff;padding:.6rem 1rem;border-radius:.3rem;border:0;text-decoration:none;font-size:1rem}
a.button.secondary{background:#fff;color:#0b5ed7;border:2px solid #0b5ed7}a.button:focus-visible,button:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
section{margin-top:1.5rem}h2{font-size:1.15rem;margin-bottom:.25rem}.note{background:#eef4fb;border-left:4px solid #0b5ed7;padding:.5rem .75rem}
.warn{background:#fff4e5;border-left:4px solid #b35c00;padding:.5rem .75rem}
label{display:block;margin-top:1rem}input{font-size:1rem;padding:.4rem;width:100%;max-width:24rem}#status{margin-top:1rem;font-weight:600}`;

/** One HTML document: the TechPass masthead, a heading, the body. Styles in one <style> element (no style attributes). */
function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – TechPass</title><style>${PAGE_STYLE}</style></head>
<body><header class="masthead"><span class="brand">TechPass</span><span class="product">Onboarding</span></header>
<main><h1>${esc(title)}</h1>${body}</main>${script ? `<script>${script}</script>` : ''}</body></html>`;
}

/** What the registration link's page says when the invitation can no longer be used, and what to do instead. */
const LINK_PROBLEM: Record<string, { title: string; body: string }> = {
  registered: {
    title: 'You have already registered',
    body: 'This invitation was already used to register. Sign in to the TechPass Onboarding app with the TechPass username from your onboarding email (name@techpass.gov.sg) to continue.',
  },
  expired: {
    title: 'This registration link has expired',
    body: 'Registration links work for 5 days. Ask the person who invited you to send a new invitation, then use the link in that email.',
  },
  superseded: {
    title: 'A newer invitation replaced this one',
    body: 'Open the link in your most recent invitation email instead.',
  },
  revoked: {
    title: 'This invitation was withdrawn',
    body: 'Ask the person who invited you whether you still need a TechPass account.',
  },
};

function getTheApp(downloadUrl: string): string {
  return `<section aria-labelledby="get-app"><h2 id="get-app">Do not have the app yet?</h2>
<p>Download and install <strong>TechPass Onboarding</strong> from your organisation's page:</p>
<p><a class="button secondary" href="${esc(downloadUrl)}">Download TechPass Onboarding</a></p>
<p>Then come back to your invitation email and open this link again, or paste this page's address into the app's registration step.</p></section>`;
}

const Token = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,200}$/) }).strict();

/** The handlers of the two pages (registered from the route table with the API's public routes). */
export function pageHandlers(ctx: Ctx): Pick<Handlers<'public'>, 'registrationPage' | 'resetPasswordPage'> {
  const csp =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
  return {
    registrationPage: async (req, reply) => {
      const parsed = Token.safeParse(req.params);
      const token = parsed.success ? parsed.data.token : '';
      const deepLink = `techpass-onboarding://register?token=${encodeURIComponent(token)}`;
      void reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', csp)
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store');
      const notValid = () =>
        reply
          .status(404)
          .send(
            page(
              'Registration link not valid',
              '<p>This registration link is not valid. Open the link from your most recent invitation email (copy the whole link), or ask the person who invited you for a new invitation.</p>',
            ),
          );
      if (!parsed.success) return notValid();
      // Reading never consumes the invitation (mail scanners open links too); only the app's registration does.
      const inv = await ctx.db
        .selectFrom('invitations')
        .select(['status', 'expires_at'])
        .where('token_hash', '=', sha256(token))
        .executeTakeFirst();
      if (!inv) return notValid();
      const status = invitationStatus(ctx, inv);
      const problem = LINK_PROBLEM[status];
      if (problem) {
        return reply
          .status(status === 'registered' ? 409 : 410)
          .send(page(problem.title, `<p class="warn">${esc(problem.body)}</p>${getTheApp(ctx.config.appDownloadUrl)}`));
      }
      return {
        status: 200,
        body: page(
          'Continue your TechPass registration in the app',
          `<p>You were invited to create a TechPass account. Registration continues in the <strong>TechPass Onboarding</strong> app on this computer.</p>
<section aria-labelledby="have-app"><h2 id="have-app">Already have the app?</h2>
<p><a class="button" href="${esc(deepLink)}">Open TechPass Onboarding</a></p>
<p>If nothing happens, the app is not installed yet: see below.</p></section>
${getTheApp(ctx.config.appDownloadUrl)}
<p class="note">This link still works: opening this page does not use it up. It registers one account, until ${esc(formatSgt(inv.expires_at))}. Do not forward it.</p>`,
        ),
      };
    },
    resetPasswordPage: async (req, reply) => {
      const parsed = Token.safeParse(req.params);
      void reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', csp)
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store');
      if (!parsed.success)
        return reply
          .status(404)
          .send(
            page('Reset link not valid', '<p>This reset link is not valid. Ask TechPass support for a new one.</p>'),
          );
      const rules = passwordRulesEnglish()
        .filter((r) => r.id !== 'confirm-matches')
        .map((r) => `<li>${esc(r.text)}</li>`)
        .join('');
      return {
        status: 200,
        body: page(
          'Set a new TechPass password',
          `<p>TechPass support sent you this one-time link. Choose a new password:</p><ul>${rules}</ul>
<form id="f"><label for="p1">New password</label><input id="p1" type="password" autocomplete="new-password" required>
<label for="p2">Confirm new password</label><input id="p2" type="password" autocomplete="new-password" required>
<p><button type="submit">Set password</button></p></form><p id="status" role="status" aria-live="polite"></p>`,
          `document.getElementById('f').addEventListener('submit',async function(e){e.preventDefault();var s=document.getElementById('status');
var a=document.getElementById('p1').value,b=document.getElementById('p2').value;if(a!==b){s.textContent='The two passwords differ. Type the same password twice.';return;}
s.textContent='Saving…';try{var r=await fetch('/v1/password-resets/link',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({token:${JSON.stringify(parsed.data.token)},newPassword:a})});
var j=await r.json();s.textContent=r.ok?('Done. Sign in to TechPass as '+j.loginId+' with your new password.'):j.error.message;}catch(x){s.textContent='Could not reach TechPass. Check your connection and try again.';}});`,
        ),
      };
    },
  };
}
