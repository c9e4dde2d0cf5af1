// The cookie size limits lesson 4 states, measured in the real Chromium: a small HTTP server of this test sets
// cookies of chosen sizes, and the browser shows (document.cookie, its cookie jar, and the Cookie header it sends
// back) which ones it kept. The figures come from BROWSER_LIMITS and the engine's tooBig() demo, the same values
// the lesson prints.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type BrowserContext } from '@playwright/test';
import { BROWSER_LIMITS, tooBig } from '../../src/lessons/attacks.ts';

let server: Server;
let origin = '';
/** The Set-Cookie header each /set/<id> answers with. */
const headers = new Map<string, string>();

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.endsWith('/echo')) {
      // /echo and /set/echo: what the browser sent back to that path
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ cookie: req.headers.cookie ?? null }));
      return;
    }
    if (url.pathname.startsWith('/set/')) {
      const h = headers.get(url.pathname.slice('/set/'.length));
      res.writeHead(h ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8', ...(h ? { 'Set-Cookie': h } : {}) });
      res.end('<!doctype html><title>set</title><p>set</p>');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done)); // any free port
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

/** Sets one header in a fresh browser, then reports what the browser kept and what it sends back. */
async function trySet(context: BrowserContext, id: string, header: string) {
  headers.set(id, header);
  const page = await context.newPage();
  await page.goto(`${origin}/set/${id}`);
  const documentCookie = await page.evaluate(() => document.cookie);
  // What the page's own request sends back, to the site root and to the folder of /set/<id> (the default path).
  const sent = (path: string) => page.evaluate(async (p) => ((await (await fetch(p)).json()) as { cookie: string | null }).cookie, path);
  const sentByPage = await sent('/echo');
  const sentUnderSet = await sent('/set/echo');
  const jar = await context.cookies(); // every cookie of this fresh context, whatever its path
  await page.close();
  return { documentCookie, sentByPage, sentUnderSet, jar };
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

// The cookie store does not depend on the viewport: measured once, on the wide project (the tag, see playwright.config.ts).
test.describe('cookie size limits in Chromium', { tag: '@wide-only' }, () => {
  test(`name + value: ${BROWSER_LIMITS.nameValue} bytes are kept, one more and the whole cookie is dropped; attributes do not count`, async ({ browser }) => {
    const max = BROWSER_LIMITS.nameValue;
    const pair = `n=${'a'.repeat(max - 1)}`; // name 1 + value 4095 = 4096 (the "=" is not counted)
    const atLimit = `${pair}; Path=/`;
    const over = `n=${'a'.repeat(max)}; Path=/`;
    const withAttributes = `${pair}; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=86400; SameSite=Lax; Path=/`;
    expect(bytes(withAttributes)).toBeGreaterThan(max + 60);

    const ctx1 = await browser.newContext();
    const kept = await trySet(ctx1, 'at-limit', atLimit);
    expect(kept.documentCookie).toBe(pair);
    expect(kept.sentByPage).toBe(pair);
    await ctx1.close();

    const ctx2 = await browser.newContext();
    const dropped = await trySet(ctx2, 'over', over);
    expect(dropped.documentCookie).toBe('');
    expect(dropped.sentByPage).toBeNull();
    expect(dropped.jar).toEqual([]);
    await ctx2.close();

    const ctx3 = await browser.newContext();
    const long = await trySet(ctx3, 'attrs', withAttributes);
    expect(long.documentCookie).toBe(pair); // a header well over 4096 bytes, kept: only name + value count
    expect(long.sentByPage).toBe(pair);
    await ctx3.close();
  });

  test(`an attribute value over ${BROWSER_LIMITS.attributeValue} bytes is ignored, the cookie kept`, async ({ browser }) => {
    const max = BROWSER_LIMITS.attributeValue;
    const path = (n: number) => `/p${'x'.repeat(n - 2)}`; // n bytes
    expect(bytes(path(max))).toBe(max);

    // Path honoured: the cookie belongs to that long path, so neither /echo nor /set/echo gets it.
    const ctx1 = await browser.newContext();
    const honoured = await trySet(ctx1, 'path-at-limit', `p=1; Path=${path(max)}`);
    expect(honoured.jar.map((c) => [c.name, c.path])).toEqual([['p', path(max)]]);
    expect([honoured.sentByPage, honoured.sentUnderSet]).toEqual([null, null]);
    await ctx1.close();

    // One byte longer: the attribute is ignored, the cookie is kept with the default path (/set, the folder
    // of the URL that set it), so /set/echo gets it.
    const ctx2 = await browser.newContext();
    const ignored = await trySet(ctx2, 'path-over', `p=1; Path=${path(max + 1)}`);
    expect(ignored.jar.map((c) => [c.name, c.path])).toEqual([['p', '/set']]);
    expect([ignored.sentByPage, ignored.sentUnderSet]).toEqual([null, 'p=1']);
    await ctx2.close();
  });

  test('the lesson’s growing session cookie: kept after Werkzeug warns, dropped once name + value pass 4096', async ({ browser }) => {
    const big = await tooBig();
    expect(big.warned.headerBytes).toBeGreaterThan(big.limit); // Werkzeug warned about this one
    expect(big.warned.nameValueBytes).toBeLessThanOrEqual(BROWSER_LIMITS.nameValue);
    expect(big.lastKept.nameValueBytes).toBeLessThanOrEqual(BROWSER_LIMITS.nameValue);
    expect(big.dropped.nameValueBytes).toBeGreaterThan(BROWSER_LIMITS.nameValue);
    const value = (h: string) => h.split(';', 1)[0]!;
    for (const [id, h, keptByChromium] of [
      ['warned', big.warned.header, true],
      ['last-kept', big.lastKept.header, true],
      ['dropped', big.dropped.header, false],
    ] as const) {
      const ctx = await browser.newContext();
      const r = await trySet(ctx, id, h);
      expect(r.documentCookie, id).toBe(''); // HttpOnly: never visible to scripts
      expect(r.sentByPage, id).toBe(keptByChromium ? value(h) : null);
      expect(r.jar.map((c) => c.httpOnly), id).toEqual(keptByChromium ? [true] : []);
      await ctx.close();
    }
  });
});
