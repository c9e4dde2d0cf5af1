// session-lab sign: session data in, the cookie value Flask would write out.
import { sessionJsonSerializer } from '../engine/flask/json/tag.ts';
import { isDict } from '../engine/python/values.ts';
import { integer, KEY_OPTIONS, parse, readKeys, readScheme, required, SCHEME_HELP, SCHEME_OPTIONS, UsageError, println, type CliIo } from './common.ts';
import { signingSerializer } from './flask.ts';

const HELP = `Usage: session-lab sign --secret KEY --data JSON [options]

Prints the session cookie value Flask writes for this data inside a request: keys sorted, Flask's
tagged JSON, zlib-compressed when that saves at least 2 bytes, then timestamped and signed.

Options:
  --secret KEY              SECRET_KEY, the key that signs
  --fallback KEY            a SECRET_KEY_FALLBACKS entry (repeatable; only verify uses them)
  --data JSON               the session as Flask's tagged JSON, e.g. '{"user_id":42,"pair":{" t":[1,2]}}'
                            (" t" tuple, " b" bytes as standard base64, " m" Markup, " u" UUID,
                            " d" HTTP date, " di" a dict whose key is a tag)
  --timestamp UNIX          signing time in Unix seconds (default: now)
${SCHEME_HELP}
  --help, -h                show this help`;

/** `session-lab sign`. */
export function run(argv: string[], io: CliIo): number {
  const { values } = parse(argv, { ...KEY_OPTIONS, ...SCHEME_OPTIONS, data: { type: 'string' }, timestamp: { type: 'string' } });
  if (values.help) {
    println(io, HELP);
    return 0;
  }
  const keys = readKeys(values);
  const scheme = readScheme(values);
  const text = required('data', values.data);
  const ts = values.timestamp === undefined ? Math.floor(Date.now() / 1000) : integer('timestamp', values.timestamp);
  let data;
  try {
    data = sessionJsonSerializer.loads(text);
  } catch (e) {
    throw new UsageError(`--data is not valid tagged JSON: ${(e as Error).message}`);
  }
  if (!isDict(data)) throw new UsageError('--data must be a JSON object: a session is a dict');
  let cookie: string;
  try {
    cookie = signingSerializer(keys, scheme, () => ts).dumps(data);
  } catch (e) {
    throw new UsageError(`cannot sign --data: ${(e as Error).message}`);
  }
  println(io, cookie);
  return 0;
}
