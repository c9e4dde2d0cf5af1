#!/usr/bin/env node
// The JavaScript budget: for every page in dist/, the gzip size of the JavaScript it runs before the
// reader does anything. Run after `astro build`. Exit 1 when any page is over the budget.
//
// Two passes, and the larger set wins:
// 1. Static: the page's inline scripts, its <script src> files, <link rel="modulepreload"> files, and
//    every module those reach through static `import` / `export … from` (followed transitively).
//    Modules reached only through `import()` are listed as deferred and not counted.
// 2. Browser: the page is opened in headless Chromium from a local file server and left alone until the
//    network is quiet; every script it fetched (including idle-time `import()`s and workers) is added.
//    This catches code that is dynamically imported without any interaction, such as a search UI that
//    loads itself once the page is idle. Skip it with --static-only.
//
// Usage: node scripts/size-budget.mjs [--static-only] [--budget-kb=60] [--dist=dist]

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, posix, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
const BUDGET_KB = Number(option('budget-kb', '60'));
const DIST = resolve(option('dist', 'dist'));
const STATIC_ONLY = args.includes('--static-only');

/** gzip at level 9, as a build-time precompressor would serve it. */
const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => (bytes / 1024).toFixed(1);

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...htmlFiles(path));
    else if (name.endsWith('.html')) out.push(path);
  }
  return out.sort();
}

/** The URL path a file in dist/ is served at (`dist/a/index.html` → `/a/`). */
function urlPathOf(file) {
  const rel = relative(DIST, file).split(sep).join('/');
  if (rel === 'index.html') return '/';
  if (rel.endsWith('/index.html')) return `/${rel.slice(0, -'index.html'.length)}`;
  return `/${rel}`;
}

