// The class server (`npm run classroom`): a room's copy of the site on the teacher's laptop, with a live
// dashboard of what the students' pages submit.
//
// Why one server for both: the students' pages are served by this same server (dist/, through the site server's
// own static-file code, so the same Content-Security-Policy and headers), which makes every submission a
// same-origin request. The pages' policy (connect-src 'self') needs no exception, no CORS preflight is involved,
// and a class link naming any other origin is ignored by the page (src/classroom/server-link.ts).
//
//   GET  /                    the dashboard (for the teacher); anyone else gets the site's home
//   GET  /?teacher=<token>    the teacher token: remembered in a cookie (HttpOnly, SameSite=Strict), then 303 to /
//   GET  /class/dashboard.js  its script; /class/dashboard.css its style
//   GET  /class/api/events    Server-Sent Events: `state` (everything, on connect), `entry` (one stored or
//                             re-checked entry), `recheck` (whether re-checks run); for the teacher
//   GET  /class/api/state     the same state as JSON; /class/api/results.csv the table as CSV; for the teacher
//   POST /class/<id>/register a student's page gives its learner id and name and gets a key of its own (201), from
//                             which its labs' seeds derive (src/labs/random.ts)
//   POST /class/<id>/submit   a student's submission (server-submission.ts), stored in one transaction, then 201
//   anything else             the built site (dist/)
//
// Bound to 127.0.0.1 unless a host is given. Every registration and submission presents the class token the
// student link carries (random, made with the class and kept in the database, so links survive a restart), and a
// registered learner's submissions their key too. "The teacher" is this machine, or a browser that presented the
// teacher token (printed at the start; kept in the database; never in a student link), e.g. a projector's.
import { networkInterfaces } from 'node:os';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { timingSafeEqual } from 'node:crypto';
import { createLimitedServer, type ConnectionLimits } from '../server/connections.ts';
import { createStaticHandler } from '../server/site.ts';
import { COMMON_HEADERS, pagePolicy } from '../server/static-files.ts';
import { loadExercises } from '../exercises/catalog.ts';
import { REPO_ROOT } from '../exercises/runtime/paths.ts';
import type { Runner } from '../exercises/runtime/node.ts';
import type { Exercise } from '../exercises/types.ts';
import { ClassStore, type Assignment, type ClassRow, type EntryRow } from './server-db.ts';
import { DASHBOARD_CSS, dashboardHtml, dashboardLang, type TaskInfo } from './server-dashboard.ts';
import { createRechecker, knownLabs, type Rechecker, type ReplayLab } from './server-recheck.ts';
import { MAX_BODY_BYTES, parseJsonBody, safeJson, SubmissionError, validateRegistration, validateSubmission } from './server-submission.ts';

export interface ClassServerOptions {
  /** The SQLite file (created when missing). */
  db: string;
  /** The built site (default dist/). */
  root?: string;
  /** Default 4322; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (this machine only). */
  host?: string;
  /** The assignment; left out, the stored class keeps its own (a new class gets every exercise). */
  assignment?: Partial<Assignment>;
  /** false: nothing is re-run (the dashboard says so); a Runner: use it (tests); default: the Node runtime. */
  recheck?: boolean | Runner;
  /** The labs' replayLab, or why there is none (default: looked up in src/labs/). */
  replayLab?: ReplayLab | string;
  limits?: Partial<ConnectionLimits>;
  /** The exercises (default: the catalog of this clone). */
  exercises?: readonly Exercise[];
  /** Which requests come from the teacher's own machine (default fromThisMachine; tests stand in for a projector). */
  isThisMachine?: (req: IncomingMessage) => boolean;
}

/** The cookie a browser that presented the teacher token keeps. */
export const TEACHER_COOKIE = 'class-teacher';

export interface RunningClassServer {
  url: string;
  port: number;
  server: Server;
  store: ClassStore;
  cls: ClassRow;
  /** The class's own address, where submissions go (`…/class/<id>/`). */
  classUrl: string;
  /** The student links (en, zh-CN). */
  links: { en: string; zh: string };
  rechecker: Rechecker | null;
  close(): Promise<void>;
}

const CLIENT_JS = readFileSync(fileURLToPath(new URL('./server-dashboard-client.js', import.meta.url)), 'utf8');

