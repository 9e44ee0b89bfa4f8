import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { z } from 'zod';
import type { Handlers } from '../../shared/contract';
import { FIRST_SCREEN_READS } from '../../shared/contract-names';
import { WEB_HOST_CSP, contentTypeFor } from '../../shared/renderer-assets';
import { dispatch, type DispatchLogger } from '../host/dispatch';

/** Same policy as the Electron app, plus connect-src 'self' so the page can reach this bridge. */
export const WEB_CSP = WEB_HOST_CSP;

const MAX_BODY = 64 * 1024;
/** After a 413, the rest of an oversized body is read and dropped (so the client gets the answer, not a reset), up to this. */
const MAX_DRAIN = 16 * 1024 * 1024;
/** How long one /events poll waits for a change before it answers "nothing new" (below common idle timeouts). */
const EVENT_POLL_MS = 25_000;
/**
 * `POST /bridge-batch`: the first screen's reads in one request (bridge `callEarly`), answered as their envelopes in the
 * order asked. Only those reads: they take no payload and change nothing, so answering them together cannot reorder
 * anything the user did.
 */
const FirstScreenBatch = z
  .object({ methods: z.array(z.enum(FIRST_SCREEN_READS)).min(1).max(FIRST_SCREEN_READS.length) })
  .strict();

export interface WebHostOptions {
  handlers: Handlers;
  rendererDir: string;
  port?: number;
  log?: DispatchLogger;
  /** Fixed token for tests; random per launch otherwise. */
  token?: string;
  /**
   * Applies a techpass-onboarding:// link the way the OS handler would (Electron's open-url / second-instance).
   * Defaults to the contract's openDeepLink.
   */
  openDeepLink?: (url: string) => Promise<unknown>;
  /** The host's push (a deep link applied or waiting for the user); the open window learns of it through /events. */
  onJourneyChanged?: (listener: () => void) => () => void;
}

export interface WebHost {
  server: Server;
  port: number;
  token: string;
  /** The URL to open: the token travels in the fragment, which the browser never sends to a server. */
  url: string;
  close(): Promise<void>;
}

