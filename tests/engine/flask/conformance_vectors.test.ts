// Replays tests/vectors/cookie_sessions.json, written by tests/peers/make_session_vectors.py with Debian's
// Flask 2.2.2 / itsdangerous 2.1.2: signed tokens at fixed timestamps, refused tokens, whole requests.
// Runs in Node and, unchanged, in Chromium (vitest.browser.config.ts); it also checks which runtime it is in.
import { describe, expect, inject, it } from 'vitest';
import { Flask } from '../../../src/engine/flask/app.ts';
import { sortedSessionSerializer } from '../../../src/engine/flask/sessions.ts';
import { URLSafeTimedSerializer } from '../../../src/engine/itsdangerous/url_safe.ts';
import type { DigestName } from '../../../src/engine/itsdangerous/signer.ts';
import type { PyKey, PyValue } from '../../../src/engine/python/values.ts';
import { canonical, canonicalWire, fromWire, type Wire } from '../../peers/wire.ts';
import vectors from '../../vectors/cookie_sessions.json' with { type: 'json' };

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by vitest.browser.config.ts only: the Chromium version the browser under test must report. */
    browserRuntime: { expectedChromium: string | null };
  }
}

interface SignerCase {
  keys: string[];
  salt: string;
  kd: string;
  digest: DigestName;
}
type SignVector = SignerCase & { value: Wire; ts: number; token: string; loaded: Wire; dump: string };
type ErrorVector = SignerCase & { token: string; now: number; max_age: number | null; error?: { cls: string; msg: string }; loaded?: Wire };
type Action = ['set', Wire, Wire] | ['permanent', boolean] | ['clear'] | ['get', Wire];
interface RequestVector {
  now: number;
  cookie: string | null;
  config: { SESSION_REFRESH_EACH_REQUEST: boolean; PERMANENT_SESSION_LIFETIME: number };
  actions: Action[];
  status: number;
  set_cookie: string[];
  vary: string | null;
  reads: Wire[];
}
const data = vectors as unknown as { sign: SignVector[]; errors: ErrorVector[]; requests: RequestVector[] };

function serializer(c: SignerCase, now: number): URLSafeTimedSerializer {
  return new URLSafeTimedSerializer(c.keys, {
    salt: c.salt,
    serializer: sortedSessionSerializer,
    signerKwargs: { keyDerivation: c.kd, digestMethod: c.digest, now: () => now },
  });
}

describe('runtime', () => {
  const runtime = inject('browserRuntime');
  it(runtime ? 'runs inside Chromium, not Node' : 'runs in Node (the browser config reruns this file in Chromium)', async () => {
    type UAData = { getHighEntropyValues(hints: string[]): Promise<{ uaFullVersion?: string }> };
    const g = globalThis as {
      window?: unknown;
      document?: { createElement?: unknown };
      navigator?: { userAgent?: string; userAgentData?: UAData };
      process?: { versions?: { node?: string } };
    };
    if (runtime) {
      expect(typeof g.document?.createElement).toBe('function');
      expect(g.process?.versions?.node).toBeUndefined();
      expect(g.navigator?.userAgent).toMatch(/Chrome\/\d+/);
      if (runtime.expectedChromium) {
        // The user agent string is reduced to MAJOR.0.0.0; the full version comes from client hints.
        const full = await g.navigator?.userAgentData?.getHighEntropyValues(['uaFullVersion']);
        expect(full?.uaFullVersion).toBe(runtime.expectedChromium);
      }
    } else {
      expect(g.window).toBeUndefined();
      expect(g.process?.versions?.node).toMatch(/^\d+\./);
    }
  });
});

describe('cookie-session vectors from Debian Flask 2.2.2', () => {
  it('has enough cases to mean something', () => {
    expect(data.sign.length).toBeGreaterThanOrEqual(100);
    expect(data.errors.length).toBeGreaterThanOrEqual(50);
    expect(data.requests.length).toBeGreaterThanOrEqual(30);
  });

  it('signs every value to the same token, and loads it back as Flask did', () => {
    for (const v of data.sign) {
      const s = serializer(v, v.ts);
      const value = fromWire(v.value);
      expect(s.dumps(value), JSON.stringify(v.value)).toBe(v.token);
      const loaded = s.loads(v.token) as PyValue;
      expect(canonical(loaded)).toBe(canonicalWire(v.loaded));
      expect(sortedSessionSerializer.dumps(loaded)).toBe(v.dump);
    }
  });

  it('refuses tampered, expired, future and wrong-key tokens with the same class and message', () => {
    for (const v of data.errors) {
      let outcome: { cls: string; msg: string } | { loaded: string };
      try {
        outcome = { loaded: canonical(serializer(v, v.now).loads(v.token, v.max_age) as PyValue) };
      } catch (e) {
        outcome = { cls: (e as Error).name, msg: (e as Error).message };
      }
      expect(outcome, v.token).toEqual(v.error ?? { loaded: canonicalWire(v.loaded!) });
    }
  });

  it('answers whole requests with the same Set-Cookie bytes and Vary', async () => {
    for (const v of data.requests) {
      const app = new Flask({ config: { SECRET_KEY: 'dev', ...v.config }, now: () => v.now });
      const reads: string[] = [];
      app.route('/', ({ session }) => {
        for (const a of v.actions) {
          if (a[0] === 'set') session.set(fromWire(a[1]) as PyKey, fromWire(a[2]));
          else if (a[0] === 'permanent') session.permanent = a[1];
          else if (a[0] === 'clear') session.clear();
          else reads.push(canonical(session.get(fromWire(a[1]) as PyKey)));
        }
        return 'ok';
      });
      const { response } = await app.handle({ url: '/', headers: v.cookie ? [['Cookie', `session=${v.cookie}`]] : [] });
      expect(response.status).toBe(v.status);
      expect(reads).toEqual(v.reads.map(canonicalWire));
      expect(response.getSetCookie(), JSON.stringify(v.actions)).toEqual(v.set_cookie);
      expect(response.header('Vary')).toBe(v.vary);
    }
  });
});
