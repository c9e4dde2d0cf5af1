// What the real Flask-Session 0.3.2 and 0.8.0 did with the lab's payloads (recorded by
// tests/labs/pickle-store-real.test.ts, which fails when they no longer do this).
import data from './real-runs.json';

export interface RealRun {
  /** The command each call would have run, in order (the test's recorder saw them). */
  calls: string[];
  status: number;
  /** The page, when the status is 200. */
  body: string | null;
  storedAfterHex: string | null;
  storedAfterIsPayload: boolean;
}

export interface RealRuns {
  judges: { judge: string; flask: string; flaskSession: string; python: string; runs: Record<string, RealRun> }[];
}

export const REAL_RUNS = data as RealRuns;
