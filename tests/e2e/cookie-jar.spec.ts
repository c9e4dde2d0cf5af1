// The visualizer's cookie jar against the real Chromium: the same Set-Cookie lines are stored by Chromium
// (from a loopback server it reaches as http://site.example) and by the jar; then the same requests, from the
// site itself and from another site (a link, a form POST, an image), must carry the same Cookie header, and
// document.cookie must read the same. Nothing here waits for time to pass.
import { chromium, expect, test, type Browser } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieJar, type Initiator, type RequestContext } from '../../src/components/visualizer/jar.ts';
import { chromiumLaunchOptions } from '../support/chromium.ts';

const LINES = [
  'a=1',
  'b=2; Path=/',
  'c=3; Path=/docs/x',
  'd=4; Secure; Path=/',
  'e=5; SameSite=Strict; Path=/',
  'f=6; SameSite=Lax; Path=/',
  'g=7; SameSite=None; Path=/',
  'h=8; HttpOnly; Path=/',
  'i=9; Domain=other.example; Path=/',
  'j=10; Domain=site.example; Path=/',
  '__Host-k=11; Path=/',
  'l=12; Max-Age=0; Path=/',
  'm=13; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/',
  'n=14; Path=/docs/',
  'o=15; Max-Age=31536000; SameSite=Lax; Path=/docs',
];

const REQUESTS: { path: string; initiator: Initiator }[] = [
  { path: '/docs/x/y', initiator: 'same-site' },
  { path: '/docs', initiator: 'same-site' },
  { path: '/docs/', initiator: 'same-site' },
  { path: '/docsx', initiator: 'same-site' },
  { path: '/', initiator: 'same-site' },
  { path: '/', initiator: 'cross-site-link' },
  { path: '/docs/x/z', initiator: 'cross-site-link' },
  { path: '/', initiator: 'cross-site-embed' },
  { path: '/docs/x/q', initiator: 'cross-site-form' },
];

let server: Server;
let port = 0;
let browser: Browser;
/** The Cookie header each probe request arrived with, by probe id. */
const seen = new Map<string, string | null>();

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const probe = url.searchParams.get('probe');
    if (probe) seen.set(probe, req.headers.cookie ?? null);
    if (probe && req.method === 'POST') seen.set(`${probe}-method`, 'POST');
    if (url.pathname === '/docs/set') {
      res.setHeader('Set-Cookie', url.searchParams.getAll('c'));
      res.end('set');
      return;
    }
    if (url.pathname === '/cross') {
      const target = url.searchParams.get('target')!;
      const kind = url.searchParams.get('kind');
      res.setHeader('Content-Type', 'text/html');
      if (kind === 'link') res.end(`<a id="go" href="${target}">go</a>`);
      else if (kind === 'form') res.end(`<form id="f" method="post" action="${target}"><button id="go">go</button></form>`);
      else res.end(`<img id="img" src="${target}" alt="">`);
      return;
    }
    res.setHeader('Content-Type', 'text/html');
    res.end('<p>ok</p>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
  const options = chromiumLaunchOptions();
  // Both names reach the loopback server; to Chromium they are two sites on plain http.
  browser = await chromium.launch({ ...options, args: [...options.args, '--host-resolver-rules=MAP site.example 127.0.0.1, MAP other.example 127.0.0.1'] });
});

test.afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => server.close(() => done()));
});

test('Chromium stores and sends cookies as the visualizer jar computes', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const site = `http://site.example:${port}`;
  const query = LINES.map((l) => `c=${encodeURIComponent(l)}`).join('&');
  await page.goto(`${site}/docs/set?${query}`);
  await expect(page.locator('body')).toHaveText('set');

  const jar = new CookieJar();
  const now = Math.floor(Date.now() / 1000);
  const setReq: RequestContext = { scheme: 'http', host: 'site.example', path: '/docs/set', initiator: 'same-site' };
  const outcomes = LINES.map((l) => jar.store(l, setReq, now));
  // What Chromium kept, by name, against what the jar kept.
  const kept = (await context.cookies()).map((c) => `${c.name} ${c.path} ${c.domain.replace(/^\./, '')} ${c.httpOnly} ${c.sameSite}`).sort();
  const chromiumSameSite = { Strict: 'Strict', Lax: 'Lax', None: 'None', Default: 'Lax' } as const;
  expect(kept).toEqual(jar.cookies.map((c) => `${c.name} ${c.path} ${c.domain} ${c.httpOnly} ${chromiumSameSite[c.sameSite]}`).sort());
  expect(outcomes.filter((o) => o.action === 'rejected').map((o) => `${o.name}: ${o.reason}`)).toEqual(['d: secure-over-http', 'g: samesite-none-needs-secure', 'i: domain-mismatch', '__Host-k: prefix']);

  for (const [i, r] of REQUESTS.entries()) {
    const probe = `p${i}`;
    const target = `${site}${r.path}?probe=${probe}`;
    if (r.initiator === 'same-site') {
      await page.goto(target);
    } else {
      const kind = r.initiator === 'cross-site-link' ? 'link' : r.initiator === 'cross-site-form' ? 'form' : 'img';
      await page.goto(`http://other.example:${port}/cross?kind=${kind}&target=${encodeURIComponent(target)}`);
      if (kind === 'img') await expect(page.locator('#img')).toHaveJSProperty('complete', true);
      else await Promise.all([page.waitForURL(target), page.locator('#go').click()]);
    }
    await expect.poll(() => seen.has(probe), { message: `request ${probe} reached the server` }).toBe(true);
    const ctx: RequestContext = { scheme: 'http', host: 'site.example', path: r.path, initiator: r.initiator };
    expect(seen.get(probe), `${r.initiator} ${r.path}`).toBe(jar.cookieHeader(ctx, now, r.initiator === 'cross-site-form' ? 'POST' : 'GET'));
  }

  // What a script on the home page reads: no HttpOnly cookies.
  await page.goto(`${site}/`);
  expect(await page.evaluate(() => document.cookie)).toBe(jar.documentCookie({ scheme: 'http', host: 'site.example', path: '/', initiator: 'same-site' }, now));
  await context.close();
});
