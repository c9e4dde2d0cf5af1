// Small pieces the labs with simulated infrastructure (a shared cache, a load balancer, an open Redis) share.
import type { SessionApp, SessionMixin } from '../engine/flask/sessions.ts';
import type { Response } from '../engine/flask/wrappers.ts';
import { MySessionInterface, type MySession } from '../engine/flask_session/custom.ts';

/** The value of the first header with this name (case-insensitive), or null. */
export function headerOf(headers: readonly [string, string][], name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1] ?? null;
}


/**
 * The tutorial's MySessionInterface (lesson 5) with one flaw corrected: its save step assigns instead of
 * `setdefault`, so a login after an earlier visit sticks. Every other flaw stays (one dict per process, no
 * `Vary: Cookie`, a cookie on every response); those are what labs 4 and 5 are about.
 */
export class AssigningMySessionInterface extends MySessionInterface {
  override saveSession(app: SessionApp, session: SessionMixin, response: Response): void {
    // Dropping the old value first makes the tutorial's `setdefault` store the new one.
    this.container.delete((session as MySession).sid);
    super.saveSession(app, session, response);
  }
}
