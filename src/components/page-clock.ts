// One virtual clock per page. Every widget that simulates time (the request visualizer, the Redis view) reads
// "now" from here, so a page never shows two years at once: the lessons' computed exchanges, the visualizer
// and the Redis view all start at the same instant, and moving the clock in one widget moves it in all.
// The clock only moves when a learner (or a preset's scene) moves it: it does not tick with real time.

/** The course's fixed instant, Unix seconds: 2023-11-14 22:13:20 UTC (the lessons' computed examples use it too). */
export const PAGE_EPOCH = 1_700_000_000;

export interface PageClock {
  /** Virtual Unix seconds now. */
  now(): number;
  /** Seconds the clock has been moved forward since {@link PAGE_EPOCH} (negative when moved back). */
  offset(): number;
  /** Moves the clock forward by `seconds`, then tells every subscriber. */
  advance(seconds: number): void;
  /** Puts the clock back to {@link PAGE_EPOCH}, then tells every subscriber. */
  reset(): void;
  /** Calls `fn` after each move; returns the unsubscribe function. */
  subscribe(fn: (now: number) => void): () => void;
}

/** A fresh clock (tests, build time: every server-rendered widget starts at the epoch). */
export function createClock(start = PAGE_EPOCH): PageClock {
  let t = start;
  const listeners = new Set<(now: number) => void>();
  const notify = () => {
    for (const fn of [...listeners]) fn(t);
  };
  return {
    now: () => t,
    offset: () => t - PAGE_EPOCH,
    advance(seconds) {
      t += seconds;
      notify();
    },
    reset() {
      t = PAGE_EPOCH;
      notify();
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

const KEY = Symbol.for('flask-session-lab.page-clock');

/** The page's clock: one instance per document, shared by every widget's code chunk. */
export function pageClock(): PageClock {
  const g = globalThis as unknown as Record<symbol, PageClock | undefined>;
  return (g[KEY] ??= createClock());
}
