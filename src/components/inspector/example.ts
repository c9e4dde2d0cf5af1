// The inspector's built-in example: a session as a shop might keep it, signed with the key the blog post behind the
// course uses (content/sources.mdx), at a fixed moment so the page is the same on every build. The page shows it
// decoded and checked at EXAMPLE_CHECKED_AT before any script runs.
import { Markup, PyTuple, PyUUID, type PyDict, type PyKey, type PyValue } from '../../engine/python/values.ts';
import { decodeCookie, EXAMPLE_CHECKED_AT, EXAMPLE_SIGNED_AT, FLASK_SESSION, flaskSerializer, verifyCookie } from './inspect.ts';

export const EXAMPLE_SECRET = 'GuHanZhe';

/** One value of each kind Flask's tagged JSON gives a tag to, beside plain ones. */
export function exampleSession(): PyDict {
  return new Map<PyKey, PyValue>([
    ['_fresh', true],
    ['user_id', 42],
    ['cart', new PyTuple(['apple', 'pear'])],
    ['greeting', new Markup('<b>Hi</b>')],
    ['order_id', new PyUUID('6f1c3f5e-8a41-4d1b-9d3a-1f2e3c4b5a69')],
    ['last_seen', new Date(Date.UTC(2024, 4, 6, 7, 8, 9))],
    ['token', new Uint8Array([0x00, 0xff, 0x10, 0x80])],
  ]);
}

/** The example cookie, what the page shows of it at first (decoded; checked without a key), and when it was signed. */
export function exampleView() {
  const cookie = flaskSerializer(EXAMPLE_SECRET, () => EXAMPLE_SIGNED_AT).dumps(exampleSession());
  const check = { now: EXAMPLE_CHECKED_AT, maxAge: FLASK_SESSION.maxAge };
  return {
    cookie,
    check,
    decoded: decodeCookie(cookie),
    verified: verifyCookie(cookie, '', check),
    signedIso: new Date(EXAMPLE_SIGNED_AT * 1000).toISOString().replace('.000Z', 'Z'),
  };
}
