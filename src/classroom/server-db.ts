// The class server's database: one SQLite file through Node's built-in `node:sqlite`. The class (its id, token,
// name and assignment), every accepted submission and each entry's re-check live here, so a crash or a restart
// of the server loses nothing: a submission is answered 201 only after its transaction committed.
// - journal_mode=WAL: the dashboard's reads never wait for a student's write, and a write is one append;
// - synchronous=FULL: the commit reaches the disk before the answer goes out (a killed process, or even a power
//   cut, keeps every answered submission);
// - one transaction per submission (BEGIN IMMEDIATE … COMMIT): all its entries, or none of them.
// Entries not yet re-checked are found again after a restart (recheck IS NULL) and re-run then.
// Two kinds of secret live here too: the teacher token (opens the dashboard from another machine, e.g. a projector)
// and each registered learner's key (the labs' seeds derive from it, src/labs/random.ts learnerLabSeed).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Entry, Submission } from './server-submission.ts';

/** The assignment of a class, as the class code carries it. */
export interface Assignment {
  readonly name: string;
  readonly exercises: readonly string[];
  readonly labs: readonly string[];
  readonly due: string | null;
}

export interface ClassRow extends Assignment {
  readonly id: string;
  readonly token: string;
  /** Opens the dashboard from another machine; never in a student link. */
  readonly teacherToken: string;
  readonly createdAt: string;
}

/** One stored entry with its student and its re-check, as the dashboard shows it. */
export interface EntryRow {
  readonly seq: number;
  readonly submission: number;
  readonly learner: string;
  readonly name: string;
  readonly lang: string;
  readonly kind: 'exercise' | 'lab';
  readonly task: string;
  readonly version: number | null;
  readonly claimed: string;
  readonly hintsUsed: number;
  readonly solutionShown: boolean;
  readonly receivedAt: string;
  /** null until re-checked: pass | fail | error | solved | unsolved | unchecked | superseded (a later entry came first). */
  readonly recheck: string | null;
  readonly recheckDetail: string | null;
  /** How many entries the learner had sent for this task up to this one (this one included). */
  readonly tries: number;
}

