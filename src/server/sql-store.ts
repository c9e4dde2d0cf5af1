// The SQL store's database in Node: SQLite through Node's built-in `node:sqlite` (no native add-on to build).
import { DatabaseSync } from 'node:sqlite';
import type { SqlLikeClient, SqlParam } from '../engine/flask_session/sqlalchemy.ts';

/** An open SQLite file as the SQL store's client, plus `close()`. */
export interface SqliteClient extends SqlLikeClient {
  readonly path: string;
  /** Every row of a query without parameters (for listings). */
  all(sql: string): Record<string, unknown>[];
  close(): void;
}

/**
 * Opens (or creates) a SQLite database file for {@link SqlAlchemySessionInterface}. A Python app with
 * `SQLALCHEMY_DATABASE_URI = "sqlite:///" + path` and `SESSION_TYPE = "sqlalchemy"` shares its sessions.
 * Another process holding a write lock makes a statement wait up to `busyTimeoutMs` (default 5000) before failing.
 * @throws {Error} when the file cannot be opened as a database.
 */
export function openSqlite(path: string, busyTimeoutMs = 5000): SqliteClient {
  const db = new DatabaseSync(path, { timeout: busyTimeoutMs });
  const bind = (params: SqlParam[]) => params as (string | number | Uint8Array | null)[];
  return {
    path,
    async get(sql, params) {
      return db.prepare(sql).get(...bind(params)) as Record<string, unknown> | undefined;
    },
    async run(sql, params) {
      return { changes: Number(db.prepare(sql).run(...bind(params)).changes) };
    },
    async exec(sql) {
      db.exec(sql);
    },
    all(sql) {
      return db.prepare(sql).all() as Record<string, unknown>[];
    },
    close() {
      db.close();
    },
  };
}
