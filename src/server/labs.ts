// The labs over real HTTP under `npm start`: each learner (a random cookie, `flask_lab_learner`, Path=/labs/) gets
// their own instance of each lab, made from the same app code the page's Worker runs:
//   /labs/<slug>/app/…            the lab's app (curl, the learner's own browser)
//   GET  /labs/<slug>/api/status  {learner, slug, mode, solved, solvedAt, runtime, fallback?, exchanges} for the lab's page
//   POST /labs/<slug>/api/victim  {"action", "arg"?}: the simulated victim acts on this learner's instance
//   POST /labs/<slug>/api/mode    {"mode": "vulnerable" | "fixed"}: a new instance with that app
//   POST /labs/<slug>/api/restart a new instance, same mode
// The POST endpoints take only `Content-Type: application/json` (a cross-site form cannot send it). Labs 1 and 2
// run their real Flask app (src/labs/python/) on one Pyodide shared by all learners when the Flask archive is built
// here; otherwise, and for the other labs, the engine's app (`runtime` in the status says which). Node-only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { enableRealFlaskLabs } from '../labs/python/node.ts';
import type { RealFlask } from '../labs/python/real-flask.ts';
import { LabInstance } from '../labs/runtime.ts';
import { LAB_LOADERS } from '../labs/registry.ts';
import { LAB_MODES, LabInputError, type LabMode } from '../labs/types.ts';

export const LEARNER_COOKIE = 'flask_lab_learner';
/** Most learner instances kept at once; the least recently used goes first. */
const MAX_INSTANCES = 2000;
const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, headers: [string, string][], body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  const flat: string[] = [];
  for (const [k, v] of headers) if (k.toLowerCase() !== 'content-length') flat.push(k, v);
  flat.push('Content-Length', String(bytes.length));
  res.writeHead(status, flat);
  res.end(bytes);
}

function sendJson(res: ServerResponse, status: number, value: unknown, extra: [string, string][] = []): void {
  send(res, status, [['Content-Type', 'application/json; charset=utf-8'], ['Cache-Control', 'no-store'], ...extra], JSON.stringify(value));
}

/** Most bytes read (and dropped) of a body that is too long, so the client hears the 413 before the socket closes. */
const DRAIN_LIMIT = 1024 * 1024;

/** The body as UTF-8 text, or null when it is longer than MAX_BODY (the rest is read and dropped, up to DRAIN_LIMIT). */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DRAIN_LIMIT) {
      req.destroy();
      return null;
    }
    if (size <= MAX_BODY) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8');
}

function headerPairs(req: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  return pairs;
}

function learnerOf(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === LEARNER_COOKIE && /^[A-Za-z0-9_-]{16,64}$/.test(part.slice(eq + 1))) return part.slice(eq + 1);
  }
  return null;
}

