// Lab 6, pickle in a shared store: a shop on Flask-Session 0.3-style Redis sessions (pickled values) whose Redis
// takes commands from anyone (a port left open without a password; here it answers at /_redis). Flask-Session
// 0.3.2 loads whatever pickle it finds under `session:<id>`, and a pickle can name a function and call it while
// it loads. Here nothing is ever imported or called: the engine's pickle reader *describes* the calls (GLOBAL +
// REDUCE) instead, and the app records "would run: <command>" (the X-Lab-Record header) when one of them hands
// a command to the shell (`os.system`, which pickles as `posix.system`, and friends). That record is the goal.
// The fixed mode reads the same store with the reader that only builds plain data: the pickle is refused before
// anything in it could run, and the visitor gets an empty session.
import { Flask } from '../../engine/flask/app.ts';
import type { TraceEvent } from '../../engine/flask/trace.ts';
import { MemoryStore } from '../../engine/flask_session/custom.ts';
import { commandOf, type PickleCall } from '../../engine/flask_session/pickle.ts';
import { LegacyRedisSessionInterface } from '../../engine/flask_session/redis.ts';
import { pyRepr, pyStr } from '../../engine/python/repr.ts';
import type { PyValue } from '../../engine/python/values.ts';
import { accountsFor, LOGIN_AND_ACCOUNT_VICTIM, loginOrOpenAccount } from '../accounts.ts';
import { redirect, text, withPasswordRoutes } from '../flask-app.ts';
import { seededBytes, seededHex } from '../random.ts';
import { headerOf } from '../simulated.ts';
import type { LabDefinition, LabResponse } from '../types.ts';
import { runCommand } from './redis-cli.ts';

export const SLUG = 'pickle-store';
/** Where the shop's Redis answers commands (POST the command line, or GET ?command=…). */
export const REDIS_PATH = '/_redis';

/** A described call as one line of Python: `posix.system('id')`. */
export function callText(call: PickleCall): string {
  const args = call.args.map((a) => {
    try {
      return pyRepr(a as PyValue);
    } catch {
      return String(a);
    }
  });
  return `${call.module}.${call.name}(${args.join(', ')})`;
}

/** The command line a request to {@link REDIS_PATH} carries: `?command=`, a form field `command`, or the raw body. */
export function commandFrom(method: string, url: string, headers: [string, string][], body: string | undefined): string | null {
  const q = url.indexOf('?');
  const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  if (query.has('command')) return query.get('command');
  if (method !== 'POST') return null;
  const type = (headerOf(headers, 'Content-Type') ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(body ?? '');
    if (form.has('command')) return form.get('command');
  }
  return body ?? '';
}

const plain = (body: string, status = 200): LabResponse => ({ status, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: body.endsWith('\n') ? body : `${body}\n` });

export const lab: LabDefinition = {
  slug: SLUG,
  ...LOGIN_AND_ACCOUNT_VICTIM,
  create(seed, mode, { prefix, now }) {
    const accounts = accountsFor(seed, SLUG);
    const redis = new MemoryStore(now, { maxEntries: 10_000 });
    let calls: PickleCall[] = [];
    const sessionInterface = new LegacyRedisSessionInterface({
      client: redis,
      randomBytes: seededBytes(seed, `${SLUG}/sid`),
      toClientBytes: (b) => b,
      ...(mode === 'vulnerable' ? { onPickleCalls: (made: PickleCall[]) => void calls.push(...made) } : {}),
    });
    const app = new Flask({ config: { SECRET_KEY: seededHex(seededBytes(seed, `${SLUG}/key`), 32), SESSION_COOKIE_PATH: prefix || '/' }, now, sessionInterface });
    withPasswordRoutes(app, prefix, {
      title: `Lab 6: Flask-Session 0.3-style sessions in Redis, stored as pickles (${mode === 'vulnerable' ? "read with Python's pickle, as 0.3.2 reads them" : 'read by a reader that only builds plain data'}).`,
      account: 'who is logged in',
      more: [
        `The shop's Redis takes commands from anyone: POST a command line to ${prefix}${REDIS_PATH}`,
        `  (GET, SET key value [EX s], SETEX, DEL, EXISTS, KEYS pattern, TTL, DBSIZE; "quoted" values take \\xHH escapes).`,
      ],
      accounts,
      loggedIn: () => redirect(`${prefix}/account`),
    })
      .route('/account', ({ session }) => {
        const user = session.get('user');
        return user === null ? text('You are not logged in.') : text(`Logged in as ${pyStr(user)}.`);
      })
      .route('/logout', ({ session }) => {
        session.pop('user', null);
        return redirect(`${prefix}/account`);
      });

    return {
      async handle(request, context) {
        const path = request.url.split('?')[0];
        if (path === REDIS_PATH) {
          const command = commandFrom(request.method, request.url, request.headers, request.body);
          if (command === null) return plain(`Send a Redis command: POST it as the body (or as the form field command), or GET ${prefix}${REDIS_PATH}?command=…`, 400);
          return plain(await runCommand(redis, command));
        }
        calls = [];
        const refused: string[] = [];
        const { response } = await app.handle({ method: request.method, url: request.url, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}) }, (e: TraceEvent) => {
          if (e.type === 'error' && /^UnsafePickleError/.test(e.error)) refused.push(e.error);
        });
        const res: LabResponse = { status: response.status, headers: response.headers.map(([k, v]) => [k, v] as [string, string]), body: request.method === 'HEAD' ? '' : response.body };
        const records: [string, string][] = [];
        for (const call of calls) {
          const command = commandOf(call);
          records.push(['X-Lab-Record', command !== null ? `would run: ${command} (${callText(call)})` : `would call: ${callText(call)}`]);
          if (command !== null) context.reachGoal();
        }
        for (const error of refused) records.push(['X-Lab-Record', `refused: ${error}`]);
        return { ...res, headers: [...res.headers, ...records] };
      },
      victim: (action, _arg, { send }) => loginOrOpenAccount(action, accounts, send),
    };
  },
};
