// Helpers the lab apps share: plain-text and redirect responses, and the bridge from an engine `Flask` app to a
// lab app (the lab's context is available to views while a request is handled; the runtime runs one at a time).
import { Flask, type View } from '../engine/flask/app.ts';
import { Response } from '../engine/flask/wrappers.ts';
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
 * The login view of the labs' password apps (`GET`/`POST /login`): without a user it asks for the form; a wrong
 * user or password is a 401; otherwise the user goes into the session and `done(user)` is the answer.
 */
export function passwordLogin(accounts: ReadonlyMap<string, string>, done: (user: string) => Response): View {
  return ({ request, session }) => {
    if (request.method === 'GET' && !request.args.has('user')) return text('Log in: POST user=…&password=… here.');
    const user = formValue(request, 'user') ?? '';
    if (!accounts.has(user) || accounts.get(user) !== formValue(request, 'password')) return text('Wrong user name or password.', 401);
    session.set('user', user);
    return done(user);
  };
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
