// The `npm start` server: static files from a built site (content types, index.html, 404 page, nothing outside
// the root) and the four live demo apps under /live/, each with its own cookie name and path.
import { cacheFileName } from '../../src/engine/flask_session/index.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMount, startSite, type RunningSite } from '../../src/server/site.ts';
import { Jar } from './helpers.ts';

let dir = '';
let site: RunningSite;
let base = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'session-lab-site-'));
  const root = join(dir, 'dist');
  mkdirSync(join(root, 'guide'), { recursive: true });
  mkdirSync(join(root, '_astro'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Home</title>');
  writeFileSync(join(root, '404.html'), '<!doctype html><title>Not here</title>');
  writeFileSync(join(root, 'guide', 'index.html'), '<!doctype html><title>Guide</title>');
  writeFileSync(join(root, '_astro', 'app.css'), 'body{}');
  writeFileSync(join(root, '_astro', 'app.js'), 'export {}');
  writeFileSync(join(root, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
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
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/guide/../../secret.txt']) {
      const raw = await rawGet(path);
      expect(raw.status, path).toBe(404);
      expect(raw.body).not.toContain('outside the root');
    }
    expect((await fetch(base + '/', { method: 'POST' })).status).toBe(405);
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
