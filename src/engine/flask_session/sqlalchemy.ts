// Flask-Session 0.8.0's SQL store (sqlalchemy/sqlalchemy.py), on any SQL database reached through a small
// client interface. The table is the one SQLAlchemy creates for that file's model; the statements are plain SQL
// with the same effect on it (SQLAlchemy words its own differently, e.g. it selects before it updates or inserts):
// https://github.com/pallets-eco/flask-session/blob/0.8.0/src/flask_session/sqlalchemy/sqlalchemy.py
import type { Tracer } from '../flask/trace.ts';
import { reason, type Reason } from '../flask/reasons.ts';
import type { PyDict } from '../python/values.ts';
import { ServerSideSessionInterface, type ServerSideSession, type ServerSideSessionOptions } from './base.ts';

/** A value bound to a `?` placeholder. */
export type SqlParam = string | number | Uint8Array | null;

/**
 * What the SQL store needs from a database: one row by statement, a statement's change count, and plain
 * statements (for the table). `node:sqlite` fits it with three lines (see `src/server/sql-store.ts`).
 */
export interface SqlLikeClient {
  /** The first row of a query, or undefined. */
  get(sql: string, params: SqlParam[]): Promise<Record<string, unknown> | undefined>;
  /** Runs a statement; how many rows it changed. */
  run(sql: string, params: SqlParam[]): Promise<{ changes: number }>;
  /** Runs statements without parameters. */
  exec(sql: string): Promise<void>;
}

/** Options of {@link SqlAlchemySessionInterface}. */
export interface SqlAlchemySessionInterfaceOptions extends ServerSideSessionOptions {
  /** The database (`SESSION_SQLALCHEMY`). Required. */
  client: SqlLikeClient;
  /** The table (`SESSION_SQLALCHEMY_TABLE`, default `sessions`). */
  table?: string;
  /** The clock, Unix seconds (the app's clock in the demo server); default the system clock. */
  now?: () => number;
}

/**
 * A naive UTC `datetime` as SQLAlchemy writes it into SQLite: `YYYY-MM-DD HH:MM:SS.ffffff`. Strings in
 * this fixed-width form sort like the times they name, which is how `expiry <= ?` works in SQLite.
 */
