// The serializer Flask builds for a session cookie, from command-line keys and scheme.
import { DEFAULT_CONFIG, SecureCookieSessionInterface, sortedSessionSerializer } from '../engine/flask/sessions.ts';
import { checkPayloadValues } from '../server/limits.ts';
import type { URLSafeTimedSerializer } from '../engine/itsdangerous/url_safe.ts';
import type { Scheme } from './common.ts';

/**
 * `SecureCookieSessionInterface().get_signing_serializer(app)` for an app with these keys, so the CLI
 * signs and verifies through exactly the code a request uses: SECRET_KEY signs, it and every
 * fallback verify; the data format is Flask's tagged JSON with sorted keys.
 * @param now the app clock, Unix seconds: the timestamp written when signing, the "now" of max_age when verifying.
 * @param maxInflatedBytes largest size a compressed payload may inflate to (default: the engine's cap).
 * @param maxValues most values the payload's JSON may hold, counted before parsing (default: no count).
 */
export function signingSerializer(keys: { secret: string; fallbacks: string[] }, scheme: Scheme, now: () => number, maxInflatedBytes?: number, maxValues?: number): URLSafeTimedSerializer {
  const iface = new SecureCookieSessionInterface();
  if (maxInflatedBytes !== undefined) iface.maxDecompressedSize = maxInflatedBytes;
  if (maxValues !== undefined) {
    iface.serializer = { dumps: sortedSessionSerializer.dumps, loads: (payload) => (checkPayloadValues(payload, maxValues), sortedSessionSerializer.loads(payload)) };
  }
  iface.salt = scheme.salt;
  iface.keyDerivation = scheme.keyDerivation;
  iface.digestMethod = scheme.digest;
  const app = { config: { ...DEFAULT_CONFIG, SECRET_KEY: keys.secret, SECRET_KEY_FALLBACKS: keys.fallbacks }, now };
  return iface.getSigningSerializer(app)!;
}
