// Lab "pickle in a shared store": a shop on Flask-Session 0.3-style Redis sessions (pickled values), and its
// Redis left open to the learner (a command box, as if its port were reachable without a password). Flask-Session
// 0.3.2 loads whatever pickle it finds under `session:<id>`; a pickle can name a function and call it while it
// loads. Here nothing is ever imported or called: the engine's pickle reader *describes* the calls (GLOBAL +
// REDUCE) instead, and the lab records "would run: <command>" when one of them hands a command to the shell
// (`os.system`, which pickles as `posix.system`, and friends). That record is the goal.
// The fixed mode reads the same store with a reader that only builds plain data: the pickle is refused before
// anything in it could run, and the visitor gets a fresh session.
import { Flask } from '../../engine/flask/app.ts';
import type { FlaskConfig } from '../../engine/flask/sessions.ts';
import type { TraceEvent } from '../../engine/flask/trace.ts';
import { MemoryStore } from '../../engine/flask_session/custom.ts';
import { commandOf, type PickleCall } from '../../engine/flask_session/pickle.ts';
import { LegacyRedisSessionInterface } from '../../engine/flask_session/redis.ts';
import { pyRepr, pyStr } from '../../engine/python/repr.ts';
import type { PyValue } from '../../engine/python/values.ts';
import {
  BaseLab,
  formOf,
  Jar,
  LabInputError,
  redirect,
  seededBytes,
  seededHex,
  text,
  type LabClient,
  type LabMode,
  type LabRequest,
  type LabResponse,
  type VictimAction,
} from '../simulated.ts';
import { runCommand } from './redis-cli.ts';

export const SLUG = 'pickle-store';
export const VICTIM = 'alice';
export const LEARNER = { user: 'guest', password: 'guest' } as const;

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

/** The lab instance. Create it with {@link createPickleStoreLab}. */
export class PickleStoreLab extends BaseLab {
  readonly slug = SLUG;
  readonly app: Flask;
  /** The simulated Redis the app keeps its sessions in. */
  readonly redis: MemoryStore;
  readonly victimPassword: string;
  private readonly victimJar: Jar;

  constructor(seed: string, mode: LabMode, prefix = '') {
    super(seed, mode, prefix);
    this.victimPassword = seededHex(seed, 'victim-password', 6);
    this.victimJar = new Jar(this.clock.now);
    this.redis = new MemoryStore(this.clock.now, { maxEntries: 10_000 });
    const sessionInterface = new LegacyRedisSessionInterface({
      client: this.redis,
      randomBytes: seededBytes(seed, 'session-ids'),
      // Plain bytes: the in-memory store keeps whatever Uint8Array it is given.
      toClientBytes: (b) => b,
      ...(mode === 'vulnerable' ? { onPickleCalls: (calls: PickleCall[], key: string) => this.observeCalls(calls, key) } : {}),
    });
    this.app = new Flask({
      config: { SECRET_KEY: seededHex(seed, 'secret-key', 16), SESSION_COOKIE_PATH: prefix || '/' } as Partial<FlaskConfig>,
      now: this.clock.now,
      sessionInterface,
    });
    const users: Record<string, string> = { [VICTIM]: this.victimPassword, [LEARNER.user]: LEARNER.password };
    this.app
      .route('/', () => text('Shop home. GET /login, POST /login (user, password), GET /account, GET /logout\n'))
      .route(
        '/login',
        ({ request, session }) => {
          if (request.method === 'GET') return text('POST user and password here (form fields) to log in.\n');
          const form = formOf(request.body);
          const user = form.get('user') ?? '';
          if (!(user in users) || users[user] !== form.get('password')) return text('Wrong user name or password.\n', 403);
          session.set('user', user);
          return redirect(prefix, '/account');
        },
        { methods: ['GET', 'POST'] },
      )
      .route('/account', ({ session }) => {
        const user = session.get('user');
        return user === null ? text('You are not logged in.\n') : text(`Logged in as ${pyStr(user)}.\n`);
      })
      .route('/logout', ({ session }) => {
        session.pop('user', null);
        return redirect(prefix, '/account');
      });
  }

  private observeCalls(calls: PickleCall[], key: string): void {
    for (const call of calls) {
      const command = commandOf(call);
      if (command !== null) this.note('would-run', { command, call: callText(call), key }, true);
      else this.note('would-call', { call: callText(call), key });
    }
  }

  victimActions(): VictimAction[] {
    return [
      { name: 'log-in', run: async () => void (await this.victimSend(this.victimJar, { method: 'POST', url: '/login', body: `user=${VICTIM}&password=${this.victimPassword}`, headers: [['Content-Type', 'application/x-www-form-urlencoded']] })) },
      { name: 'open-account', run: async () => void (await this.victimSend(this.victimJar, { method: 'GET', url: '/account' })) },
    ];
  }

  protected override async setUpScene(): Promise<void> {
    await this.victim('log-in');
  }

  /** One Redis command from the learner's command box; the reply as redis-cli prints it. */
  async store(command: string): Promise<string> {
    if (typeof command !== 'string') throw new LabInputError('bad-command', 'a Redis command is a line of text');
    if (this.log.length >= 1000) throw new LabInputError('log-full', 'this lab has recorded 1000 actions: restart it to go on', { max: 1000 });
    this.clock.tick();
    this.log.push({ type: 'store', command });
    const reply = await runCommand(this.redis, command);
    if (/^\s*(SET|SETEX)\b/i.test(command) && reply === 'OK') this.note('store-written', { command: command.length > 80 ? `${command.slice(0, 80)}…` : command });
    return reply;
  }

  protected async handle(req: LabRequest, _client: LabClient): Promise<LabResponse> {
    const refused: string[] = [];
    const x = await this.app.handle({ method: req.method, url: req.url, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) }, (e: TraceEvent) => {
      if (e.type === 'error' && /^UnsafePickleError/.test(e.error)) refused.push(e.error);
    });
    for (const error of refused) this.note('refused', { error });
    const r = x.response;
    return { status: r.status, headers: [...r.headers], body: req.method === 'HEAD' ? '' : r.body };
  }
}

/** A ready instance (the victim has logged in). @throws {LabInputError} for a bad seed, mode or prefix. */
export async function createPickleStoreLab(seed: string, mode: LabMode, prefix = ''): Promise<PickleStoreLab> {
  return new PickleStoreLab(seed, mode, prefix).setUp();
}
