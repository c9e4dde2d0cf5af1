// One tally of live comparisons per suite and judge, printed as one line in a fixed format, e.g.
//   [live] cookie_sessions flask-3.1: 2412 checks (byte-identical tokens=300 ...)
// so a run's log says how many cases ran against each judge (grep '^\[live\]').
import { afterAll, beforeAll } from 'vitest';
import { setPythonRules, type PythonRules } from '../../src/engine/python/version.ts';
import type { JudgeId } from '../support/judges.ts';

export class LiveCounts {
  private readonly counts = new Map<string, number>();
  readonly suite: string;
  readonly judge: JudgeId;

  constructor(suite: string, judge: JudgeId) {
    this.suite = suite;
    this.judge = judge;
  }

  /** Adds `n` checks of one kind. */
  add(what: string, n = 1): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + n);
  }

  /** Every check counted once: kinds named "…of which …" are parts of another kind and not added again. */
  get total(): number {
    return [...this.counts].reduce((a, [what, n]) => (what.startsWith('…') ? a : a + n), 0);
  }

  /** The one line for the log; `extra` (e.g. the seed) goes at the end. */
  line(extra = ''): string {
    const parts = [...this.counts].map(([k, v]) => `${k}=${v}`).join(' ');
    return `[live] ${this.suite} ${this.judge}: ${this.total} checks${parts ? ` (${parts})` : ''}${extra ? ` ${extra}` : ''}`;
  }

  /** Prints {@link line}; call it from afterAll, also when nothing ran (then it says 0). */
  print(extra = ''): void {
    console.log(this.line(extra));
  }
}

/**
 * Inside a judge's describe block: where CPython itself changed between the judges (base64 after `=`, JSON's
 * trailing-comma messages; see src/engine/python/version.ts), the engine follows that judge's Python (Debian
 * 12's 3.11 or Debian 13's 3.13), and goes back to its default afterwards.
 */
export function followJudgePython(id: JudgeId): void {
  let saved: PythonRules;
  beforeAll(() => {
    saved = setPythonRules(id === 'flask-2.2' ? '3.11' : '3.13');
  });
  afterAll(() => {
    setPythonRules(saved);
  });
}
