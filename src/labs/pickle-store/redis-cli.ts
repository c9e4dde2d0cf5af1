// A few Redis commands typed as redis-cli takes them (quoted arguments with \xHH escapes), run on the engine's
// in-memory store, with replies printed as redis-cli prints them. Enough to look at a session store and to write
// into it: GET, SET [EX], SETEX, DEL, EXISTS, KEYS, TTL, DBSIZE.
import type { MemoryStore } from '../../engine/flask_session/custom.ts';

/** Most bytes one command line may hold. */
export const MAX_COMMAND = 16 * 1024;

const encoder = new TextEncoder();

/**
 * Splits a command line as redis-cli does: spaces separate arguments; "double quotes" take \" \\ \n \r \t \b \a
 * and \xHH escapes; 'single quotes' take only \'. Returns null for unbalanced quotes (redis-cli: "Invalid argument(s)").
 */
export function splitArgs(line: string): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i]!)) i++;
    if (i >= n) break;
    const bytes: number[] = [];
    const q = line[i];
    if (q === '"' || q === "'") {
      i++;
      let closed = false;
      while (i < n) {
        const c = line[i]!;
        if (q === '"' && c === '\\' && i + 1 < n) {
          const e = line[i + 1]!;
          if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
            bytes.push(parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          const map: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, a: 7 };
          bytes.push(map[e] ?? e.charCodeAt(0));
          i += 2;
          continue;
        }
        if (q === "'" && c === '\\' && line[i + 1] === "'") {
          bytes.push(39);
          i += 2;
          continue;
        }
        if (c === q) {
          closed = true;
          i++;
          break;
        }
        bytes.push(...encoder.encode(c));
        i++;
      }
      // A closing quote must be followed by a space or the end of the line.
      if (!closed || (i < n && !/\s/.test(line[i]!))) return null;
    } else {
      while (i < n && !/\s/.test(line[i]!)) {
        if (line[i] === '"' || line[i] === "'") return null;
        bytes.push(...encoder.encode(line[i]!));
        i++;
      }
    }
    out.push(Uint8Array.from(bytes));
  }
  return out;
}

/** Bytes as redis-cli prints a bulk string: in double quotes, printable ASCII kept, the rest escaped. */
export function quoteBytes(b: Uint8Array): string {
  let s = '"';
  for (const c of b) {
    if (c === 0x22 || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c === 10) s += '\\n';
    else if (c === 13) s += '\\r';
    else if (c === 9) s += '\\t';
    else if (c === 7) s += '\\a';
    else if (c === 8) s += '\\b';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `${s}"`;
}

const utf8 = new TextDecoder('utf-8');
const str = (b: Uint8Array): string => utf8.decode(b);

/** Redis's glob for KEYS: * ? [abc] and \x. */
function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\').replace(/^\^/, '^')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** Runs one command line on the store and returns redis-cli's printout of the reply. */
export async function runCommand(store: MemoryStore, line: string): Promise<string> {
  if (line.length > MAX_COMMAND) return `(error) ERR this command line is longer than ${MAX_COMMAND} characters`;
  const args = splitArgs(line);
  if (args === null) return 'Invalid argument(s)';
  if (args.length === 0) return '';
  const name = str(args[0]!).toUpperCase();
  const arity: Record<string, [number, number]> = { GET: [2, 2], SET: [3, 5], SETEX: [4, 4], DEL: [2, Infinity], EXISTS: [2, Infinity], KEYS: [2, 2], TTL: [2, 2], DBSIZE: [1, 1] };
  const a = arity[name];
  if (!a) return `(error) ERR unknown command '${str(args[0]!)}', with args beginning with: ${args.slice(1, 3).map((x) => `'${str(x)}' `).join('')}`.trimEnd();
  if (args.length < a[0] || args.length > a[1]) return `(error) ERR wrong number of arguments for '${name.toLowerCase()}' command`;
  const key = args[1] ? str(args[1]) : '';
  switch (name) {
    case 'GET': {
      const v = await store.getBuffer(key);
      return v === null ? '(nil)' : quoteBytes(v);
    }
    case 'SET': {
      let ttl = 31 * 86400;
      if (args.length > 3) {
        if (args.length !== 5 || str(args[3]!).toUpperCase() !== 'EX') return '(error) ERR syntax error';
        const t = str(args[4]!);
        if (!/^-?\d+$/.test(t)) return '(error) ERR value is not an integer or out of range';
        if (Number(t) <= 0) return "(error) ERR invalid expire time in 'set' command";
        ttl = Number(t);
      }
      // Without EX a real Redis keeps the key forever; here it lasts 31 days, far beyond any lab.
      await store.set(key, args[2]!, 'EX', ttl);
      return 'OK';
    }
    case 'SETEX': {
      const t = str(args[2]!);
      if (!/^-?\d+$/.test(t)) return '(error) ERR value is not an integer or out of range';
      if (Number(t) <= 0) return "(error) ERR invalid expire time in 'setex' command";
      await store.setex(key, Number(t), args[3]!);
      return 'OK';
    }
    case 'DEL': {
      let n = 0;
      for (const k of args.slice(1)) n += await store.del(str(k));
      return `(integer) ${n}`;
    }
    case 'EXISTS': {
      let n = 0;
      for (const k of args.slice(1)) if ((await store.getBuffer(str(k))) !== null) n++;
      return `(integer) ${n}`;
    }
    case 'KEYS': {
      const re = globToRegExp(key);
      const keys = store.keys().filter((k) => re.test(k)).sort();
      return keys.length ? keys.map((k, i) => `${i + 1}) ${quoteBytes(encoder.encode(k))}`).join('\n') : '(empty array)';
    }
    case 'TTL':
      return `(integer) ${await store.ttl(key)}`;
    default:
      return `(integer) ${store.size}`;
  }
}