/** The labs' HTTP side: `match` says whether a path is its own, `handle` answers it. */
export interface LabsHandler {
  match(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The instance of a learner, for tests. */
  instance(learner: string, slug: string): LabInstance | undefined;
}

const PATH = /^\/labs\/([a-z0-9-]+)\/(app|api)(\/.*)?$/;

/**
 * @param options.python the Python labs 1 and 2 run on: by default the process's own, started on the first request
 * to one of them when the Flask archive is built here; null keeps every lab on the engine.
 */
export function createLabsHandler(options: { python?: RealFlask | null } = {}): LabsHandler {
  const instances = new Map<string, LabInstance>();
  let python: RealFlask | null | undefined = options.python;
  const pythonFor = (): RealFlask | null => (python === undefined ? (python = enableRealFlaskLabs().python) : python);

  function drop(instance: LabInstance | undefined): void {
    instance?.dispose();
  }

  async function get(learner: string, slug: string, mode?: LabMode, fresh = false): Promise<LabInstance> {
    const key = `${learner} ${slug}`;
    const current = instances.get(key);
    if (current && !fresh && (mode === undefined || mode === current.mode)) {
      instances.delete(key);
      instances.set(key, current);
      return current;
    }
    const made = await LabInstance.create(slug, `${learner}:${slug}`, mode ?? current?.mode ?? 'vulnerable', { prefix: `/labs/${slug}/app`, python: pythonFor() });
    if (instances.get(key) !== made) drop(instances.get(key));
    instances.delete(key);
    instances.set(key, made);
    while (instances.size > MAX_INSTANCES) {
      const oldest = instances.keys().next().value!;
      drop(instances.get(oldest));
      instances.delete(oldest);
    }
    return made;
  }

  let flask: string | undefined;
  async function status(learner: string, instance: LabInstance): Promise<unknown> {
    const s = instance.snapshot();
    if (s.runtime === 'flask' && flask === undefined) flask = await python?.flaskVersion?.().catch(() => undefined);
    return { learner, slug: s.slug, mode: s.mode, solved: s.solved, solvedAt: s.solvedAt, runtime: s.runtime, ...(s.runtime === 'flask' && flask ? { flask } : {}), ...(s.fallback !== undefined ? { fallback: s.fallback } : {}), exchanges: s.exchanges.slice(-60) };
  }

  async function answer(req: IncomingMessage, res: ServerResponse, slug: string, part: 'app' | 'api', rest: string, query: string): Promise<void> {
    let learner = learnerOf(req);
    const extra: [string, string][] = [];
    if (!learner) {
      learner = randomBytes(18).toString('base64url');
      extra.push(['Set-Cookie', `${LEARNER_COOKIE}=${learner}; Path=/labs/; HttpOnly; SameSite=Lax`]);
    }
    const method = req.method ?? 'GET';
    if (part === 'app') {
      const body = await readBody(req);
      if (body === null) return send(res, 413, [['Content-Type', 'text/plain; charset=utf-8']], 'Request body too large\n');
      const instance = await get(learner, slug);
      const x = await instance.request({ method, url: (rest || '/') + query, headers: headerPairs(req), ...(body ? { body } : {}) });
      return send(res, x.status, [...x.responseHeaders, ['Cache-Control', 'no-store'], ...extra], method === 'HEAD' ? '' : x.body);
    }
    if (rest === '/status') {
      if (method !== 'GET' && method !== 'HEAD') return sendJson(res, 405, { error: 'use GET for /status' }, [['Allow', 'GET, HEAD'], ...extra]);
      return sendJson(res, 200, await status(learner, await get(learner, slug)), extra);
    }
    if (rest !== '/victim' && rest !== '/mode' && rest !== '/restart') return sendJson(res, 404, { error: `no such lab endpoint: ${rest || '/'} (try /status, /victim, /mode, /restart)` }, extra);
    if (method !== 'POST') return sendJson(res, 405, { error: `use POST for ${rest}` }, [['Allow', 'POST'], ...extra]);
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sendJson(res, 415, { error: 'send a JSON body with Content-Type: application/json' }, extra);
    const text = await readBody(req);
    if (text === null) return sendJson(res, 413, { error: `the body is larger than ${MAX_BODY} bytes` }, extra);
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, { error: 'the body is not a JSON object' }, extra);
    }
    if (rest === '/restart') return sendJson(res, 200, await status(learner, await get(learner, slug, undefined, true)), extra);
    if (rest === '/mode') {
      if (!LAB_MODES.includes(body.mode as LabMode)) return sendJson(res, 400, { error: `mode must be 'vulnerable' or 'fixed'` }, extra);
      return sendJson(res, 200, await status(learner, await get(learner, slug, body.mode as LabMode, true)), extra);
    }
    if (typeof body.action !== 'string' || (body.arg !== undefined && typeof body.arg !== 'string')) return sendJson(res, 400, { error: 'give {"action": text, "arg": text (when the action needs one)}' }, extra);
    const instance = await get(learner, slug);
    await instance.victim(body.action, body.arg as string | undefined);
    return sendJson(res, 200, await status(learner, instance), extra);
  }

  return {
    match: (path) => {
      const m = PATH.exec(path);
      return m !== null && Object.hasOwn(LAB_LOADERS, m[1]!);
    },
    handle(req, res) {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      const m = PATH.exec(path)!;
      answer(req, res, m[1]!, m[2] as 'app' | 'api', m[3] ?? '', q === -1 ? '' : url.slice(q)).catch((err: unknown) => {
        if (res.headersSent) return void res.destroy();
        if (err instanceof LabInputError) sendJson(res, 400, { error: err.message, ...(err.key ? { key: err.key, params: err.params } : {}) });
        else sendJson(res, 500, { error: 'Internal Server Error' });
      });
    },
    instance: (learner, slug) => instances.get(`${learner} ${slug}`),
  };
}
