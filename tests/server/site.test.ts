// The `npm start` server: static files from a built site (content types, index.html, 404 page, nothing outside
// the root) and the four live demo apps under /live/, each with its own cookie name and path.
import { gunzipSync } from 'node:zlib';
import { acceptsGzip } from '../../src/server/static-files.ts';
import { createHash } from 'node:crypto';
import { cacheFileName } from '../../src/engine/flask_session/index.ts';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMount, startSite, type RunningSite } from '../../src/server/site.ts';
import { inlineScriptHashes, parseRange } from '../../src/server/static-files.ts';
import { Jar } from './helpers.ts';

let dir = '';
/** Two inline scripts a page may run, a JSON data block, and an external script. */
const INLINE_A = "document.documentElement.dataset.theme='dark';";
const INLINE_B = 'console.log(1)';
const PAGE_SCRIPTS = `<script>${INLINE_A}</script><script type="module">${INLINE_B}</script><script type="application/json" data-state>{"a":1}</script><script type="module" src="/_astro/app.js"></script>`;
const sha = (text: string): string => `sha256-${createHash('sha256').update(text).digest('base64')}`;
let site: RunningSite;
let base = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'session-lab-site-'));
  const root = join(dir, 'dist');
  mkdirSync(join(root, 'guide'), { recursive: true });
  mkdirSync(join(root, '_astro'));
  writeFileSync(join(root, 'index.html'), `<!doctype html><title>Home</title>${PAGE_SCRIPTS}`);
  writeFileSync(join(root, '404.html'), '<!doctype html><title>Not here</title>');
  mkdirSync(join(root, 'zh-cn', '404'), { recursive: true });
  writeFileSync(join(root, 'zh-cn', '404', 'index.html'), '<!doctype html><title>页面未找到</title>');
  writeFileSync(join(root, 'guide', 'index.html'), '<!doctype html><title>Guide</title>');
  writeFileSync(join(root, '_astro', 'app.css'), 'body{}');
  writeFileSync(join(root, '_astro', 'app.js'), 'export {}');
  writeFileSync(join(root, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
  writeFileSync(join(root, '_astro', 'digits.txt'), '0123456789');
  // Symlinks inside the root: one to a file outside it, one to a directory outside it, one to a file inside it.
  mkdirSync(join(dir, 'elsewhere'));
  writeFileSync(join(dir, 'elsewhere', 'passwd'), 'outside the root too');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'evil.txt'));
  symlinkSync(join(dir, 'elsewhere'), join(root, 'evil-dir'));
  symlinkSync(join(root, 'favicon.svg'), join(root, 'icon.svg'));
  site = await startSite({ root, port: 0 });
  base = site.url.slice(0, -1);
});

afterAll(async () => {
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET, so the path reaches the server exactly as written (fetch would resolve `..`). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: site.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files', () => {
  it('serves pages, assets with their content types, and index.html for directories', async () => {
    for (const [path, type, text] of [
      ['/', 'text/html; charset=utf-8', 'Home'],
      ['/guide/', 'text/html; charset=utf-8', 'Guide'],
      ['/guide', 'text/html; charset=utf-8', 'Guide'],
      ['/_astro/app.css', 'text/css; charset=utf-8', 'body{}'],
      ['/_astro/app.js', 'text/javascript; charset=utf-8', 'export {}'],
      ['/favicon.svg', 'image/svg+xml', '<svg/>'],
    ] as const) {
      const r = await fetch(base + path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toBe(type);
      expect(await r.text()).toContain(text);
    }
  });

  it('answers 404 with the site 404 page, and never serves a file outside the root', async () => {
    const r = await fetch(`${base}/no/such/page`);
    expect(r.status).toBe(404);
    expect(await r.text()).toContain('Not here');
    const zh = await fetch(`${base}/zh-cn/no/such/page`);
    expect([zh.status, await zh.text()]).toEqual([404, '<!doctype html><title>页面未找到</title>']);
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/guide/../../secret.txt']) {
      const raw = await rawGet(path);
      expect(raw.status, path).toBe(404);
      expect(raw.body).not.toContain('outside the root');
    }
    expect((await fetch(base + '/', { method: 'POST' })).status).toBe(405);
  });
});

