// How the site server answers for a file of the built site: which file (never one whose real path leaves the root,
// symlinks included), with which security headers and caching, whole or a byte range, gzip-compressed when the
// client accepts it and the type compresses (a whole answer only; a range is always of the file's own bytes).
//
// The Content-Security-Policy is computed here, at serve time, from the HTML being sent: each inline script of a page
// is allowed by its SHA-256 hash and nothing else inline runs. (Astro's own CSP support writes a <meta> policy, which
// cannot carry frame-ancestors, and it leaves inline scripts to the site; a header built from the files themselves
// covers every page and every inline script the build emits.)
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Types worth compressing: text of every kind, and WebAssembly (Pyodide's 9.6 MB module gzips to 3.6 MB). */
export function compressible(type: string): boolean {
  return /^(text\/|application\/(javascript|json|manifest\+json|xml|wasm)|image\/svg\+xml)/.test(type);
}

/** True when an Accept-Encoding header allows gzip (a `q=0` refuses it). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== 'gzip' && name !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Compressed bodies, made once per file version (the built site does not change while it is served). */
const gzipped = new Map<string, { key: string; bytes: Buffer }>();

/** What every page may load: its own origin only, WebAssembly compiled (Pagefind, Pyodide), no plugins, no framing. */
const PAGE_DIRECTIVES = [
  "default-src 'self'",
  // script-src is added per page: 'self', 'wasm-unsafe-eval' and the hashes of that page's inline scripts.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** The policy of a page whose inline scripts hash to `hashes` (each `sha256-…`). */
export function pagePolicy(hashes: string[]): string {
  const script = ["script-src 'self' 'wasm-unsafe-eval'", ...hashes.map((h) => `'${h}'`)].join(' ');
  return [PAGE_DIRECTIVES[0], script, ...PAGE_DIRECTIVES.slice(1)].join('; ');
}

/**
 * Headers sent with every file: no MIME sniffing, no referrer leaving the site, no framing (for browsers without
 * CSP 2), and cross-origin isolation (the site loads nothing from other origins): an isolated page may share memory
 * with its Python Worker, which is how a learner's endless loop is interrupted instead of the Worker being replaced.
 */
export const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Script types a browser runs (a JSON data block is not a script to allow). */
const RUNNABLE = /^(|module|text\/javascript|application\/javascript)$/i;

/** The `sha256-…` source of every inline script in an HTML document, in order, without repeats. */
export function inlineScriptHashes(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = m[1]!;
    if (/\ssrc\s*=/i.test(attrs)) continue;
    const type = /\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
    if (type && !RUNNABLE.test((type[1] ?? type[2] ?? type[3] ?? '').trim())) continue;
    out.add(`sha256-${createHash('sha256').update(m[2]!, 'utf8').digest('base64')}`);
  }
  return [...out];
}

/** `Cache-Control` for a path: a year for Astro's content-hashed assets, revalidation for everything else. */
export function cacheControl(urlPath: string): string {
  return urlPath.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** A parsed `Range` header against a file of `size` bytes. */
export type RangeAnswer = { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Reads a `Range` header as RFC 9110 §14 asks of a server: one `bytes=` range (`a-b`, `a-`, `-n`) is served;
 * several ranges, another unit or a malformed header are ignored (the whole file, 200); a range that starts past
 * the end, or a zero-length suffix, is unsatisfiable (416).
 */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { kind: 'whole' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'whole' };
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'whole' }; // invalid: last before first
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end };
}

/** The real path of `path` when it lies inside `realRoot` (symlinks resolved), else null. */
async function inside(realRoot: string, path: string): Promise<string | null> {
  try {
    const real = await realpath(path);
    return real === realRoot || real.startsWith(realRoot + sep) ? real : null;
  } catch {
    return null;
  }
}

/** The file a path names under the root: the file itself, or a directory's index.html, whose real path stays inside. */
async function fileAt(realRoot: string, path: string): Promise<{ file: string; size: number; mtimeMs: number } | null> {
  const real = await inside(realRoot, path);
  if (real === null) return null;
  try {
    const s = await stat(real);
    if (s.isFile()) return { file: real, size: s.size, mtimeMs: s.mtimeMs };
    if (s.isDirectory()) return fileAt(realRoot, join(real, 'index.html'));
  } catch {
    // gone since
  }
  return null;
}

/** One page's policy, kept while the file keeps its size and time. */
const policies = new Map<string, { key: string; policy: string }>();

function sendText(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Security-Policy': pagePolicy([]), 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(bytes.length), ...extra });
  res.end(bytes);
}

/**
 * The static half of the site server: maps a URL path to a file under `root` (a directory gives its index.html;
 * `/a` also finds `a.html`), never to a file whose real path is outside `root`; answers 404 with the language
 * folder's 404 page (zh-cn/404/) or root/404.html when there is one. Every answer carries the security headers; pages carry their own script hashes in the policy.
 * @param contentType the Content-Type for a file name.
 * @param cacheFor the Cache-Control for a URL path (default {@link cacheControl}).
 */
