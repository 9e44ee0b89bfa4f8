/**
 * Test support: a real forwarding HTTP proxy (CONNECT tunnels and absolute-form requests), written for the network
 * tests. Host names resolve only here, through `hosts` (e.g. `techpass.test` → 127.0.0.1:port): the client must
 * hand the name to the proxy, as on a network without direct DNS. It can also ask for authentication (407), delay
 * every round trip (a slow offshore link), or answer with a web page (a captive portal / block page).
 */
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxyOptions {
  /** host name (lower case) → where it really is. Anything else: 502, as a proxy that cannot resolve it. */
  hosts: Record<string, { host: string; port: number }>;
  /** Demand this Proxy-Authorization (Basic user:pass); without it every request gets 407. */
  requireAuth?: { user: string; password: string };
  /** Added once per round trip: to the CONNECT answer and to every chunk the server sends back (in order). */
  delayMs?: number;
}

export interface ForwardingProxy {
  url: string;
  port: number;
  /** What came through: CONNECT targets and absolute-form request URLs. */
  connects: string[];
  absolute: string[];
  /** Requests refused with 407. */
  authChallenges: number;
  setDelay(ms: number): void;
  close(): Promise<void>;
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

export async function startForwardingProxy(options: ProxyOptions): Promise<ForwardingProxy> {
  let delay = options.delayMs ?? 0;
  const connects: string[] = [];
  const absolute: string[] = [];
  let authChallenges = 0;
  const sockets = new Set<Socket>();
  const wantAuth = options.requireAuth
    ? `Basic ${Buffer.from(`${options.requireAuth.user}:${options.requireAuth.password}`).toString('base64')}`
    : undefined;
  const resolveHost = (hostname: string) => options.hosts[hostname.toLowerCase().replace(/^\[|\]$/g, '')];
  const later = (fn: () => void) => (delay > 0 ? setTimeout(fn, delay) : fn());

  /** Writes `chunk` to `to` one delay after it arrived, never out of order. */
  const delayedPipe = (from: Socket, to: Socket) => {
    let lastDue = 0;
    from.on('data', (chunk: Buffer) => {
      if (delay <= 0) {
        to.write(chunk);
        return;
      }
      const due = Math.max(Date.now() + delay, lastDue);
      lastDue = due;
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, due - Date.now());
    });
    from.on('end', () => {
      const wait = Math.max(0, lastDue - Date.now());
      setTimeout(() => to.end(), wait);
    });
  };

  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    // Absolute-form: GET http://name:port/path HTTP/1.1
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('This is a proxy: absolute-form requests only.');
      return;
    }
    if (wantAuth && req.headers['proxy-authorization'] !== wantAuth) {
      authChallenges += 1;
      res
        .writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"', 'content-type': 'text/html' })
        .end('<html><body>Proxy authentication required</body></html>');
      return;
    }
    absolute.push(target.href);
    const where = resolveHost(target.hostname);
    if (!where) {
      res
        .writeHead(502, { 'content-type': 'text/html' })
        .end(`<html><body>Proxy error: cannot resolve ${target.hostname}</body></html>`);
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      { host: where.host, port: where.port, method: req.method, path: `${target.pathname}${target.search}`, headers },
      (up) =>
        later(() => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        }),
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (wantAuth && req.headers['proxy-authorization'] !== wantAuth) {
      authChallenges += 1;
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    const [name = '', port = '443'] = (req.url ?? '').split(/:(?=\d+$)/);
    connects.push(`${name}:${port}`);
    const where = resolveHost(name);
    if (!where) {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(where.port, where.host, () => {
      later(() => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        client.pipe(upstream);
        delayedPipe(upstream, client);
      });
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });

  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    absolute,
    get authChallenges() {
      return authChallenges;
    },
    setDelay: (ms) => {
      delay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One request the TLS front passed to the backend, as the backend answered it. */
export interface FrontRecord {
  method: string;
  path: string;
  idempotencyKey?: string;
  status: number;
  /** The backend answered from its Idempotency-Key store (a replay, nothing done twice). */
  replayed: boolean;
  /** POST /v1/sessions(/mfa): the session token the backend handed out, if any. */
  sessionToken?: string;
}

export interface TlsFront {
  port: number;
  /** Every request passed to the backend (only when `record` was asked for). */
  records: FrontRecord[];
  close(): Promise<void>;
}

/**
 * TLS in front of a plain-http server (the backend), with the given certificate: what a TLS-inspecting network or a
 * reverse proxy shows the client. `page` answers every request with that HTML instead (a block page or portal).
 */
export async function startTlsFront(options: {
  target?: string;
  certPem: string;
  keyPem: string;
  page?: string;
  record?: boolean;
}): Promise<TlsFront> {
  const target = options.target ? new URL(options.target) : undefined;
  const records: FrontRecord[] = [];
  // Keeps tunnels and TLS sessions open between requests, as production fronts do: on a slow link every new
  // connection costs several round trips.
  const server = createHttpsServer(
    { cert: options.certPem, key: options.keyPem, keepAliveTimeout: 65_000 },
    (req, res) => {
      if (options.page !== undefined || !target) {
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(options.page ?? '<!doctype html><title>Portal</title>');
        return;
      }
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: Number(target.port),
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          if (!options.record) {
            up.pipe(res);
            return;
          }
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => {
            chunks.push(c);
            res.write(c);
          });
          up.on('end', () => {
            res.end();
            const record: FrontRecord = {
              method: req.method ?? '',
              path: req.url ?? '',
              status: up.statusCode ?? 0,
              replayed: up.headers['idempotent-replayed'] === 'true',
            };
            const key = req.headers['idempotency-key'];
            if (typeof key === 'string') record.idempotencyKey = key;
            if (req.method === 'POST' && /^\/v1\/sessions(\/mfa)?$/.test(req.url ?? '')) {
              try {
                const token = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { token?: unknown }).token;
                if (typeof token === 'string') record.sessionToken = token;
              } catch {
                // not JSON: nothing to record
              }
            }
            records.push(record);
          });
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    },
  );
  const port = await listen(server);
  return {
    port,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
