// What the lab apps share: plain-text and redirect responses, the password labs' index and login, and the bridge
// from an engine `Flask` app to a lab app (the lab's context is available to views while a request is handled; the
// runtime runs one at a time).
import { Flask, type View, type ViewContext } from '../engine/flask/app.ts';
import { Response } from '../engine/flask/wrappers.ts';
import { VICTIM } from './accounts.ts';
import type { LabRequest, LabRequestContext, LabResponse } from './types.ts';

/** A text/plain response. */
export function text(body: string, status = 200): Response {
  return new Response(body.endsWith('\n') ? body : `${body}\n`, status, [['Content-Type', 'text/plain; charset=utf-8']]);
}

/** A 302 to `location`. */
export function redirect(location: string): Response {
  const r = text(`Redirecting to ${location}`, 302);
  r.headers.push(['Location', location]);
  return r;
}

/** The value of `name` in an `application/x-www-form-urlencoded` body or the query string (body first). */
export function formValue(request: { args: URLSearchParams; body: string }, name: string): string | null {
  return new URLSearchParams(request.body).get(name) ?? request.args.get(name);
}

/**
 * The login view of the labs' password apps (`GET`/`POST /login`): without a user it asks for the form (unless
 * `askOnGet` is false: then that is a wrong login too); a wrong user or password is a 401; otherwise the user goes
 * into the session and `done(user, ctx)` is the answer.
 */
export function passwordLogin(accounts: ReadonlyMap<string, string>, done: (user: string, ctx: ViewContext) => Response | Promise<Response>, askOnGet = true): View {
  return (ctx) => {
    const { request, session } = ctx;
    if (askOnGet && request.method === 'GET' && !request.args.has('user')) return text('Log in: POST user=…&password=… here.');
    const user = formValue(request, 'user') ?? '';
    if (!accounts.has(user) || accounts.get(user) !== formValue(request, 'password')) return text('Wrong user name or password.', 401);
    session.set('user', user);
    return done(user, ctx);
  };
}

/** The index page and the login of a password lab: what {@link withPasswordRoutes} needs. */
export interface PasswordRoutes {
  /** The index's first line, before "Routes:". */
  title: string;
  /** What `GET /account` shows, as the index tells it. */
  account: string;
  /** Lines the index adds after its routes. */
  more?: string[];
  accounts: ReadonlyMap<string, string>;
  /** The answer to a good login (the user is in the session already). */
  loggedIn: (user: string, ctx: ViewContext) => Response | Promise<Response>;
  /** See {@link passwordLogin}. */
  askOnGet?: boolean;
}

/**
 * Adds `/`, a plain-text index of the routes every password lab has (login, account, logout), and `GET`/`POST
 * /login` ({@link passwordLogin}) to `app`; the lab adds `/account`, `/logout` and its own routes.
 */
export function withPasswordRoutes(app: Flask, prefix: string, routes: PasswordRoutes): Flask {
  const index = [
    `${routes.title} Routes:`,
    `  GET or POST ${prefix}/login   user=…&password=… (your account: guest / guest)`,
    `  GET ${prefix}/account         ${routes.account}`,
    `  GET ${prefix}/logout          log out`,
    ...(routes.more ?? []),
  ].join('\n');
  return app.route('/', () => text(index)).route('/login', passwordLogin(routes.accounts, routes.loggedIn, routes.askOnGet), { methods: ['GET', 'POST'] });
}

/**
 * Runs `app` for each lab request. `current()` gives the views the lab context of the request being handled.
 */
export class FlaskLab {
  readonly app: Flask;
  private context: LabRequestContext | null = null;

  constructor(app: Flask) {
    this.app = app;
  }

  /** The lab context of the request being handled. @throws {Error} outside a request. */
  current(): LabRequestContext {
    if (!this.context) throw new Error('no lab request is being handled');
    return this.context;
  }

  async handle(request: LabRequest, context: LabRequestContext): Promise<LabResponse> {
    this.context = context;
    try {
      const { response } = await this.app.handle({ method: request.method, url: request.url, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}) });
      return { status: response.status, headers: response.headers.map(([k, v]) => [k, v] as [string, string]), body: request.method === 'HEAD' ? '' : response.body };
    } finally {
      this.context = null;
    }
  }
}

/**
 * `GET /account` of the labs where the victim keeps a private note (`note`): 401 without a logged-in user, else who
 * is logged in and, for the victim, her note. When the learner is let in as the victim and `attacked(ctx)` says it
 * is by the lab's attack, the lab's goal is reached and the answer adds the line `solved`.
 */
export function noteAccountView(lab: FlaskLab, note: string, attacked: (ctx: ViewContext) => boolean, solved: string): View {
  return (ctx) => {
    const user = ctx.session.get('user');
    if (typeof user !== 'string') return text('Not logged in.', 401);
    const page = `Logged in as ${user}. ${user === VICTIM ? `Private note: ${note}.` : 'No notes.'}`;
    if (user === VICTIM && lab.current().client === 'learner' && attacked(ctx)) {
      lab.current().reachGoal();
      return text(`${page}\n${solved}`);
    }
    return text(page);
  };
}