/** Is this a connection from the teacher's own machine (loopback, or to this machine's own address from itself)? */
export function fromThisMachine(req: IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.') || (a !== '' && a === req.socket.localAddress);
}

/** The base64url class code of the contract, with this server and token in it. */
export function classCode(cls: ClassRow, server: string): string {
  const code = { v: 1, name: cls.name, exercises: cls.exercises, labs: cls.labs, due: cls.due, server, token: cls.token };
  return Buffer.from(JSON.stringify(code), 'utf8').toString('base64url');
}

/** The address students reach: the host given, or for a wildcard host this machine's first outside IPv4 address. */
export function publicHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host.includes(':') ? `[${host}]` : host;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const bytes = Buffer.from(safeJson(body), 'utf8');
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Security-Policy': pagePolicy([]),
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(bytes.length),
    ...extra,
  });
  res.end(bytes);
}

function sendError(res: ServerResponse, e: SubmissionError, extra: Record<string, string> = {}): void {
  sendJson(res, e.status, { error: e.code, message: e.message }, extra);
}

/** Reads a request body up to `max` bytes; past it, rejects with a 413 SubmissionError (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      reject(new SubmissionError(413, 'too-large', `The body is ${declared} bytes; a submission may be at most ${max} bytes.`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        done = true;
        reject(new SubmissionError(413, 'too-large', `The body is more than ${max} bytes; a submission may be at most ${max} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const buf = Buffer.concat(chunks);
      try {
        resolve(new TextDecoder('utf-8', { fatal: true }).decode(buf));
      } catch {
        reject(new SubmissionError(400, 'not-utf8', 'The body is not UTF-8 text.'));
      }
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}

/** The teacher token a request's cookie carries, or ''. */
function teacherCookie(req: IncomingMessage): string {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === TEACHER_COOKIE) return part.slice(eq + 1).trim();
  }
  return '';
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * One CSV field: quoted when it holds a comma, quote or line break; and a text a spreadsheet would take for a
 * formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe, so a student's name can
 * never run as one.
 */
