// Checks the engine against tests/vectors/json.json, written by tests/peers/json_vectors.py with Debian's
// Python 3.11, Flask 2.2.2 and Werkzeug 2.2.2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import vectors from '../../../vectors/json.json';
import { sessionJsonSerializer as s } from '../../../../src/engine/flask/json/tag.ts';
import { dumps, floatRepr, loads } from '../../../../src/engine/python/json.ts';
import { pyRepr } from '../../../../src/engine/python/repr.ts';
import { setPythonRules, type PythonRules } from '../../../../src/engine/python/version.ts';
import { httpDate, parseDateWithOffset } from '../../../../src/engine/werkzeug/dates.ts';
import { asPyFloat } from '../../python/arbitraries.ts';
import { fromWire, type Wire } from '../../../peers/wire.ts';

type PyErr = { error: { cls: string; msg: string } };
type Outcome = string | PyErr;

/** Python's class name for an engine error (binascii.Error's type name is just "Error"). */
function pyClass(e: Error): string {
  return e.name === 'binascii.Error' ? 'Error' : e.name;
}

function outcome(f: () => string): Outcome {
  try {
    return f();
  } catch (e) {
    return { error: { cls: pyClass(e as Error), msg: (e as Error).message } };
  }
}

function sameError(got: PyErr, want: PyErr): boolean {
  return got.error.cls === want.error.cls && got.error.msg === want.error.msg;
}

function expectOutcome(got: Outcome, want: Outcome, context: string): void {
  if (typeof want === 'string' || typeof got === 'string') {
    expect(got, context).toEqual(want);
  } else {
    expect(sameError(got, want), `${context}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`).toBe(true);
  }
}

describe(`tagged JSON vectors (Python ${vectors.python}, Flask ${vectors.flask})`, () => {
  // The engine follows the Python that wrote the file where Pythons differ (setPythonRules).
  let saved: PythonRules;
  beforeAll(() => {
    saved = setPythonRules(vectors.python.startsWith('3.11') ? '3.11' : '3.13');
  });
  afterAll(() => {
    setPythonRules(saved);
  });
  it(`dumps ${vectors.values.length} random values as Flask does, sorted and unsorted, and loads them back`, () => {
    let sortedErrors = 0;
    for (const c of vectors.values) {
      const v = fromWire(c.input as Wire);
      const context = JSON.stringify(c.input).slice(0, 300);
      expectOutcome(outcome(() => s.dumps(v)), c.unsorted as Outcome, `unsorted ${context}`);
      const sorted = outcome(() => s.dumps(v, { sortKeys: true }));
      expectOutcome(sorted, c.sorted as Outcome, `sorted ${context}`);
      if (typeof c.sorted !== 'string') sortedErrors++;
      const text = typeof c.sorted === 'string' ? c.sorted : c.unsorted;
      if (typeof text === 'string' && c.loaded) {
        expect(pyRepr(s.loads(text)), `loads ${text}`).toBe(pyRepr(fromWire(c.loaded as Wire)));
      }
    }
    // The generator mixes key types on purpose, so some sorted dumps must fail.
    expect(sortedErrors).toBeGreaterThan(0);
  });

  it(`loads ${vectors.loads.length} tagged texts, including wrong-type tags, with Flask's results and errors`, () => {
    let differs22 = 0;
    for (const c of vectors.loads) {
      // `result` is Flask 3.1's way (parse, then untag); `flask22` is the installed Flask 2.2, which untags inside
      // the parser: it agrees except on which error wins for a malformed text or an empty ` di`.
      const want = c.result as Wire | PyErr;
      if (JSON.stringify(c.result) !== JSON.stringify(c.flask22)) {
        differs22++;
        expect('error' in (c.flask22 as object), c.text).toBe(true);
      }
      let got: string | PyErr;
      try {
        got = pyRepr(s.loads(c.text));
      } catch (e) {
        got = { error: { cls: pyClass(e as Error), msg: (e as Error).message } };
      }
      if ('error' in want && !Array.isArray(want)) {
        expect(typeof got !== 'string' && sameError(got, want), `${c.text}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`).toBe(true);
      } else {
        expect(got, c.text).toBe(pyRepr(fromWire(want as Wire)));
      }
    }
    console.log(`[json vectors] ${differs22} of ${vectors.loads.length} texts fail differently under Flask 2.2's in-parser untagging`);
  });
});

describe('json module vectors', () => {
  it(`writes ${vectors.floats.length} floats with Python's repr and json.dumps`, () => {
    for (const [bits, repr, json] of vectors.floats) {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, BigInt(`0x${bits}`));
      const x = view.getFloat64(0);
      expect(floatRepr(x), bits).toBe(repr);
      expect(dumps(asPyFloat(x)), bits).toBe(json);
    }
  });
  it(`parses ${vectors.jsonErrors.length} malformed or odd documents with Python's results and messages`, () => {
    for (const [text, want] of vectors.jsonErrors as [string, { ok: string } | PyErr][]) {
      const got = outcome(() => dumps(loads(text)));
      if ('ok' in want) expect(got, JSON.stringify(text)).toBe(want.ok);
      else expectOutcome(got, want, JSON.stringify(text));
    }
  });
});

describe('Werkzeug date vectors', () => {
  it(`parses ${vectors.dates.length} date strings as parse_date does`, () => {
    for (const [text, want] of vectors.dates as [string, Wire | PyErr | null][]) {
      let got: unknown;
      try {
        const p = parseDateWithOffset(text);
        got = p && ['datetime', String(p.date.getTime()), p.offsetSeconds ?? 0];
      } catch (e) {
        got = { error: { cls: pyClass(e as Error) } };
      }
      const expected = want && !Array.isArray(want) ? { error: { cls: want.error.cls } } : want;
      expect(got, JSON.stringify(text)).toEqual(expected);
    }
  });
  it(`formats ${vectors.httpDates.length} moments as http_date does`, () => {
    for (const [ms, text] of vectors.httpDates) expect(httpDate(new Date(Number(ms))), ms).toBe(text);
  });
});
