// In-page stand-ins for the two stores lesson 9 runs in the browser: a session table that answers exactly the
// statements the engine's SqlAlchemySessionInterface sends (SQLite itself does not run in the page; the tests run
// the same requests on node:sqlite and compare), and a directory of files held in a Map.
import type { DirectoryLike, SqlLikeClient, SqlParam } from '../../engine/flask_session/index.ts';

interface Row {
  id: number;
  session_id: string;
  data: Uint8Array;
  expiry: string;
}

/** One table, `sessions` by default, with the columns Flask-Session's model has. Not a SQL engine. */
export class MemorySqlTable implements SqlLikeClient {
  readonly rows: Row[] = [];
  private created = false;

  async exec(sql: string): Promise<void> {
    if (!/^CREATE TABLE IF NOT EXISTS \w+ \(/.test(sql)) throw new Error(`the in-page table runs only the session store's statements, not: ${sql}`);
    this.created = true;
  }

  async get(sql: string, params: SqlParam[]): Promise<Record<string, unknown> | undefined> {
    this.ready();
    if (/^SELECT id, session_id, data, expiry FROM \w+ WHERE session_id = \? LIMIT 1$/.test(sql)) {
      const row = this.rows.find((r) => r.session_id === params[0]);
      return row ? { ...row } : undefined;
    }
    if (/^SELECT COUNT\(\*\) AS n FROM \w+$/.test(sql)) return { n: this.rows.length };
    throw new Error(`the in-page table runs only the session store's statements, not: ${sql}`);
  }

  async run(sql: string, params: SqlParam[]): Promise<{ changes: number }> {
    this.ready();
    let m: RegExpExecArray | null;
    if ((m = /^DELETE FROM \w+ WHERE (id|session_id) = \?$/.exec(sql))) {
      const col = m[1] as 'id' | 'session_id';
      return this.remove((r) => r[col] === params[0]);
    }
    if (/^DELETE FROM \w+ WHERE expiry <= \?$/.test(sql)) return this.remove((r) => r.expiry <= String(params[0]));
    if (/^UPDATE \w+ SET data = \?, expiry = \? WHERE session_id = \?$/.test(sql)) {
      const row = this.rows.find((r) => r.session_id === params[2]);
      if (!row) return { changes: 0 };
      row.data = params[0] as Uint8Array;
      row.expiry = String(params[1]);
      return { changes: 1 };
    }
    if (/^INSERT INTO \w+ \(session_id, data, expiry\) VALUES \(\?, \?, \?\)$/.test(sql)) {
      if (this.rows.some((r) => r.session_id === params[0])) throw new Error('UNIQUE constraint failed: sessions.session_id');
      // An INTEGER PRIMARY KEY without AUTOINCREMENT: SQLite picks one more than the largest id in the table.
      const id = this.rows.reduce((max, r) => Math.max(max, r.id), 0) + 1;
      this.rows.push({ id, session_id: String(params[0]), data: params[1] as Uint8Array, expiry: String(params[2]) });
      return { changes: 1 };
    }
    throw new Error(`the in-page table runs only the session store's statements, not: ${sql}`);
  }

  private remove(match: (r: Row) => boolean): { changes: number } {
    let changes = 0;
    for (let i = this.rows.length - 1; i >= 0; i--) {
      if (match(this.rows[i]!)) {
        this.rows.splice(i, 1);
        changes++;
      }
    }
    return { changes };
  }

  private ready(): void {
    if (!this.created) throw new Error('no such table: sessions');
  }
}

/** A directory held in a Map: file name → bytes. */
export class MemoryDirectory implements DirectoryLike {
  readonly files = new Map<string, Uint8Array>();
  async read(name: string): Promise<Uint8Array | null> {
    return this.files.get(name) ?? null;
  }
  async write(name: string, bytes: Uint8Array): Promise<void> {
    this.files.set(name, bytes);
  }
  async remove(name: string): Promise<boolean> {
    return this.files.delete(name);
  }
  async list(): Promise<string[]> {
    return [...this.files.keys()];
  }
}
