// `npm start`: the built site from dist/ and, under /live/, the demo app on each session interface, so a
// lesson page can link to a real server and a learner can watch a real cookie in DevTools:
//   /live/cookie/…        Flask's signed cookie                   (cookie `session_cookie`)
//   /live/custom/…        the blog posts' MySessionInterface      (cookie `session_custom`)
//   /live/custom-fixed/…  the corrected interface                 (cookie `session_custom_fixed`)
//   /live/redis/…         Flask-Session 0.8 on in-process Redis   (cookie `session_redis`)
//   /live/sqlalchemy/…    Flask-Session 0.8 on a SQLite file      (cookie `session_sqlalchemy`; /store lists the rows)
//   /live/filesystem/…    Flask-Session 0.8 on files (cachelib)   (cookie `session_filesystem`; /store lists the files)
// Each app's SESSION_COOKIE_PATH is its mount point, so the cookies never meet. Node-only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLimitedServer, type ConnectionLimits } from './connections.ts';
import { createNodeHandler } from './node.ts';
import { cacheControl, createStaticHandler as createFileHandler } from './static-files.ts';
import { createServedApp, type InterfaceName, type ServedApp } from './interfaces.ts';
import { createLabsHandler } from './labs.ts';

/** Content types by file extension, for what an Astro build emits. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.py': 'text/x-python; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.pf_fragment': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

/**
 * Caching of the exercise runtime (dist/runtime/, scripts/runtime-dist.mjs): its manifest is checked on every
 * load; every other file there has a versioned path or is fetched with ?v=<sha256> from the manifest, so a
 * browser keeps it for good and Pyodide's 13 MB are downloaded once.
 */
function runtimeCacheControl(path: string): string | null {
  if (!path.startsWith('/runtime/')) return null;
  return path === '/runtime/manifest.json' ? 'no-cache' : 'public, max-age=31536000, immutable';
}

/** The mounted demo apps: mount point, interface and cookie name. */
const LIVE_MOUNTS: { prefix: string; iface: InterfaceName; cookieName: string }[] = [
  { prefix: '/live/cookie', iface: 'cookie', cookieName: 'session_cookie' },
  { prefix: '/live/custom', iface: 'custom', cookieName: 'session_custom' },
  { prefix: '/live/custom-fixed', iface: 'custom-fixed', cookieName: 'session_custom_fixed' },
  { prefix: '/live/redis', iface: 'redis', cookieName: 'session_redis' },
  { prefix: '/live/sqlalchemy', iface: 'sqlalchemy', cookieName: 'session_sqlalchemy' },
  { prefix: '/live/filesystem', iface: 'filesystem', cookieName: 'session_filesystem' },
];

/** Options of {@link startSite}. */
export interface SiteOptions {
  /** The built site (default: dist/ next to package.json). */
  root?: string;
  /** Default 4321; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** SECRET_KEY of the demo apps (default `dev`, so a lesson can show how a known key is verified and cracked). */
  secret?: string;
  /** Timeouts and connection caps (defaults: DEFAULT_CONNECTION_LIMITS). */
  limits?: Partial<ConnectionLimits>;
}

/** A running site: where it listens and how to stop it. */
export interface RunningSite {
  url: string;
  port: number;
  server: Server;
  apps: ServedApp[];
  close(): Promise<void>;
}

/**
 * The static half: files of the built site with security headers, caching, conditional requests and byte ranges,
 * never a file whose real path is outside `root` (see static-files.ts).
 */
export function createStaticHandler(root: string): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return createFileHandler(
    root,
    (file) => CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    (path) => runtimeCacheControl(path) ?? cacheControl(path),
  );
}

function sendText(res: ServerResponse, status: number, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

/** The mount a path belongs to (`/live/custom` does not swallow `/live/custom-fixed`), or null. */
export function findMount<T extends { prefix: string }>(mounts: T[], path: string): T | null {
  let best: T | null = null;
  for (const m of mounts) {
    if ((path === m.prefix || path.startsWith(m.prefix + '/')) && (!best || m.prefix.length > best.prefix.length)) best = m;
  }
  return best;
}

/** Starts the site with the live demo apps mounted. @throws the listen error (e.g. EADDRINUSE). */
export async function startSite(options: SiteOptions = {}): Promise<RunningSite> {
  const root = options.root ?? fileURLToPath(new URL('../../dist/', import.meta.url));
  const host = options.host ?? '127.0.0.1';
  const secret = options.secret ?? 'dev';
  const apps: ServedApp[] = [];
  const mounts: { prefix: string; handle: (req: IncomingMessage, res: ServerResponse) => void }[] = [];
  // The SQL and file stores keep their SQLite file and session files in a fresh temporary folder, removed on close.
  const scratch = await mkdtemp(join(tmpdir(), 'flask-session-lab-live-'));
  for (const m of LIVE_MOUNTS) {
    const where = m.iface === 'sqlalchemy' ? { sqlitePath: join(scratch, 'sessions.db') } : m.iface === 'filesystem' ? { dir: join(scratch, 'flask_session') } : {};
    const served = await createServedApp({ interface: m.iface, secret, prefix: m.prefix, cookieName: m.cookieName, ...where });
    apps.push(served);
    mounts.push({ prefix: m.prefix, handle: createNodeHandler(served.app) });
  }
  const statics = createStaticHandler(root);
  // The labs' apps and their status endpoints (/labs/<slug>/app/…, /labs/<slug>/api/…), one instance per learner.
  const labs = createLabsHandler();
  const server = createLimitedServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (labs.match(path)) {
      labs.handle(req, res);
      return;
    }
    const mount = findMount(mounts, path);
    if (mount) {
      // The app sees its own paths (/set, /get, …); its redirects and cookie path carry the prefix.
      req.url = (path.slice(mount.prefix.length) || '/') + (q === -1 ? '' : url.slice(q));
      mount.handle(req, res);
      return;
    }
    statics(req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Internal Server Error\n');
      else res.destroy();
    });
  }, options.limits);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 4321, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/`,
    port,
    server,
    apps,
    close: async () => {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      await Promise.all(apps.map((a) => a.close()));
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const envPort = process.env.PORT;
  const port = envPort === undefined || envPort === '' ? 4321 : Number(envPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`site: PORT must be a port number, not '${envPort}'\n`);
    process.exitCode = 2;
    return;
  }
  const site = await startSite({ port });
  process.stdout.write(`Flask Session Lab: ${site.url}\n`);
  process.stdout.write(`Live demo apps (SECRET_KEY 'dev'): ${LIVE_MOUNTS.map((m) => `${site.url.slice(0, -1)}${m.prefix}/`).join('  ')}\n`);
  const stop = (): void => {
    void site.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`site: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