/** What the re-check needs of an entry. */
export interface PendingEntry {
  readonly seq: number;
  readonly kind: 'exercise' | 'lab';
  readonly task: string;
  readonly lang: string;
  readonly body: string;
  readonly learner: string;
  readonly name: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS class (
  id TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  name TEXT NOT NULL,
  exercises TEXT NOT NULL,
  labs TEXT NOT NULL,
  due TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submission (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  class_id TEXT NOT NULL REFERENCES class(id),
  learner TEXT NOT NULL,
  name TEXT NOT NULL,
  lang TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entry (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  submission INTEGER NOT NULL REFERENCES submission(seq),
  kind TEXT NOT NULL CHECK (kind IN ('exercise', 'lab')),
  task TEXT NOT NULL,
  version INTEGER,
  claimed TEXT NOT NULL,
  hints_used INTEGER NOT NULL DEFAULT 0,
  solution_shown INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL,
  recheck TEXT,
  recheck_detail TEXT,
  rechecked_at TEXT
);
CREATE TABLE IF NOT EXISTS class_secret (
  class_id TEXT NOT NULL REFERENCES class(id),
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (class_id, kind)
);
CREATE TABLE IF NOT EXISTS learner (
  class_id TEXT NOT NULL REFERENCES class(id),
  learner TEXT NOT NULL,
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  PRIMARY KEY (class_id, learner)
);
CREATE INDEX IF NOT EXISTS entry_pending ON entry (seq) WHERE recheck IS NULL;
CREATE INDEX IF NOT EXISTS entry_submission ON entry (submission);
CREATE INDEX IF NOT EXISTS entry_task ON entry (kind, task, seq);
CREATE INDEX IF NOT EXISTS submission_learner ON submission (learner, seq);
`;

function randomId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

const ENTRY_COLUMNS = `e.seq, e.submission, s.learner, s.name, s.lang, e.kind, e.task, e.version, e.claimed, e.hints_used, e.solution_shown,
  s.received_at, e.recheck, e.recheck_detail,
  (SELECT COUNT(*) FROM entry t JOIN submission ts ON ts.seq = t.submission WHERE t.kind = e.kind AND t.task = e.task AND ts.learner = s.learner AND t.seq <= e.seq) AS tries`;

function toEntryRow(r: Record<string, unknown>): EntryRow {
  return {
    seq: Number(r.seq),
    submission: Number(r.submission),
    learner: String(r.learner),
    name: String(r.name),
    lang: String(r.lang),
    kind: r.kind as 'exercise' | 'lab',
    task: String(r.task),
    version: r.version === null ? null : Number(r.version),
    claimed: String(r.claimed),
    hintsUsed: Number(r.hints_used),
    solutionShown: Number(r.solution_shown) === 1,
    receivedAt: String(r.received_at),
    recheck: r.recheck === null ? null : String(r.recheck),
    recheckDetail: r.recheck_detail === null ? null : String(r.recheck_detail),
    tries: Number(r.tries),
  };
}

/** The store of one class server; every method is synchronous (node:sqlite), so each runs whole between requests. */
export class ClassStore {
  readonly db: DatabaseSync;
  readonly path: string;

  constructor(path: string) {
    this.path = path;
    let db: DatabaseSync | null = null;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new DatabaseSync(path);
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
      db.exec(SCHEMA);
    } catch (e) {
      if (db?.isOpen) db.close();
      throw new Error(`cannot use ${path} as the class database: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    this.db = db;
  }

  /**
   * The class of this database: the one stored, with its assignment replaced by `assignment` when given; or a new
   * one (fresh id and token, `assignment` over `defaults`) when there is none. The id and token never change, so
   * students' links outlive a restart.
   */
  openClass(assignment: Partial<Assignment> = {}, defaults: Partial<Assignment> = {}): ClassRow {
    const row = this.db.prepare('SELECT * FROM class ORDER BY created_at LIMIT 1').get() as Record<string, unknown> | undefined;
    if (!row) {
      const created: Omit<ClassRow, 'teacherToken'> = {
        id: randomId(6),
        token: randomId(18),
        name: assignment.name ?? defaults.name ?? 'Class',
        exercises: assignment.exercises ?? defaults.exercises ?? [],
        labs: assignment.labs ?? defaults.labs ?? [],
        due: assignment.due ?? defaults.due ?? null,
        createdAt: new Date().toISOString(),
      };
      this.db
        .prepare('INSERT INTO class (id, token, name, exercises, labs, due, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(created.id, created.token, created.name, JSON.stringify(created.exercises), JSON.stringify(created.labs), created.due, created.createdAt);
      return { ...created, teacherToken: this.teacherToken(created.id) };
    }
    const current: ClassRow = {
      id: String(row.id),
      token: String(row.token),
      teacherToken: this.teacherToken(String(row.id)),
      name: assignment.name ?? String(row.name),
      exercises: assignment.exercises ?? (JSON.parse(String(row.exercises)) as string[]),
      labs: assignment.labs ?? (JSON.parse(String(row.labs)) as string[]),
      due: assignment.due !== undefined ? assignment.due : row.due === null ? null : String(row.due),
      createdAt: String(row.created_at),
    };
    this.db.prepare('UPDATE class SET name = ?, exercises = ?, labs = ?, due = ? WHERE id = ?').run(current.name, JSON.stringify(current.exercises), JSON.stringify(current.labs), current.due, current.id);
    return current;
  }

  /** The class's teacher token, made (and kept) the first time it is asked for (a database from before it had none). */
  private teacherToken(classId: string): string {
    const row = this.db.prepare("SELECT value FROM class_secret WHERE class_id = ? AND kind = 'teacher'").get(classId) as { value: string } | undefined;
    if (row) return row.value;
    const token = randomId(24);
    this.db.prepare("INSERT INTO class_secret (class_id, kind, value) VALUES (?, 'teacher', ?)").run(classId, token);
    return token;
  }

  /**
   * Registers a learner (their random id, chosen by their page) under a name and gives them a key of their own,
   * or null when that id is registered already (its key is never handed out twice).
   */
  register(classId: string, learner: string, name: string, at = new Date().toISOString()): string | null {
    const key = randomId(24);
    const done = this.db.prepare('INSERT INTO learner (class_id, learner, name, key, registered_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(classId, learner, name, key, at);
    return Number(done.changes) === 1 ? key : null;
  }

  /** A registered learner's key, or null for a learner who never registered. */
  learnerKey(classId: string, learner: string): string | null {
    const row = this.db.prepare('SELECT key FROM learner WHERE class_id = ? AND learner = ?').get(classId, learner) as { key: string } | undefined;
    return row ? row.key : null;
  }

  /** True when `key` is the key of this registered learner (compared in constant time). */
  keyMatches(classId: string, learner: string, key: string): boolean {
    const stored = this.learnerKey(classId, learner);
    if (stored === null) return false;
    const a = Buffer.from(stored, 'utf8');
    const b = Buffer.from(key, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Stores a submission and its entries in one transaction; returns the stored entries (with their sequence numbers). */
  addSubmission(classId: string, s: Submission, receivedAt = new Date().toISOString()): EntryRow[] {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const sub = this.db.prepare('INSERT INTO submission (class_id, learner, name, lang, received_at) VALUES (?, ?, ?, ?, ?)').run(classId, s.learner, s.name, s.lang, receivedAt);
      const submission = Number(sub.lastInsertRowid);
      const insert = this.db.prepare('INSERT INTO entry (submission, kind, task, version, claimed, hints_used, solution_shown, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const e of s.entries) insert.run(submission, e.kind, e.task, e.kind === 'exercise' ? e.version : null, e.claimed, e.kind === 'exercise' ? e.hintsUsed : 0, e.kind === 'exercise' && e.solutionShown ? 1 : 0, entryBody(e));
      this.db.exec('COMMIT');
      return (this.db.prepare(`SELECT ${ENTRY_COLUMNS} FROM entry e JOIN submission s ON s.seq = e.submission WHERE e.submission = ? ORDER BY e.seq`).all(submission) as Record<string, unknown>[]).map(toEntryRow);
    } catch (e) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Records the re-check of an entry. */
  setRecheck(seq: number, recheck: string, detail: string | null): EntryRow | null {
    this.db.prepare('UPDATE entry SET recheck = ?, recheck_detail = ?, rechecked_at = ? WHERE seq = ?').run(recheck, detail, new Date().toISOString(), seq);
    const r = this.db.prepare(`SELECT ${ENTRY_COLUMNS} FROM entry e JOIN submission s ON s.seq = e.submission WHERE e.seq = ?`).get(seq) as Record<string, unknown> | undefined;
    return r ? toEntryRow(r) : null;
  }

  /** True when the same learner has sent a later entry for the same task (the dashboard shows only the latest). */
  superseded(seq: number): boolean {
    const r = this.db
      .prepare(
        `SELECT 1 AS x FROM entry e JOIN submission s ON s.seq = e.submission, entry n JOIN submission ns ON ns.seq = n.submission
         WHERE e.seq = ? AND n.seq > e.seq AND n.kind = e.kind AND n.task = e.task AND ns.learner = s.learner LIMIT 1`,
      )
      .get(seq);
    return r !== undefined;
  }

  /** Entries not yet re-checked, oldest first. */
  pending(limit = 1000): PendingEntry[] {
    return (this.db.prepare('SELECT e.seq, e.kind, e.task, s.lang, e.body, s.learner, s.name FROM entry e JOIN submission s ON s.seq = e.submission WHERE e.recheck IS NULL ORDER BY e.seq LIMIT ?').all(limit) as Record<string, unknown>[]).map((r) => ({
      seq: Number(r.seq),
      kind: r.kind as 'exercise' | 'lab',
      task: String(r.task),
      lang: String(r.lang),
      body: String(r.body),
      learner: String(r.learner),
      name: String(r.name),
    }));
  }

  /** The latest entry of every (learner, kind, task), oldest student first: the dashboard's table. */
  latest(): EntryRow[] {
    return (
      this.db
        .prepare(
          `SELECT ${ENTRY_COLUMNS} FROM entry e JOIN submission s ON s.seq = e.submission
           WHERE e.seq IN (SELECT MAX(e2.seq) FROM entry e2 JOIN submission s2 ON s2.seq = e2.submission GROUP BY s2.learner, e2.kind, e2.task)
           ORDER BY e.seq`,
        )
        .all() as Record<string, unknown>[]
    ).map(toEntryRow);
  }

  /** How many submissions and entries are stored. */
  counts(): { submissions: number; entries: number } {
    const s = this.db.prepare('SELECT COUNT(*) AS n FROM submission').get() as { n: number };
    const e = this.db.prepare('SELECT COUNT(*) AS n FROM entry').get() as { n: number };
    return { submissions: Number(s.n), entries: Number(e.n) };
  }

  /** Closes the file (the WAL is checkpointed into it). */
  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

/** What is kept of an entry for its re-check: the code (exercise) or the seed, mode and log (lab). */
function entryBody(e: Entry): string {
  return e.kind === 'exercise' ? JSON.stringify({ code: e.code, version: e.version }) : JSON.stringify({ seed: e.seed, mode: e.mode, log: e.log });
}