describe('security headers, caching, symlinks and ranges', () => {
  it("a page's policy allows its own inline scripts by hash and nothing else inline; every answer has the headers", async () => {
    const r = await fetch(`${base}/`);
    const csp = r.headers.get('content-security-policy')!;
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src '))!;
    expect(scriptSrc.split(' ').sort()).toEqual(["'self'", "'wasm-unsafe-eval'", `'${sha(INLINE_A)}'`, `'${sha(INLINE_B)}'`, 'script-src'].sort());
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("worker-src 'self'");
    expect(scriptSrc).not.toContain('unsafe-inline');
    for (const path of ['/', '/_astro/app.js', '/no/such/page', '/favicon.svg']) {
      const h = (await fetch(base + path)).headers;
      expect(h.get('x-content-type-options'), path).toBe('nosniff');
      expect(h.get('referrer-policy'), path).toBe('same-origin');
      expect(h.get('content-security-policy'), path).toContain("default-src 'self'");
    }
    expect(inlineScriptHashes(PAGE_SCRIPTS)).toEqual([sha(INLINE_A), sha(INLINE_B)]);
  });

  it('hashed assets are cached for a year, pages revalidate; an unchanged file answers 304', async () => {
    const asset = await fetch(`${base}/_astro/app.css`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const page = await fetch(`${base}/guide/`);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const again = await fetch(`${base}/guide/`, { headers: { 'If-None-Match': page.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('a Worker script gets the page rules without any inline script or eval (Pyodide runs under them)', async () => {
    const w = await fetch(`${base}/_astro/app.js`, { headers: { 'Sec-Fetch-Dest': 'worker' } });
    const csp = w.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).not.toMatch(/ 'unsafe-eval'|sha256-/);
  });

  it('symlinks are served only when their real path stays inside the root', async () => {
    for (const path of ['/evil.txt', '/evil-dir/passwd']) {
      const r = await rawGet(path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('outside the root');
    }
    const inside = await fetch(`${base}/icon.svg`);
    expect([inside.status, await inside.text()]).toEqual([200, '<svg/>']);
  });

  it('Range: one range is a 206 with Content-Range, a suffix too; past the end is 416; several ranges give the whole file', async () => {
    const get = (range: string, extra: Record<string, string> = {}) => fetch(`${base}/_astro/digits.txt`, { headers: { Range: range, ...extra } });
    const part = await get('bytes=2-4');
    expect([part.status, part.headers.get('content-range'), await part.text()]).toEqual([206, 'bytes 2-4/10', '234']);
    const suffix = await get('bytes=-3');
    expect([suffix.status, await suffix.text()]).toEqual([206, '789']);
    const open = await get('bytes=7-');
    expect([open.status, open.headers.get('content-length'), await open.text()]).toEqual([206, '3', '789']);
    const past = await get('bytes=10-');
    expect([past.status, past.headers.get('content-range')]).toEqual([416, 'bytes */10']);
    const many = await get('bytes=0-1,4-5');
    expect([many.status, await many.text()]).toEqual([200, '0123456789']);
    expect((await get('bytes=2-4', { 'If-Range': '"stale"' })).status).toBe(200);
    expect((await fetch(`${base}/_astro/digits.txt`)).headers.get('accept-ranges')).toBe('bytes');
    expect(parseRange('bytes=5-2', 10)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('items=0-1', 10)).toEqual({ kind: 'whole' });
  });
});

describe('compression', () => {
  /** A GET with exactly these headers and the raw bytes of the answer. */
  function get(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: site.port, path, method: 'GET', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('a page or a script is gzipped when the client accepts it, with its own ETag; never for a range or when refused', async () => {
    const plain = await get('/', {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    const zipped = await get('/', { 'Accept-Encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    expect((await get('/', { 'Accept-Encoding': 'gzip', 'If-None-Match': String(zipped.headers.etag) })).status).toBe(304);
    // The page's policy is the same either way.
    expect(zipped.headers['content-security-policy']).toBe(plain.headers['content-security-policy']);
    expect((await get('/_astro/app.js', { 'Accept-Encoding': 'gzip' })).headers['content-encoding']).toBe('gzip');
    expect((await get('/', { 'Accept-Encoding': 'gzip;q=0' })).headers['content-encoding']).toBeUndefined();
    const part = await get('/_astro/digits.txt', { 'Accept-Encoding': 'gzip', Range: 'bytes=2-4' });
    expect(part.status).toBe(206);
    expect(part.headers['content-encoding']).toBeUndefined();
    expect(part.body.toString()).toBe('234');
  });

  it('reads Accept-Encoding as RFC 9110 does', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('br, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('br')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});

describe('live demo apps', () => {
  for (const [prefix, name] of [
    ['/live/cookie', 'session_cookie'],
    ['/live/custom', 'session_custom'],
    ['/live/custom-fixed', 'session_custom_fixed'],
    ['/live/redis', 'session_redis'],
    ['/live/sqlalchemy', 'session_sqlalchemy'],
    ['/live/filesystem', 'session_filesystem'],
  ] as const) {
    it(`${prefix}: /set then /get round trip, cookie ${name} scoped to ${prefix}`, async () => {
      const jar = new Jar();
      const set = await jar.get(`${base}${prefix}/set?key=lang&value=${encodeURIComponent('中文')}`);
      expect(set.status).toBe(200);
      expect(set.setCookies).toHaveLength(1);
      expect(set.setCookies[0]).toMatch(new RegExp(`^${name}=[^;]+; .*Path=${prefix}(;|$)`));
      expect([...jar.cookies.keys()]).toEqual([name]);
      const got = await jar.get(`${base}${prefix}/get?key=lang`);
      expect(got.status).toBe(200);
      expect(got.body).toBe('中文');
      // Without the cookie the app knows nothing.
      expect((await new Jar().get(`${base}${prefix}/get?key=lang`)).status).toBe(404);
    });
  }

  it('the blog posts\' login app redirects inside its mount', async () => {
    const jar = new Jar();
    const r = await jar.get(`${base}/live/redis/login?user=ada`);
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/live/redis/index');
    expect((await jar.get(`${base}/live/redis/index`)).body).toBe('Logged in as ada');
    expect((await jar.get(`${base}/live/redis`)).body).toMatch(/GET \/live\/redis\/set\?key=K&value=V/);
  });

  it('the SQL and file stores list what they hold at /store', async () => {
    const jar = new Jar();
    await jar.get(`${base}/live/sqlalchemy/login?user=ada`);
    const sid = jar.cookies.get('session_sqlalchemy');
    const rows = (await jar.get(`${base}/live/sqlalchemy/store`)).body;
    expect(rows).toMatch(/^SELECT id, session_id, data, expiry FROM sessions;/);
    expect(rows).toContain(`session:${sid}  X'`);
    const files = new Jar();
    await files.get(`${base}/live/filesystem/login?user=ada`);
    const listing = (await files.get(`${base}/live/filesystem/store`)).body;
    expect(listing).toMatch(/^ls flask_session\/  -- \d+ file\(s\)/);
    expect(listing).toContain(`${cacheFileName(`session:${files.cookies.get('session_filesystem')}`)}  `);
    expect(listing).toContain("(cachelib's file counter)");
  });

  it('mount matching respects path segments', () => {
    const mounts = [{ prefix: '/live/custom' }, { prefix: '/live/custom-fixed' }];
    expect(findMount(mounts, '/live/custom-fixed/get')?.prefix).toBe('/live/custom-fixed');
    expect(findMount(mounts, '/live/custom/get')?.prefix).toBe('/live/custom');
    expect(findMount(mounts, '/live/custom')?.prefix).toBe('/live/custom');
    expect(findMount(mounts, '/live/customer')).toBeNull();
  });
});