export function createStaticHandler(
  root: string,
  contentType: (file: string) => string,
  cacheFor: (urlPath: string) => string = cacheControl,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const base = resolve(root);
  let realRoot: Promise<string> | null = null;
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      sendText(res, 400, 'Bad Request\n');
      return;
    }
    realRoot ??= realpath(base).catch(() => base);
    const rootReal = await realRoot;
    const target = normalize(join(base, path));
    let found: Awaited<ReturnType<typeof fileAt>> = null;
    if (!path.includes('\0') && (target === base || target.startsWith(base + sep))) {
      found = (await fileAt(rootReal, target)) ?? (path.endsWith('/') ? null : await fileAt(rootReal, `${target}.html`));
    }
    let status = 200;
    if (found === null) {
      status = 404;
      // A language folder (zh-cn/) has a 404 page of its own in that language; the root one serves the rest.
      const folder = /^\/([a-z]{2}(?:-[a-z]{2})?)\//.exec(path)?.[1];
      found = (folder ? await fileAt(rootReal, join(base, folder, '404')) : null) ?? (await fileAt(rootReal, join(base, '404.html')));
      if (found === null) {
        sendText(res, 404, 'Not Found\n');
        return;
      }
    }
    const type = contentType(found.file);
    const headers: Record<string, string> = { ...COMMON_HEADERS, 'Content-Type': type };
    const isHtml = type.startsWith('text/html');
    // A page is read whole (its policy needs its scripts); any other file is streamed from disk.
    const body = isHtml ? await readFile(found.file) : null;
    const size = body ? body.length : found.size;
    if (body) {
      const key = `${found.size}:${found.mtimeMs}`;
      let cached = policies.get(found.file);
      if (!cached || cached.key !== key) {
        cached = { key, policy: pagePolicy(inlineScriptHashes(body.toString('utf8'))) };
        policies.set(found.file, cached);
      }
      headers['Content-Security-Policy'] = cached.policy;
    } else {
      // Any other file, a Worker's script included (a Worker follows the policy of its own script's response): the
      // same rules without inline scripts. Pyodide starts and runs under it (no eval needed; WebAssembly allowed).
      headers['Content-Security-Policy'] = pagePolicy([]);
    }
    const send = (code: number, start: number, end: number): void => {
      headers['Content-Length'] = String(end - start);
      res.writeHead(code, headers);
      if (req.method === 'HEAD') res.end();
      else if (body) res.end(body.subarray(start, end));
      else if (end === start) res.end();
      else
        createReadStream(found.file, { start, end: end - 1 })
          .on('error', () => res.destroy())
          .pipe(res);
    };
    if (status !== 200) {
      headers['Cache-Control'] = 'no-cache';
      send(status, 0, size);
      return;
    }
    headers['Cache-Control'] = cacheFor(path);
    headers['Last-Modified'] = new Date(Math.floor(found.mtimeMs / 1000) * 1000).toUTCString();
    headers['ETag'] = `"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`;
    headers['Accept-Ranges'] = 'bytes';
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === headers['ETag'] || t.trim() === '*')) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    // If-Range with another validator means the file changed: send it whole.
    const ifRange = req.headers['if-range'];
    const range = ifRange !== undefined && ifRange !== headers['ETag'] && ifRange !== headers['Last-Modified'] ? ({ kind: 'whole' } as const) : parseRange(req.headers.range, size);
    if (range.kind === 'unsatisfiable') {
      sendText(res, 416, 'Range Not Satisfiable\n', { 'Content-Range': `bytes */${size}` });
      return;
    }
    if (range.kind === 'whole') {
      if (compressible(type)) {
        headers['Vary'] = 'Accept-Encoding';
        if (acceptsGzip(req.headers['accept-encoding']) && req.headers.range === undefined) {
          const key = `${found.size}:${found.mtimeMs}`;
          let cached = gzipped.get(found.file);
          if (!cached || cached.key !== key) {
            cached = { key, bytes: gzipSync(body ?? (await readFile(found.file)), { level: 6 }) };
            gzipped.set(found.file, cached);
          }
          const etag = `${headers['ETag']!.slice(0, -1)}-gzip"`;
          headers['ETag'] = etag;
          if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag)) {
            res.writeHead(304, headers);
            res.end();
            return;
          }
          headers['Content-Encoding'] = 'gzip';
          headers['Content-Length'] = String(cached.bytes.length);
          res.writeHead(200, headers);
          res.end(req.method === 'HEAD' ? undefined : cached.bytes);
          return;
        }
      }
      send(200, 0, size);
      return;
    }
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
    send(206, range.start, range.end + 1);
  };
}
