// One tally of live comparisons per suite and judge, printed as one line in a fixed format, e.g.
//   [live] cookie_sessions flask-3.1: 2412 checks (byte-identical tokens=300 ...)
// so a run's log says how many cases ran against each judge (grep '^\[live\]').
import { afterAll, beforeAll } from 'vitest';
import { setBase64Rules, type Base64Rules } from '../../src/engine/itsdangerous/encoding.ts';
import type { JudgeId } from '../support/judges.ts';

export class LiveCounts {
  private readonly counts = new Map<string, number>();

  constructor(
    readonly suite: string,
    readonly judge: JudgeId,
  ) {}

  /** Adds `n` checks of one kind. */
  add(what: string, n = 1): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + n);
  }

  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
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
 * Inside a judge's describe block: the engine decodes base64 by that judge's CPython rules (Debian 12's
 * Python 3.11 stops at a complete `=` run, Debian 13's 3.13 reads on; see setBase64Rules), and goes back to
 * its default afterwards.
 */
export function followJudgePython(id: JudgeId): void {
  let saved: Base64Rules;
  beforeAll(() => {
    saved = setBase64Rules(id === 'flask-2.2' ? 'python3.11' : 'python3.13');
  });
  afterAll(() => {
    setBase64Rules(saved);
  });
}
