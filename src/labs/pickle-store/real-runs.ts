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

const WORDS = {
  en: {
    called: (c: string) => `called system(${JSON.stringify(c)})`,
    status: (s: number, body: string | null) => (s === 200 ? `200, "${(body ?? '').trimEnd()}"` : `${s} (the call had already run)`),
    kept: 'the payload stays in the store',
    pickle: 'rewritten as a pickle',
    msgpack: 'rewritten as msgpack',
  },
  'zh-CN': {
    called: (c: string) => `调用了 system(${JSON.stringify(c)})`,
    status: (s: number, body: string | null) => (s === 200 ? `200，“${(body ?? '').trimEnd()}”` : `${s}（调用已经执行过了）`),
    kept: '载荷原样留在存储里',
    pickle: '被重写为 pickle',
    msgpack: '被重写为 msgpack',
  },
} as const;

/** One table cell per judge for a payload: what the real version did, in the page's language. */
export function runCells(payload: string, lang: 'en' | 'zh-CN'): string[] {
  const w = WORDS[lang];
  return REAL_RUNS.judges.map((j) => {
    const r = j.runs[payload];
    if (!r) return '';
    const stored = r.storedAfterIsPayload ? w.kept : r.storedAfterHex?.startsWith('80') ? w.pickle : w.msgpack;
    return [r.calls.map((c) => w.called(c)).join(', '), w.status(r.status, r.body), stored].join(lang === 'en' ? '; ' : '；');
  });
}
