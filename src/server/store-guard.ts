// What the server does when the session store misbehaves, which Flask leaves to the deployment:
// - the store does not answer → 503 "Session store unavailable", no Set-Cookie, nothing half-written;
// - the store answers with a value that must not or cannot be read (a hostile pickle, garbage, a value
//   too large) → the request goes on with a fresh session instead of a 500, and the trace says why.
// Both are decided here, around an engine app and its session interface, never inside the engine.
import { Flask, type Exchange, type FlaskOptions } from '../engine/flask/app.ts';
import type { SessionApp, SessionInterface, SessionMixin } from '../engine/flask/sessions.ts';
import type { TraceEvent, Tracer } from '../engine/flask/trace.ts';
import { reason } from '../engine/flask/reasons.ts';
import { Response, type Request, type RequestInit } from '../engine/flask/wrappers.ts';
import { BROWSER_COOKIE_BYTES, inflatedPastCap, tooComplex } from './limits.ts';
import { storeUnavailableCause, StoredValueTooLargeError, type StoreUnavailableError } from './redis-client.ts';

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Failures seen per request, keyed by the request's tracer. */
const failures = new WeakMap<Tracer, StoreUnavailableError>();

/** Did this request's trace record a store GET that found a value? Then a decode error is the stored value's fault. */
function readAStoredValue(trace: Tracer): boolean {
  return trace.events.some((e) => e.type === 'store-op' && (e.command === 'GET' || e.command === 'container.get') && e.hit === true);
}

/**
 * Wraps a session interface so that (1) a store that does not answer is remembered for the request (the app
 * still ends it with its own 500, which {@link GuardedFlask} then turns into a 503), and (2) a stored value
 * that cannot be read, or is too large, gives a fresh session: the session cookie is dropped from the request
 * and the interface opens again, as for a first visit. Every other error passes through unchanged.
 * @param si the interface to guard; the result inherits its other methods and fields.
 */
function guardSessionInterface<T extends SessionInterface>(si: T): T {
  const openSession = async (app: SessionApp, request: Request): Promise<SessionMixin | null> => {
    try {
      return await si.openSession(app, request);
    } catch (err) {
      const down = storeUnavailableCause(err);
      if (down) {
        failures.set(request.trace, down);
        request.trace.emit({ type: 'error', stage: 'store', error: describe(down), why: reason('guard.open-unavailable') });
        throw err;
      }
      if (inflatedPastCap(err)) {
        const cap = (si as { maxDecompressedSize?: number }).maxDecompressedSize;
        request.trace.emit({
          type: 'error',
          stage: 'open',
          error: `${describe(err)} (${describe((err as Error).cause)})`,
          why: reason('guard.inflated-past-cap', { cap: cap ?? 0, browserLimit: BROWSER_COOKIE_BYTES }),
        });
        throw err;
      }
      const complex = tooComplex(err);
      if (complex) {
        request.trace.emit({ type: 'error', stage: 'open', error: `${describe(err)} (${describe(complex)})`, why: reason('guard.payload-too-complex', { limit: complex.limit }) });
        throw err;
      }
      if (!(err instanceof StoredValueTooLargeError) && !readAStoredValue(request.trace)) throw err;
      const name = si.getCookieName(app);
      request.trace.emit({
        type: 'error',
        stage: 'store',
        error: describe(err),
        why: err instanceof StoredValueTooLargeError ? reason('guard.too-large') : reason('guard.unreadable'),
      });
      request.cookies.delete(name);
      return await si.openSession(app, request);
    }
  };
  const saveSession = async (app: SessionApp, session: SessionMixin, response: Response): Promise<void> => {
    try {
      await si.saveSession(app, session, response);
    } catch (err) {
      const down = storeUnavailableCause(err);
      if (down && response.trace) {
        failures.set(response.trace, down);
        response.trace.emit({ type: 'error', stage: 'store', error: describe(down), why: reason(down.outcomeUnknown ? 'guard.save-outcome-unknown' : 'guard.save-unavailable') });
      }
      throw err;
    }
  };
  // An object whose prototype is the interface: every other method and field is the interface's own, reached
  // without a Proxy trap on each access (this sits on every request's path).
  const guarded = Object.create(si) as T;
  Object.defineProperties(guarded, { openSession: { value: openSession }, saveSession: { value: saveSession } });
  return guarded;
}

/** The text of the 503 answer for a store failure. */
function unavailableMessage(err: StoreUnavailableError): string {
  if (err.outcomeUnknown) {
    return `503 Session store unavailable: ${err.message}. The write was sent but never confirmed, so its outcome is unknown: the store may already hold this request's change (a later request would show it) or not; no cookie was sent.\n`;
  }
  return `503 Session store unavailable: ${err.message}\n`;
}

/**
 * A Flask app whose session interface is guarded ({@link guardSessionInterface}) and whose store failures
 * become `503 Session store unavailable: …` with `Retry-After: 1` and no cookie. Other failures stay Flask's 500.
 */
export class GuardedFlask extends Flask {
  constructor(options: FlaskOptions = {}) {
    super(options);
    this.sessionInterface = guardSessionInterface(this.sessionInterface);
  }

  override async handle(init: RequestInit | Request, listener?: (e: TraceEvent) => void): Promise<Exchange> {
    const exchange = await super.handle(init, listener);
    const trace = exchange.request.trace;
    const down = failures.get(trace);
    if (!down || exchange.response.status !== 500) return exchange;
    // Replace the app's closing 500 with the 503, and say so in the trace.
    const events = trace.events;
    if (events.length && events[events.length - 1]!.type === 'response-sent') events.pop();
    trace.emit({ type: 'error', stage: 'response', error: describe(down), why: reason(down.outcomeUnknown ? 'guard.outcome-unknown' : 'guard.connection-failure') });
    const response = new Response(unavailableMessage(down), 503, [
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['Retry-After', '1'],
    ]);
    response.trace = trace;
    trace.emit({ type: 'response-sent', stage: 'response', status: 503, headers: response.headers });
    return { request: exchange.request, response, trace: trace.events };
  }
}
