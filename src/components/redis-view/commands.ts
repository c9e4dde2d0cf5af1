// The store commands one request sent, read from the engine's trace (`store-op` events) and written the way
// redis-cli shows them. Pure functions, shared by the Redis view island and the lessons' build-time tables.
import type { TraceEvent } from '../../engine/flask/trace.ts';

export type StoreOp = Extract<TraceEvent, { type: 'store-op' }>;

/** What a command answered, in words a translation table can render (`nil`, `bytes`, `ok`, …). */
export type CommandResult =
  | { kind: 'nil' }
  | { kind: 'bytes'; n: number }
  | { kind: 'ok' }
  | { kind: 'integer'; n: number }
  | { kind: 'kept' }
  | { kind: 'inserted' }
  | { kind: 'found' }
  | { kind: 'none' };

/** One command as a learner would type it, and its answer. */
export interface CommandLine {
  /**
   * `redis` for a Redis command; `python` for an operation on the tutorial's in-process dict; `sql` for a statement
   * of the SQL store; `file` for what the file store does to its directory.
   */
  kind: 'redis' | 'python' | 'sql' | 'file';
  /** The command, e.g. `SET session:abc <23 bytes> EX 2678400` or `container.get('abc')`. */
  text: string;
  /** The stored value the command carries, which `text` shows as `<23 bytes>` and `commandText` in any language. */
  value?: { kind: 'bytes' | 'chars'; n: number; template: string };
  result: CommandResult;
}

/** How a stored value stands in a command line: its size, in the reader's language. */
export interface ValueWords {
  bytes: (n: number) => string;
  chars: (n: number) => string;
}

const ENGLISH_VALUE_WORDS: ValueWords = { bytes: (n) => `${n} bytes`, chars: (n) => `${n} chars` };

/** The command with its value placeholder in the given words (`SET k <23 字节> EX 60`). */
export function commandText(c: CommandLine, words: ValueWords = ENGLISH_VALUE_WORDS): string {
  return c.value ? c.value.template.replace('{value}', `<${words[c.value.kind](c.value.n)}>`) : c.text;
}

/** A command line whose text holds one value placeholder. */
function withValue(kind: CommandLine['kind'], template: string, value: { kind: 'bytes' | 'chars'; n: number }, result: CommandResult): CommandLine {
  const line: CommandLine = { kind, text: '', value: { ...value, template }, result };
  line.text = commandText(line);
  return line;
}

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * A `store-op` trace event as a command line, or null for a step that sends nothing (the engine's
 * `DECODE` note about a value stored in another format).
 */
export function formatStoreOp(e: StoreOp): CommandLine | null {
  const bytes = { kind: 'bytes' as const, n: e.bytes ?? 0 };
  const family = e.why.code.split('.')[0];
  if (family === 'sql') {
    const id = q(e.key);
    switch (e.command) {
      case 'SELECT':
        return { kind: 'sql', text: `SELECT data, expiry FROM sessions WHERE session_id = ${id}`, result: e.hit ? { kind: 'bytes', n: e.bytes ?? 0 } : { kind: 'nil' } };
      case 'UPDATE':
        return withValue('sql', `UPDATE sessions SET data = {value}, expiry = … WHERE session_id = ${id}`, bytes, { kind: 'integer', n: 1 });
      case 'INSERT':
        return withValue('sql', `INSERT INTO sessions (session_id, data, expiry) VALUES (${id}, {value}, …)`, bytes, { kind: 'integer', n: 1 });
      case 'DELETE':
        return { kind: 'sql', text: e.why.code === 'sql.cleanup' ? 'DELETE FROM sessions WHERE expiry <= …' : `DELETE FROM sessions WHERE session_id = ${id}`, result: { kind: 'integer', n: e.hit ? 1 : 0 } };
      default:
        return null;
    }
  }
  if (family === 'files') {
    const file = (e.why.params as { file?: string }).file;
    switch (e.command) {
      case 'READ':
        return { kind: 'file', text: `open(md5(${q(e.key)}))${file ? `  # ${file}` : ''}`, result: e.hit ? { kind: 'bytes', n: e.bytes ?? 0 } : { kind: 'none' } };
      case 'WRITE':
        return withValue('file', `write(md5(${q(e.key)}), {value})${file ? `  # ${file}` : ''}`, bytes, { kind: 'ok' });
      case 'DELETE':
        return { kind: 'file', text: `os.remove(md5(${q(e.key)}))`, result: { kind: 'integer', n: e.hit ? 1 : 0 } };
      default:
        return null;
    }
  }
  switch (e.command) {
    case 'GET':
      return { kind: 'redis', text: `GET ${e.key}`, result: e.hit ? { kind: 'bytes', n: e.bytes ?? 0 } : { kind: 'nil' } };
    case 'SET':
      return withValue('redis', `SET ${e.key} {value} EX ${e.ttl}`, bytes, { kind: 'ok' });
    case 'SETEX':
      return withValue('redis', `SETEX ${e.key} ${e.ttl} {value}`, bytes, { kind: 'ok' });
    case 'DEL':
      return { kind: 'redis', text: `DEL ${e.key}`, result: { kind: 'integer', n: e.hit ? 1 : 0 } };
    case 'container.get':
      return { kind: 'python', text: `container.get(${q(e.key)})`, result: e.hit ? { kind: 'found' } : { kind: 'none' } };
    case 'container.setdefault':
      return withValue('python', `container.setdefault(${q(e.key)}, {value})`, { kind: 'chars', n: e.bytes ?? 0 }, e.hit ? { kind: 'kept' } : { kind: 'inserted' });
    default:
      return null;
  }
}

/** Every command a request's trace records, in the order they were sent. */
export function commandsOf(trace: readonly TraceEvent[]): CommandLine[] {
  const out: CommandLine[] = [];
  for (const e of trace) {
    if (e.type !== 'store-op') continue;
    const line = formatStoreOp(e);
    if (line) out.push(line);
  }
  return out;
}

/** The answer as redis-cli prints it (`(nil)`, `OK`, `(integer) 1`), or Python's for the dict operations. */
export function resultText(r: CommandResult, labels: { bytes: (n: number) => string; kept: string; inserted: string; found: string }): string {
  switch (r.kind) {
    case 'nil':
      return '(nil)';
    case 'bytes':
      return labels.bytes(r.n);
    case 'ok':
      return 'OK';
    case 'integer':
      return `(integer) ${r.n}`;
    case 'kept':
      return labels.kept;
    case 'inserted':
      return labels.inserted;
    case 'found':
      return labels.found;
    case 'none':
      return 'None';
  }
}
