// session-lab verify: checks a cookie the way Flask's open_session does and prints its data.
import { sessionJsonSerializer } from '../engine/flask/json/tag.ts';
import { BadData } from '../engine/itsdangerous/exc.ts';
import { integer, KEY_OPTIONS, parse, readKeys, readScheme, SCHEME_HELP, SCHEME_OPTIONS, UsageError, println, type CliIo } from './common.ts';
import { signingSerializer } from './flask.ts';
import { DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_PAYLOAD_VALUES, inflatedPastCap, inflatedPastCapMessage, tooComplex } from '../server/limits.ts';

/** PERMANENT_SESSION_LIFETIME's default, 31 days, which Flask passes as max_age to every load. */
const FLASK_MAX_AGE = 2678400;

const HELP = `Usage: session-lab verify --secret KEY [options] COOKIE

Checks COOKIE's signature and age as Flask does when a request arrives, then prints the session as
the tagged JSON Flask would write (keys sorted). On failure prints the itsdangerous error, e.g.
"BadTimeSignature: Signature b'...' does not match", and exits 1.

Options:
  --secret KEY              SECRET_KEY, tried first
  --fallback KEY            a SECRET_KEY_FALLBACKS entry, tried after it (repeatable)
  --max-age SECONDS         oldest accepted signature (default: ${FLASK_MAX_AGE}, 31 days); "none" skips the check
  --now UNIX                the current time in Unix seconds (default: the clock)
  --max-inflated BYTES      largest size a compressed payload may inflate to (default: ${DEFAULT_MAX_INFLATED_BYTES},
                            the most any cookie a browser keeps can reach)
  --max-values N            most values (containers and items) the payload may hold, counted before
                            parsing (default: ${DEFAULT_MAX_PAYLOAD_VALUES})
${SCHEME_HELP}
  --help, -h                show this help`;

/** `session-lab verify`. */
export function run(argv: string[], io: CliIo): number {
  const { values, positionals } = parse(argv, { ...KEY_OPTIONS, ...SCHEME_OPTIONS, 'max-age': { type: 'string' }, now: { type: 'string' }, 'max-inflated': { type: 'string' }, 'max-values': { type: 'string' } }, 1);
  if (values.help) {
    println(io, HELP);
    return 0;
  }
  const keys = readKeys(values);
  const scheme = readScheme(values);
  const cookie = positionals[0];
  if (cookie === undefined) throw new UsageError('missing COOKIE');
  const rawMaxAge = values['max-age'];
  const maxAge = rawMaxAge === undefined ? FLASK_MAX_AGE : rawMaxAge === 'none' ? null : integer('max-age', rawMaxAge);
  const now = values.now === undefined ? () => Date.now() / 1000 : ((n: number) => () => n)(integer('now', values.now));
  const maxValues = values['max-values'] === undefined ? DEFAULT_MAX_PAYLOAD_VALUES : integer('max-values', values['max-values'], 1);
  const maxInflated = values['max-inflated'] === undefined ? DEFAULT_MAX_INFLATED_BYTES : integer('max-inflated', values['max-inflated'], 1);
  try {
    const [data] = signingSerializer(keys, scheme, now, maxInflated, maxValues).loadsWithTimestamp(cookie, maxAge);
    println(io, sessionJsonSerializer.dumps(data, { sortKeys: true }));
    return 0;
  } catch (e) {
    if (!(e instanceof BadData)) throw e;
    const why = inflatedPastCap(e)
      ? ` (${inflatedPastCapMessage(maxInflated)}; --max-inflated raises the limit)`
      : tooComplex(e)
        ? ` (the payload holds more than ${maxValues} values, so it is not parsed; --max-values raises the limit)`
        : '';
    io.stderr.write(`${e.name}: ${e.message}${why}\n`);
    return 1;
  }
}
