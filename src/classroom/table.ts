// The students × tasks table as data: its order (by name, by tasks solved, by flags, or by one task's state) and
// its CSV. Pure, so the page and the tests share it; the page draws it with textContent only.
import { taskKey, type Cell, type CellState, type StudentRow, type Task } from './recheck.ts';

export type SortKey = 'name' | 'solved' | 'flagged' | `task:${string}`;
export type SortDir = 'ascending' | 'descending';

const STATE_RANK: Record<CellState, number> = { pass: 5, fail: 3, error: 2, unchecked: 1, missing: 0, unknown: -1 };

function compareCells(a: Cell | undefined, b: Cell | undefined): number {
  const ra = a ? STATE_RANK[a.state] * 10 - a.flags.length : -100;
  const rb = b ? STATE_RANK[b.state] * 10 - b.flags.length : -100;
  return ra - rb;
}

/** The rows in the order asked for; ties keep the import order, so sorting twice is stable. */
export function sortRows(rows: readonly StudentRow[], key: SortKey, dir: SortDir, locale = 'en'): StudentRow[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  const sign = dir === 'ascending' ? 1 : -1;
  const by = (a: StudentRow, b: StudentRow): number => {
    if (key === 'name') return collator.compare(a.name, b.name);
    if (key === 'solved') return a.solved - b.solved;
    if (key === 'flagged') return a.flagged - b.flagged;
    const k = key.slice('task:'.length);
    return compareCells(a.cells[k], b.cells[k]);
  };
  return [...rows].sort((a, b) => sign * by(a, b) || a.index - b.index);
}

/** A CSV field: quoted when needed; a leading = + - @ (a formula to a spreadsheet) is made plain text with a quote mark. */
export function csvField(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface CsvWords {
  student: string;
  file: string;
  solved: string;
  state: Record<CellState, string>;
  flag: Record<string, string>;
  /** The column title of a task. */
  taskTitle: (task: Task) => string;
}

/** The table as CSV (RFC 4180, CRLF): one row per student, one column per task with its state and flags. */
export function toCsv(rows: readonly StudentRow[], tasks: readonly Task[], words: CsvWords): string {
  const header = [words.student, words.file, words.solved, ...tasks.map((t) => words.taskTitle(t))];
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) {
    const cells = tasks.map((t) => {
      const c = row.cells[taskKey(t)];
      if (!c) return '';
      return [words.state[c.state], ...c.flags.map((f) => words.flag[f] ?? f)].join('; ');
    });
    lines.push([row.name, row.fileName, `${row.solved}/${tasks.length}`, ...cells].map(csvField).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