/** The file in dist/ behind a same-origin URL path, or null when it is not there. */
function fileOf(urlPath) {
  const clean = decodeURIComponent(urlPath.split(/[?#]/)[0]);
  const candidates = [clean, posix.join(clean, 'index.html'), `${clean}.html`];
  for (const candidate of candidates) {
    const path = join(DIST, ...candidate.split('/').filter(Boolean));
    if (!path.startsWith(DIST)) return null;
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return null;
}

const JS_TYPES = new Set(['', 'module', 'text/javascript', 'application/javascript']);

/** Attributes of one start tag, lower-cased names; boolean attributes map to ''. */
function attributes(tag) {
  const attrs = {};
  const re = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  const body = tag.replace(/^<\w+/, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(re)) attrs[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  return attrs;
}

/** What the HTML itself asks for: inline script text, external scripts and modulepreloads. */
function scan(html) {
  const inline = [];
  const external = [];
  for (const m of html.matchAll(/(<script\b[^>]*>)([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = attributes(m[1]);
    if (!JS_TYPES.has((attrs.type ?? '').toLowerCase())) continue; // JSON, ld+json, templates
    if (attrs.src !== undefined) external.push(attrs.src);
    else if (m[2].trim()) inline.push(m[2]);
  }
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const attrs = attributes(m[0]);
    const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
    if (rel.includes('modulepreload') && attrs.href) external.push(attrs.href);
  }
  return { inline, external };
}

const STATIC_IMPORT = /(?:^|[;\s}{)])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?(["'`])([^"'`\n]+?)\1/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(["'`])([^"'`$\n]+?)\1\s*\)/g;

/** Same-origin URL path of `spec` imported from the module at URL path `from`, or null if external. */
function resolveSpec(spec, from) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec) || spec.startsWith('//')) return null;
  return new URL(spec, `http://site${from}`).pathname;
}

const moduleCache = new Map();
/** Static imports and dynamic imports named by one module file. */
function moduleLinks(urlPath) {
  if (moduleCache.has(urlPath)) return moduleCache.get(urlPath);
  const file = fileOf(urlPath);
  const links = { file, statics: [], dynamics: [] };
  if (file) {
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(STATIC_IMPORT)) {
      const target = resolveSpec(m[2], urlPath);
      if (target) links.statics.push(target);
    }
    for (const m of code.matchAll(DYNAMIC_IMPORT)) {
      const target = resolveSpec(m[2], urlPath);
      if (target) links.dynamics.push(target);
    }
  }
  moduleCache.set(urlPath, links);
  return links;
}

/** Static pass for one page: counted files, inline bytes, and modules that are only imported dynamically. */
function staticPass(file) {
  const pagePath = urlPathOf(file);
  const { inline, external } = scan(readFileSync(file, 'utf8'));
  const counted = new Set();
  const missing = [];
  const dynamic = new Set();
  const queue = external.map((src) => resolveSpec(src, pagePath)).filter(Boolean);
  while (queue.length) {
    const next = queue.shift();
    if (counted.has(next)) continue;
    const links = moduleLinks(next);
    if (!links.file) {
      missing.push(next);
      continue;
    }
    counted.add(next);
    queue.push(...links.statics);
    for (const d of links.dynamics) dynamic.add(d);
  }
  for (const c of counted) dynamic.delete(c);
  return { pagePath, inline, counted, dynamic, missing };
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
};

function serveDist() {
  const server = createServer((req, res) => {
    const file = fileOf(new URL(req.url, 'http://site').pathname);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ready) => server.listen(0, '127.0.0.1', () => ready(server)));
}

async function launchChromium() {
  const { chromium } = await import('@playwright/test');
  const debian = '/usr/bin/chromium';
  const flags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
  return chromium.launch({ headless: true, args: flags, ...(existsSync(debian) ? { executablePath: debian } : {}) });
}

/** Pages the browser pass keeps open at once: most of a page's time is spent waiting for the network to go quiet. */
const BROWSER_PAGES_AT_ONCE = 4;

/** Browser pass: the same-origin script URL paths each page fetches while nobody touches it. */
async function browserPass(pages) {
  const server = await serveDist();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchChromium();
  const loaded = new Map();
  try {
    const context = await browser.newContext();
    const visit = async (pagePath) => {
      const page = await context.newPage();
      const seen = new Set();
      const record = (url) => {
        const u = new URL(url);
        if (u.origin === origin && /\.m?js$/.test(u.pathname)) seen.add(u.pathname);
      };
      page.on('request', (request) => {
        if (request.resourceType() === 'script' || /\.m?js(\?|$)/.test(request.url())) record(request.url());
      });
      page.on('worker', (worker) => record(worker.url()));
      await page.goto(origin + pagePath, { waitUntil: 'networkidle' });
      // Let requestIdleCallback / setTimeout loaders run, then wait for the network to settle again.
      // The idle callback has a deadline, so a page that never goes idle cannot hold the whole test line.
      await page.evaluate(() => new Promise((done) => {
        const then = () => setTimeout(done, 300);
        if (window.requestIdleCallback) window.requestIdleCallback(then, { timeout: 5000 });
        else setTimeout(then, 0);
      }));
      await page.waitForLoadState('networkidle');
      loaded.set(pagePath, seen);
      await page.close();
    };
    const queue = [...pages];
    await Promise.all(
      Array.from({ length: Math.min(BROWSER_PAGES_AT_ONCE, queue.length) }, async () => {
        while (queue.length) await visit(queue.shift());
      }),
    );
  } finally {
    await browser.close();
    server.close();
  }
  return loaded;
}

const sizeCache = new Map();
function fileGzip(urlPath) {
  if (!sizeCache.has(urlPath)) {
    const file = fileOf(urlPath);
    sizeCache.set(urlPath, file ? gzipSize(readFileSync(file)) : 0);
  }
  return sizeCache.get(urlPath);
}

async function main() {
  if (!existsSync(DIST)) {
    console.error(`size-budget: ${relative(process.cwd(), DIST)}/ does not exist; run \`astro build\` first.`);
    process.exit(1);
  }
  const files = htmlFiles(DIST);
  const passes = files.map(staticPass);
  let browser = null;
  if (!STATIC_ONLY) browser = await browserPass(passes.map((p) => p.pagePath));

  const rows = [];
  for (const p of passes) {
    const idle = new Set();
    for (const url of browser?.get(p.pagePath) ?? []) if (!p.counted.has(url)) idle.add(url);
    const inlineBytes = p.inline.length ? gzipSize(Buffer.from(p.inline.join('\n'))) : 0;
    const staticBytes = [...p.counted].reduce((sum, u) => sum + fileGzip(u), 0);
    const idleBytes = [...idle].reduce((sum, u) => sum + fileGzip(u), 0);
    const deferred = [...p.dynamic].filter((u) => !idle.has(u));
    const total = inlineBytes + staticBytes + idleBytes;
    rows.push({ page: p.pagePath, inlineBytes, staticBytes, idleBytes, total, files: [...p.counted, ...idle], deferred, missing: p.missing });
  }

  const header = ['page', 'inline', 'static', 'idle', 'total KB gzip', ''];
  const table = rows.map((r) => [r.page, kb(r.inlineBytes), kb(r.staticBytes), kb(r.idleBytes), kb(r.total), r.total > BUDGET_KB * 1024 ? `OVER ${BUDGET_KB} KB` : 'ok']);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  console.log(`JavaScript before interaction, gzip -9 (budget ${BUDGET_KB} KB per page${STATIC_ONLY ? ', static pass only' : ''})`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));

  if (args.includes('--verbose')) {
    for (const r of rows) {
      console.log(`\n${r.page}`);
      for (const f of r.files) console.log(`  ${kb(fileGzip(f)).padStart(6)} KB  ${f}`);
      for (const f of r.deferred) console.log(`  (deferred) ${kb(fileGzip(f)).padStart(6)} KB  ${f}`);
    }
  }
  const missing = rows.flatMap((r) => r.missing.map((m) => `${r.page} → ${m}`));
  if (missing.length) {
    console.error(`\nScripts referenced but not found in dist/:\n  ${missing.join('\n  ')}`);
    process.exit(1);
  }
  const over = rows.filter((r) => r.total > BUDGET_KB * 1024);
  if (over.length) {
    console.error(`\n${over.length} page(s) over the ${BUDGET_KB} KB budget: ${over.map((r) => r.page).join(', ')}`);
    process.exit(1);
  }
  console.log(`\nAll ${rows.length} pages within ${BUDGET_KB} KB.`);
}

await main();
