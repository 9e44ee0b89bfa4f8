import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Handlers } from '../../shared/contract';
import { WEB_HOST_CSP, contentTypeFor } from '../../shared/renderer-assets';
import { dispatch, type DispatchLogger } from '../host/dispatch';

/** Same policy as the Electron app, plus connect-src 'self' so the page can reach this bridge. */
export const WEB_CSP = WEB_HOST_CSP;


const MAX_BODY = 64 * 1024;

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

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 500, { ok: false, error: { code: 'UNEXPECTED', message: 'Internal error' } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/bridge/')) {
      if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'BAD_REQUEST', message: 'POST only' } });
      const given = Buffer.from(String(req.headers['x-bridge-token'] ?? ''));
      if (given.length !== tokenBuf.length || !timingSafeEqual(given, tokenBuf)) {
        return send(res, 403, { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'This request did not come from the app.' } });
      }
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(res, 415, { ok: false, error: { code: 'BAD_REQUEST', message: 'JSON only' } });
      }
      const body = await readBody(req);
      if (body === null) return send(res, 413, { ok: false, error: { code: 'BAD_REQUEST', message: 'Request too large' } });
      let payload: unknown;
      try {
        payload = body.length ? JSON.parse(body) : {};
      } catch {
        return send(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: 'The request was not valid JSON.' } });
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
      // The web stand-in for the OS opening techpass-onboarding://register?token=…: apply it, then open the app.
      // Like the OS handler it needs no bridge token; the host accepts only the one link shape, so a page that
      // sends the browser here can at most open a registration link, which the user still has to submit.
      const link = url.searchParams.get('url') ?? '';
      if (!link || link.length > 2048) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('Missing url');
        return;
      }
      await applyDeepLink(link);
      res.writeHead(303, { location: `/#token=${token}`, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
      return;
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
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