/**
 * Browser mode and end-to-end tests: serves the built renderer and the desktop contract over HTTP on 127.0.0.1 only.
 * Each call needs the per-launch token (header), and the Host header must name this very address (DNS rebinding).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const log = options.log ?? { warn: () => undefined, error: () => undefined };
  let port = 0;

  // Journey changes pushed by the host, as a version number the window long-polls (EventSource cannot send the token).
  let journeyVersion = 0;
  const waiters = new Set<() => void>();
  const offJourney = options.onJourneyChanged?.(() => {
    journeyVersion += 1;
    for (const wake of [...waiters]) wake();
  });

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (err instanceof URIError)
        return sendText(res, 400, 'Bad request: the address is not validly percent-encoded.');
      log.error('web host request failed', { error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'UNEXPECTED' } });
    });
  });

  const hasToken = (req: IncomingMessage): boolean => {
    const given = Buffer.from(String(req.headers['x-bridge-token'] ?? ''));
    return given.length === tokenBuf.length && timingSafeEqual(given, tokenBuf);
  };

  const waitForChange = (since: number, res: ServerResponse): void => {
    if (journeyVersion !== since) return send(res, 200, { ok: true, result: { version: journeyVersion } });
    const done = () => {
      clearTimeout(timer);
      waiters.delete(done);
      if (!res.writableEnded) send(res, 200, { ok: true, result: { version: journeyVersion } });
    };
    const timer = setTimeout(done, EVENT_POLL_MS);
    waiters.add(done);
    res.on('close', () => {
      clearTimeout(timer);
      waiters.delete(done);
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return sendText(res, 400, 'Bad request: the address cannot be read.');
    }
    if (url.pathname.startsWith('/bridge/') || url.pathname === '/bridge-batch' || url.pathname === '/events') {
      if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'BAD_REQUEST' } });
      if (!hasToken(req)) {
        return send(res, 403, { ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      }
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(res, 415, { ok: false, error: { code: 'BAD_REQUEST' } });
      }
      const body = await readBody(req);
      if (body === null) {
        res.setHeader('connection', 'close');
        return send(res, 413, { ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
      }
      let payload: unknown;
      try {
        payload = body.length ? JSON.parse(body) : {};
      } catch {
        return send(res, 400, { ok: false, error: { code: 'BAD_REQUEST' } });
      }
      if (url.pathname === '/events') {
        const since =
          typeof (payload as { since?: unknown })?.since === 'number' ? (payload as { since: number }).since : -1;
        return waitForChange(since, res);
      }
      if (url.pathname === '/bridge-batch') {
        const batch = FirstScreenBatch.safeParse(payload);
        if (!batch.success) return send(res, 400, { ok: false, error: { code: 'BAD_REQUEST' } });
        const answers = await Promise.all(batch.data.methods.map((m) => dispatch(options.handlers, m, {}, log)));
        return send(res, 200, { ok: true, result: answers });
      }
      const method = decodeURIComponent(url.pathname.slice('/bridge/'.length));
      return send(res, 200, await dispatch(options.handlers, method, payload, log));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/' && url.searchParams.has('deeplink')) {
      // `/?deeplink=<link>#token=…`: apply the link, then show the app (the browser keeps the fragment on redirect).
      const link = url.searchParams.get('deeplink') ?? '';
      if (link.length <= 2048) await applyDeepLink(link);
      res.writeHead(303, { location: '/', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
      return;
    }
    if (url.pathname === '/deeplink') {
      // The web stand-in for the OS opening techpass-onboarding://register?token=…. Like the OS handler it needs no
      // bridge token, so it must never hand one out: any local process can call it. It applies the link (or, during a
      // journey, makes the open window ask first) and tells the open window; the answer only says to go back to it.
      const link = url.searchParams.get('url') ?? '';
      if (!link || link.length > 2048) return sendPage(res, 400, DEEPLINK_BAD_PAGE);
      await applyDeepLink(link);
      return sendPage(res, 200, DEEPLINK_OPENED_PAGE);
    }
    await serveStatic(url.pathname, res);
  }

  async function applyDeepLink(link: string): Promise<void> {
    if (options.openDeepLink) await options.openDeepLink(link).catch(() => undefined);
    else await dispatch(options.handlers, 'openDeepLink', { url: link }, log);
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const root = normalize(options.rendererDir + sep);
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    let file = normalize(join(options.rendererDir, rel));
    if (!file.startsWith(root)) {
      res.writeHead(404).end();
      return;
    }
    if (!extname(file)) file = join(options.rendererDir, 'index.html');
    try {
      const content = await readFile(file);
      res.writeHead(200, {
        'content-type': contentTypeFor(file),
        'content-security-policy': WEB_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(content);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    // Quitting must not wait for the browser: a tab keeps keep-alive (and pre-connected, never-used) sockets open.
    close: () =>
      new Promise((resolve) => {
        offJourney?.();
        for (const wake of [...waiters]) wake();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5"><h1>${title}</h1>${body}</body></html>`;
}

const DEEPLINK_OPENED_PAGE = page(
  'Invitation sent to TechPass Onboarding',
  '<p>Go back to the TechPass Onboarding window to continue. If you were in the middle of onboarding, the window asks you first before it uses the new invitation.</p><p>You can close this tab.</p>',
);
const DEEPLINK_BAD_PAGE = page(
  'This link cannot be opened',
  '<p>Use the registration link from your invitation email, or paste it into the TechPass Onboarding window.</p>',
);

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': PAGE_CSP,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
  res.end(html);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(text);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (tooLarge) {
        // Read and drop the rest, so the 413 reaches the client instead of a reset; give up on absurd sizes.
        if (size > MAX_DRAIN) req.destroy();
        return;
      }
      if (size > MAX_BODY) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    // The 413 goes out once the body is in: answering mid-upload would close the socket under the client (a reset).
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