export function csvField(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The dashboard's table as CSV: one line per student and task, the server's verdict beside the page's claim. */
export function resultsCsv(rows: readonly EntryRow[], tasks: readonly TaskInfo[]): string {
  const version = new Map(tasks.map((t) => [`${t.kind}:${t.id}`, t.version]));
  const head = ['student', 'learner', 'kind', 'task', 'claimed', 'recheck', 'claim_differs', 'version', 'current_version', 'hints_used', 'solution_shown', 'results_sent', 'received_at'];
  const lines = [head.join(',')];
  for (const r of rows) {
    const current = version.get(`${r.kind}:${r.task}`) ?? null;
    const differs = r.recheck !== null && r.recheck !== 'unchecked' && r.recheck !== 'superseded' && r.recheck !== r.claimed;
    lines.push([r.name, r.learner, r.kind, r.task, r.claimed, r.recheck, differs, r.version, current, r.hintsUsed, r.solutionShown, r.tries, r.receivedAt].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Starts the class server. @throws the listen error (e.g. EADDRINUSE) or the database's. */
export async function startClassServer(options: ClassServerOptions): Promise<RunningClassServer> {
  const root = options.root ?? fileURLToPath(new URL('../../dist/', import.meta.url));
  const host = options.host ?? '127.0.0.1';
  const exercises = options.exercises ?? loadExercises(REPO_ROOT);
  const exerciseIds = new Set(exercises.map((e) => e.id));
  const store = new ClassStore(options.db);
  const labs = await knownLabs();
  const cls = store.openClass(options.assignment ?? {}, { exercises: exercises.map((e) => e.id), labs: labs.map((l) => l.slug) });
  const tasks: TaskInfo[] = [
    ...cls.exercises.map((id) => {
      const ex = exercises.find((e) => e.id === id);
      return { kind: 'exercise' as const, id, title: { en: ex?.title.en ?? id, 'zh-CN': ex?.title['zh-CN'] ?? id }, version: ex?.version ?? null };
    }),
    ...cls.labs.map((slug) => {
      const title = labs.find((l) => l.slug === slug)?.title;
      return { kind: 'lab' as const, id: slug, title: { en: `Lab: ${title?.en ?? slug}`, 'zh-CN': `实验：${title?.['zh-CN'] ?? slug}` }, version: null };
    }),
  ];
  const statics = createStaticHandler(root);
  const thisMachine = options.isThisMachine ?? fromThisMachine;
  const streams = new Set<ServerResponse>();
  const broadcast = (event: string, data: unknown): void => {
    const text = `event: ${event}\ndata: ${safeJson(data)}\n\n`;
    for (const s of streams) s.write(text);
  };
  let recheckState: { mode: 'on' | 'off'; down: string | null } = { mode: options.recheck === false ? 'off' : 'on', down: null };
  const rechecker: Rechecker | null =
    options.recheck === false
      ? null
      : createRechecker({
          store,
          cls,
          exercises,
          runner: typeof options.recheck === 'object' ? options.recheck : undefined,
          replayLab: options.replayLab,
          onChecked: (row) => broadcast('entry', row),
          onUnavailable: (why) => {
            recheckState = { mode: 'on', down: why };
            broadcast('recheck', recheckState);
          },
        });

  let url = '';
  let classUrl = '';
  let links = { en: '', zh: '' };
  const classPath = `/class/${cls.id}/`;

  const state = () => ({ seq: store.counts().entries, recheck: recheckState, rows: store.latest() });

  /** A POSTed JSON body as text, or null once an answer was sent (not JSON, too large). */
  async function jsonBody(req: IncomingMessage, res: ServerResponse): Promise<string | null> {
    const type = String(req.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(type)) {
      sendError(res, new SubmissionError(415, 'not-json', 'Send the submission as JSON (Content-Type: application/json).'));
      return null;
    }
    try {
      return await readBody(req, MAX_BODY_BYTES);
    } catch (e) {
      if (e instanceof SubmissionError) {
        // The rest of an oversize body is not read: the connection closes after the answer.
        sendError(res, e, { Connection: 'close' });
        req.resume();
        return null;
      }
      throw e;
    }
  }

  const wrongToken = () => new SubmissionError(403, 'wrong-token', 'The class token does not match this class: open the current class link your teacher gave.');

  async function register(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await jsonBody(req, res);
    if (text === null) return;
    const r = validateRegistration(parseJsonBody(text));
    if (!sameSecret(r.token, cls.token)) throw wrongToken();
    const key = store.register(cls.id, r.learner, r.name);
    if (key === null) throw new SubmissionError(409, 'learner-taken', 'This learner id is registered already: the page makes a new one and registers again.');
    sendJson(res, 201, { ok: true, learner: r.learner, key });
  }

  async function submit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await jsonBody(req, res);
    if (text === null) return;
    const parsed = parseJsonBody(text);
    const submission = validateSubmission(parsed, exerciseIds, null);
    if (!sameSecret(submission.token, cls.token)) throw wrongToken();
    // A registered learner proves it with their key; a key for a learner nobody registered is refused too.
    const registered = store.learnerKey(cls.id, submission.learner) !== null;
    if ((registered || submission.key !== null) && !(submission.key !== null && store.keyMatches(cls.id, submission.learner, submission.key))) {
      throw new SubmissionError(403, 'wrong-key', 'The learner key does not match this learner: open the class link again so the page registers anew.');
    }
    const rows = store.addSubmission(cls.id, submission);
    sendJson(res, 201, { ok: true, submission: rows[0]?.submission ?? null, entries: rows.length });
    for (const row of rows) broadcast('entry', row);
    rechecker?.kick();
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...COMMON_HEADERS, 'Content-Security-Policy': pagePolicy([]), 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    res.write(`retry: 2000\nevent: state\ndata: ${safeJson(state())}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const raw = req.url ?? '/';
    let path: string;
    let query: URLSearchParams;
    try {
      const u = new URL(raw, 'http://x');
      path = u.pathname;
      query = u.searchParams;
    } catch {
      sendJson(res, 400, { error: 'bad-url', message: 'The request URL cannot be read.' });
      return;
    }
    const get = req.method === 'GET' || req.method === 'HEAD';
    const presented = query.get('teacher');
    if (path === '/' && get && presented !== null) {
      if (!sameSecret(presented, cls.teacherToken)) {
        sendJson(res, 403, { error: 'wrong-teacher-token', message: 'This is not the teacher token of this class: use the one the class server printed when it started.' });
        return;
      }
      // Remembered in a cookie, and taken out of the address bar (a projected page shows it).
      const lang = query.get('lang');
      res.writeHead(303, { ...COMMON_HEADERS, Location: lang === 'en' || lang === 'zh-CN' ? `/?lang=${lang}` : '/', 'Set-Cookie': `${TEACHER_COOKIE}=${cls.teacherToken}; Path=/; HttpOnly; SameSite=Strict`, 'Cache-Control': 'no-store', 'Content-Length': '0' });
      res.end();
      return;
    }
    const cookie = teacherCookie(req);
    const teacher = thisMachine(req) || (cookie !== '' && sameSecret(cookie, cls.teacherToken));
    if (path === '/' && teacher && get) {
      const lang = dashboardLang(query, req.headers['accept-language']);
      const html = Buffer.from(dashboardHtml(lang, cls, links, tasks), 'utf8');
      res.writeHead(200, { ...COMMON_HEADERS, 'Content-Security-Policy': pagePolicy([]), 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': String(html.length), 'Content-Language': lang, Vary: 'Accept-Language' });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    if (path === '/class/dashboard.js' || path === '/class/dashboard.css') {
      const body = Buffer.from(path.endsWith('.js') ? CLIENT_JS : DASHBOARD_CSS, 'utf8');
      res.writeHead(200, { ...COMMON_HEADERS, 'Content-Security-Policy': pagePolicy([]), 'Content-Type': path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Length': String(body.length) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (path === '/class/api/events' || path === '/class/api/state' || path === '/class/api/results.csv') {
      if (!teacher) {
        sendJson(res, 403, { error: 'teacher-only', message: 'The class results are shown on the teacher’s machine only, or where the teacher token was given (open /?teacher=<token> with the token the class server printed).' });
        return;
      }
      if (path.endsWith('/events')) events(req, res);
      else if (path.endsWith('.csv')) {
        const body = Buffer.from(resultsCsv(store.latest(), tasks), 'utf8');
        res.writeHead(200, { ...COMMON_HEADERS, 'Content-Security-Policy': pagePolicy([]), 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="class-${cls.id}.csv"`, 'Cache-Control': 'no-store', 'Content-Length': String(body.length) });
        res.end(req.method === 'HEAD' ? undefined : body);
      } else sendJson(res, 200, state());
      return;
    }
    const m = /^\/class\/([^/]+)\/(submit|register)$/.exec(path);
    if (m) {
      if (req.method !== 'POST') {
        sendJson(res, 405, { error: 'method', message: 'Submit with POST.' }, { Allow: 'POST' });
        return;
      }
      if (m[1] !== cls.id) {
        req.resume();
        sendJson(res, 404, { error: 'unknown-class', message: 'There is no such class on this server: open the current class link your teacher gave.' });
        return;
      }
      (m[2] === 'register' ? register(req, res) : submit(req, res)).catch((e: unknown) => {
        if (res.headersSent) return res.destroy();
        if (e instanceof SubmissionError) sendError(res, e);
        else sendJson(res, 500, { error: 'server', message: `The submission could not be stored: ${e instanceof Error ? e.message : String(e)}` });
      });
      return;
    }
    if (path.startsWith('/class/')) {
      sendJson(res, 404, { error: 'not-found', message: 'Nothing here: the dashboard is at /, submissions go to /class/<id>/submit.' });
      return;
    }
    statics(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server', message: 'The file could not be read.' });
      else res.destroy();
    });
  };

  const server = createLimitedServer(handler, options.limits);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 4322, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${publicHost(host)}:${port}`;
  url = `${origin}/`;
  classUrl = `${origin}${classPath}`;
  const code = classCode(cls, classUrl);
  links = { en: `${origin}/exercises/#class=${code}`, zh: `${origin}/zh-cn/exercises/#class=${code}` };
  // Keep-alive for the event streams: a comment every 15 s, so a quiet room's stream is not taken for stalled.
  const beat = setInterval(() => {
    for (const s of streams) s.write(': keep-alive\n\n');
  }, 15_000);
  beat.unref();
  // Entries stored but not re-checked before the last stop are re-checked now.
  rechecker?.kick();
  return {
    url,
    port,
    server,
    store,
    cls,
    classUrl,
    links,
    rechecker,
    close: async () => {
      clearInterval(beat);
      for (const s of streams) s.end();
      streams.clear();
      rechecker?.close();
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}
