import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../shared/contract';
import { startWebHost, WEB_CSP, type WebHost } from './server';

const hosts: WebHost[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(
  extra: { openDeepLink?: (url: string) => Promise<unknown>; onJourneyChanged?: (l: () => void) => () => void } = {},
) {
  const rendererDir = mkdtempSync(join(tmpdir(), 'techpass-renderer-'));
  dirs.push(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>TechPass</title>');
  const getAppInfo = vi.fn(async () => ({
    name: 'TechPass Onboarding',
    version: '1',
    platform: 'linux',
    host: 'web' as const,
  }));
  const openDeepLink = vi.fn(async () => ({}));
  const handlers = { getAppInfo, openDeepLink } as unknown as Handlers;
  const host = await startWebHost({ handlers, rendererDir, token: 'fixed-test-token', ...extra });
  hosts.push(host);
  return { host, getAppInfo, openDeepLink };
}

/** Raw HTTP so the Host header can be set freely (fetch forbids it). */
function raw(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (done, fail) => {
      const req = request(
        { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', fail);
      req.end(opts.body);
    },
  );
}

describe('web host', () => {
  it('listens on 127.0.0.1 only', async () => {
    const { host } = await start();
    expect(host.server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it('serves the contract only with the per-launch token and JSON', async () => {
    const { host, getAppInfo } = await start();
    const headers = { host: `127.0.0.1:${host.port}`, 'content-type': 'application/json' };
    const denied = await raw(host.port, '/bridge/getAppInfo', { method: 'POST', headers, body: '{}' });
    expect(denied.status).toBe(403);
    const okRes = await raw(host.port, '/bridge/getAppInfo', {
      method: 'POST',
      headers: { ...headers, 'x-bridge-token': 'fixed-test-token' },
      body: '{}',
    });
    expect(JSON.parse(okRes.body)).toMatchObject({ ok: true, result: { host: 'web' } });
    expect(getAppInfo).toHaveBeenCalledOnce();
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { host } = await start();
    const r = await raw(host.port, '/', { headers: { host: `evil.example:${host.port}` } });
    expect(r.status).toBe(421);
  });

  it('serves the app with the CSP header', async () => {
    const { host } = await start();
    const r = await raw(host.port, '/', { headers: { host: `127.0.0.1:${host.port}` } });
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toBe(WEB_CSP);
  });

  it('GET /?deeplink=… applies the link like the OS would, then shows the app (fragment kept by the browser)', async () => {
    const opened: string[] = [];
    const { host } = await start({ openDeepLink: async (u) => void opened.push(u) });
    const link = 'techpass-onboarding://register?token=AAAAAAAAAAAAAAAAAAAAAAAA';
    const r = await raw(host.port, `/?deeplink=${encodeURIComponent(link)}`, {
      headers: { host: `127.0.0.1:${host.port}` },
    });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(opened).toEqual([link]);
  });

  it('GET /deeplink?url=… applies the link and sends the user back to the open window, never handing out the token', async () => {
    const { host, openDeepLink } = await start();
    const link = 'techpass-onboarding://register?token=AAAAAAAAAAAAAAAAAAAAAAAA';
    const r = await raw(host.port, `/deeplink?url=${encodeURIComponent(link)}`, {
      headers: { host: `127.0.0.1:${host.port}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.location).toBeUndefined();
    expect(JSON.stringify(r.headers)).not.toContain('fixed-test-token');
    expect(r.body).not.toContain('fixed-test-token');
    expect(r.body).toMatch(/Go back to the TechPass Onboarding window/);
    expect(r.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(openDeepLink).toHaveBeenCalledWith({ url: link });
    const missing = await raw(host.port, '/deeplink', { headers: { host: `127.0.0.1:${host.port}` } });
    expect(missing.status).toBe(400);
    expect(missing.body).not.toContain('fixed-test-token');
  });

  it('the open window learns of a journey change by long-polling /events (token required)', async () => {
    const listeners = new Set<() => void>();
    const { host } = await start({ onJourneyChanged: (l) => (listeners.add(l), () => listeners.delete(l)) });
    const headers = { host: `127.0.0.1:${host.port}`, 'content-type': 'application/json' };
    expect((await raw(host.port, '/events', { method: 'POST', headers, body: '{"since":-1}' })).status).toBe(403);
    const authed = { ...headers, 'x-bridge-token': 'fixed-test-token' };
    const first = JSON.parse(
      (await raw(host.port, '/events', { method: 'POST', headers: authed, body: '{"since":-1}' })).body,
    );
    expect(first).toEqual({ ok: true, result: { version: 0 } });
    const waiting = raw(host.port, '/events', { method: 'POST', headers: authed, body: '{"since":0}' });
    await new Promise((r) => setTimeout(r, 50));
    for (const l of listeners) l();
    expect(JSON.parse((await waiting).body)).toEqual({ ok: true, result: { version: 1 } });
  });

  it("answers the first screen's reads in one request, in the order asked, and nothing else that way", async () => {
    const { host, getAppInfo } = await start();
    const headers = { host: `127.0.0.1:${host.port}`, 'content-type': 'application/json' };
    const authed = { ...headers, 'x-bridge-token': 'fixed-test-token' };
    const batch = (body: string, h: Record<string, string> = authed) =>
      raw(host.port, '/bridge-batch', { method: 'POST', headers: h, body });
    expect((await batch('{"methods":["getAppInfo"]}', headers)).status).toBe(403);
    expect(getAppInfo).not.toHaveBeenCalled();
    // getJourney has no handler in this stand-in: its own envelope says so, the others still answer.
    const answer = JSON.parse((await batch('{"methods":["getAppInfo","getJourney","getAppInfo"]}')).body);
    expect(answer.ok).toBe(true);
    expect(answer.result).toHaveLength(3);
    expect(answer.result[0]).toMatchObject({ ok: true, result: { host: 'web' } });
    expect(answer.result[1]).toMatchObject({ ok: false });
    expect(answer.result[2]).toMatchObject({ ok: true, result: { host: 'web' } });
    // Only the first screen's payload-free reads: a method that acts, an unknown one, or any extra field is refused.
    for (const body of [
      '{"methods":["openDeepLink"]}',
      '{"methods":["getAppInfo","nope"]}',
      '{"methods":[]}',
      '{"methods":["getAppInfo","getAppInfo","getAppInfo","getAppInfo"]}',
      '{"methods":["getAppInfo"],"payload":{"url":"x"}}',
      '["getAppInfo"]',
    ]) {
      const refused = await batch(body);
      expect([refused.status, JSON.parse(refused.body)]).toEqual([400, { ok: false, error: { code: 'BAD_REQUEST' } }]);
    }
    expect(getAppInfo).toHaveBeenCalledTimes(2);
  });

  it('bad percent-encoding → 400, never a 500', async () => {
    const { host } = await start();
    const headers = {
      host: `127.0.0.1:${host.port}`,
      'content-type': 'application/json',
      'x-bridge-token': 'fixed-test-token',
    };
    const bridge = await raw(host.port, '/bridge/%E0%A4%A', { method: 'POST', headers, body: '{}' });
    expect(bridge.status).toBe(400);
    const file = await raw(host.port, '/assets/%zz.js', { headers: { host: `127.0.0.1:${host.port}` } });
    expect(file.status).toBe(400);
    const deeplink = await raw(host.port, '/deeplink?url=%E0%A4%A', { headers: { host: `127.0.0.1:${host.port}` } });
    expect(deeplink.status).toBeLessThan(500);
  });

  it('an oversized body → 413 that reaches the client (no reset), and the host keeps serving', async () => {
    const { host, getAppInfo } = await start();
    const headers = {
      host: `127.0.0.1:${host.port}`,
      'content-type': 'application/json',
      'x-bridge-token': 'fixed-test-token',
    };
    const big = `{"x":"${'a'.repeat(2 * 1024 * 1024)}"}`;
    const r = await raw(host.port, '/bridge/getAppInfo', { method: 'POST', headers, body: big });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(getAppInfo).not.toHaveBeenCalled();
    const okRes = await raw(host.port, '/bridge/getAppInfo', { method: 'POST', headers, body: '{}' });
    expect(okRes.status).toBe(200);
  });
});