export function sqliteDatetime(unixSeconds: number): string {
  const micros = Math.floor(unixSeconds * 1e6 + 0.5);
  const d = new Date(Math.floor(micros / 1000));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const us = ((micros % 1_000_000) + 1_000_000) % 1_000_000;
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(us, 6)}`;
}

/** Reads a stored `expiry` back into Unix seconds (with or without the fraction); NaN when unreadable. */
export function parseSqliteDatetime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, f] = m;
  const whole = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) / 1000;
  return whole + (f ? Number(f.padEnd(6, '0')) / 1e6 : 0);
}

function checkTableName(table: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new RangeError(`Unsupported table name: ${JSON.stringify(table)} (letters, digits and _ only)`);
  return table;
}

function toBytes(v: unknown): Uint8Array | null {
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === 'string') return new TextEncoder().encode(v);
  return null;
}

/**
 * Flask-Session 0.8's SQL store: one row per session (`id`, `session_id` = key prefix + sid, `data` as
 * msgpack or JSON bytes, `expiry` as a naive UTC datetime). SQL has no TTL, so reading an expired row deletes
 * it, and `deleteExpired` is the clean-up job (`flask session_cleanup`, or every N requests). Mirrors
 * `flask_session.sqlalchemy.SqlAlchemySessionInterface`.
 * @param options `client` (required), `table`, `now`, plus {@link ServerSideSessionOptions}.
 * @throws {RangeError} for a table name that is not a plain identifier (a check of this port); `PyValueError` for an
 *   unsupported serialization format.
 */
export class SqlAlchemySessionInterface extends ServerSideSessionInterface {
  override readonly interfaceName: string = 'SqlAlchemySessionInterface';
  readonly client: SqlLikeClient;
  readonly table: string;
  private readonly now: () => number;
  private ready: Promise<void> | null = null;

  constructor(options: SqlAlchemySessionInterfaceOptions) {
    super(options);
    this.client = options.client;
    this.table = checkTableName(options.table ?? 'sessions');
    this.now = options.now ?? (() => Date.now() / 1000);
  }

  /** The `CREATE TABLE` SQLAlchemy issues for the model on SQLite (`checkfirst=True` becomes IF NOT EXISTS). */
  get createTableSql(): string {
    return (
      `CREATE TABLE IF NOT EXISTS ${this.table} (\n\tid INTEGER NOT NULL, \n\tsession_id VARCHAR(255), \n\tdata BLOB, \n\texpiry DATETIME, \n\t` +
      `PRIMARY KEY (id), \n\tUNIQUE (session_id)\n)`
    );
  }

  /** Creates the table when it is missing (Flask-Session does it when the interface is built). */
  ensureTable(): Promise<void> {
    this.ready ??= this.client.exec(this.createTableSql);
    return this.ready;
  }

  private op(trace: Tracer | null | undefined, command: string, key: string, why: Reason, extra: { bytes?: number; hit?: boolean; ttl?: number } = {}): void {
    trace?.emit({ type: 'store-op', stage: 'store', command, key, ...extra, why });
  }

  /**
   * `SELECT … WHERE session_id = ?`; a row whose expiry has passed (or is NULL) is deleted and counts as
   * absent, since SQL has no TTL. Mirrors `_retrieve_session_data`. @throws decoding errors of the stored bytes.
   */
  async retrieveSessionData(storeId: string, trace?: Tracer | null): Promise<PyDict | null> {
    await this.ensureTable();
    const row = await this.client.get(`SELECT id, session_id, data, expiry FROM ${this.table} WHERE session_id = ? LIMIT 1`, [storeId]);
    const data = row ? toBytes(row.data) : null;
    this.op(trace, 'SELECT', storeId, reason('sql.select', { found: row !== undefined, ...(data ? { bytes: data.length } : {}), expiry: row ? String(row.expiry) : '' }), {
      hit: row !== undefined,
      ...(data ? { bytes: data.length } : {}),
    });
    if (!row) return null;
    const expiry = typeof row.expiry === 'string' ? parseSqliteDatetime(row.expiry) : NaN;
    if (row.expiry === null || !(expiry > this.now())) {
      await this.client.run(`DELETE FROM ${this.table} WHERE id = ?`, [row.id as number]);
      this.op(trace, 'DELETE', storeId, reason('sql.expired'), { hit: true });
      return null;
    }
    if (!data || data.length === 0) return null;
    return this.serializer.decode(data);
  }

  /** `DELETE … WHERE session_id = ?`. Mirrors `_delete_session`. */
  async deleteSession(storeId: string, trace?: Tracer | null): Promise<void> {
    await this.ensureTable();
    const { changes } = await this.client.run(`DELETE FROM ${this.table} WHERE session_id = ?`, [storeId]);
    this.op(trace, 'DELETE', storeId, reason('sql.delete', { removed: changes > 0 }), { hit: changes > 0 });
  }

  /**
   * Updates the row or inserts one, with `expiry = utcnow() + lifetime` (for every session, permanent or
   * not). Mirrors `_upsert_session`.
   */
  async upsertSession(lifetime: number, session: ServerSideSession, storeId: string, trace?: Tracer | null): Promise<void> {
    await this.ensureTable();
    const value = this.serializer.encode(session.toDict());
    const expiry = sqliteDatetime(this.now() + lifetime);
    const updated = await this.client.run(`UPDATE ${this.table} SET data = ?, expiry = ? WHERE session_id = ?`, [value, expiry, storeId]);
    if (updated.changes === 0) {
      await this.client.run(`INSERT INTO ${this.table} (session_id, data, expiry) VALUES (?, ?, ?)`, [storeId, value, expiry]);
    }
    this.op(trace, updated.changes === 0 ? 'INSERT' : 'UPDATE', storeId, reason('sql.store', { format: this.serializer.format, bytes: value.length, expiry: String(expiry) }), {
      bytes: value.length,
      ttl: Math.trunc(lifetime),
    });
  }

  /** Deletes every row whose expiry has passed; the number removed. Mirrors `_delete_expired_sessions`. */
  async deleteExpired(trace?: Tracer | null): Promise<number> {
    await this.ensureTable();
    const now = sqliteDatetime(this.now());
    const { changes } = await this.client.run(`DELETE FROM ${this.table} WHERE expiry <= ?`, [now]);
    this.op(trace, 'DELETE', `${this.table} (expiry <= ${now})`, reason('sql.cleanup', { removed: changes }), { hit: changes > 0 });
    return changes;
  }
}
