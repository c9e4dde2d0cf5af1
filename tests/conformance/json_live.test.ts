// Live conformance: Flask's tagged JSON and Werkzeug's dates, the TypeScript engine against both judges (Debian 12's
// Flask 2.2.2 / Werkzeug 2.2.2 and Debian 13's Flask 3.1.1 / Werkzeug 3.1.3), one batched Python process per judge,
// both directions, over fresh random values. Each judge's count is printed as `[live] json <judge>: N checks`.
// Reproduce a failure with FC_SEED=<seed printed below> npx vitest run tests/conformance/json_live.test.ts
import fc from 'fast-check';
import { expect } from 'vitest';
import { sessionJsonSerializer as s } from '../../src/engine/flask/json/tag.ts';
import { loads as jsonLoads } from '../../src/engine/python/json.ts';
import jsonVectors from '../vectors/json.json' with { type: 'json' };
import { pyRepr } from '../../src/engine/python/repr.ts';
import { parseDateWithOffset } from '../../src/engine/werkzeug/dates.ts';
import { pyValue } from '../engine/python/arbitraries.ts';
import { fromWire, toWire, type Wire } from '../peers/wire.ts';
import { forEachJudge, itWithJudge, runPythonUnder, syncIntoTrixie } from '../support/judges.ts';
import { followJudgePython, LiveCounts } from './live_counts.ts';
import { fcSeed } from '../support/seed.ts';

const SEED = fcSeed();
console.log(`[json_live] fast-check seed ${SEED} (set FC_SEED=${SEED} to replay)`);

type PyErr = { error: { cls: string; msg: string } };
type Outcome = string | PyErr;

function outcome(f: () => string): Outcome {
  try {
    return f();
  } catch (e) {
    const err = e as Error;
    return { error: { cls: err.name === 'binascii.Error' ? 'Error' : err.name, msg: err.message } };
  }
}

/** tests/peers, as an absolute path: the modern judge runs in a root where the repository sits at the same path. */
const PEERS = new URL('../peers', import.meta.url).pathname;

const PEER = String.raw`
import json, sys, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, PEERS)
import json_vectors as jv
from werkzeug.http import parse_date

req = json.loads(sys.stdin.read())
s, app = jv.serializer, jv.app

def both(v):
    return [jv.dump_outside(v), jv.dump_inside(v)]

def reload(text, sort):
    try:
        v = s.loads(text)
    except Exception as e:
        return jv.error(e)
    return jv.dump_inside(v) if sort else jv.dump_outside(v)

out = {"dumps": [], "reloads": [], "python": [], "dates": []}
for w in req["values"]:
    out["dumps"].append(both(jv.from_wire(w)))
for unsorted, sorted_ in req["texts"]:
    out["reloads"].append([reload(unsorted, False) if unsorted else None, reload(sorted_, True) if sorted_ else None])
jv.rng.seed(req["seed"])
for _ in range(req["pythonCount"]):
    v = jv.rand_value(jv.rng.choice([1, 2, 3, 4]))
    u, so = both(v)
    out["python"].append([jv.to_wire(v), u, so, reload(u, False) if isinstance(u, str) else None])
for text in req["dates"]:
    try:
        d = parse_date(text)
        out["dates"].append(None if d is None else jv.to_wire(d))
    except Exception as e:
        out["dates"].append(jv.error(e))
sys.stdout.write(json.dumps(out))
`;

const DATE_TOKENS = ['Mon,', 'Tue', 'Sunday,', '02', '2', '31', '32', '0', 'Jan', 'jan', 'FEBRUARY', 'Dec', '29', '2024', '1999', '99',
  '68', '69', '0005', '10000', '03:04:05', '03:04', '3.4.5', '24:00:00', '23:59:59', 'GMT', 'UTC', 'Z', 'EST', 'pdt', '+0200', '-0000',
  '-0130', '+2400', 'x', '12-Jan-99', '1_0', '٢٠٢٤', '2024,', '10:00,', '+02:00'];

forEachJudge((j) => {
  followJudgePython(j.id);
  itWithJudge(j.id, `agrees with Flask ${j.flask} byte for byte in both directions on fresh random values`, () => {
    const values = fc.sample(fc.oneof(pyValue({ tagged: true, keys: 'str', depth: 4 }), pyValue({ tagged: true, keys: 'any', depth: 3 })), {
      numRuns: 400,
      seed: SEED,
    });
    const ours = values.map((v) => [outcome(() => s.dumps(v)), outcome(() => s.dumps(v, { sortKeys: true }))] as [Outcome, Outcome]);
    const dates = fc.sample(fc.array(fc.constantFrom(...DATE_TOKENS), { minLength: 3, maxLength: 7 }).map((a) => a.join(' ')), { numRuns: 300, seed: SEED });
    const request = {
      values: values.map((v) => toWire(v, false)), // datetimes as aware UTC
      texts: ours.map(([u, so]) => [typeof u === 'string' ? u : null, typeof so === 'string' ? so : null]),
      seed: SEED,
      pythonCount: 300,
      dates,
    };
    if (j.id === 'flask-3.1') syncIntoTrixie(PEERS); // json_vectors.py and wire.py, imported by the snippet
    const answer = JSON.parse(runPythonUnder(j.id, `PEERS = ${JSON.stringify(PEERS)}\n${PEER}`, JSON.stringify(request))) as {
      dumps: [Outcome, Outcome][];
      reloads: [Outcome | null, Outcome | null][];
      python: [Wire, Outcome, Outcome, Outcome | null][];
      dates: (Wire | PyErr | null)[];
    };

    let compared = 0;
    // TS → Python: the same value dumps to the same bytes, and loads + dumps of our text gives the same bytes on both
    // sides (not always the text itself: loaded keys are strings, which sort differently from the ints they were).
    values.forEach((v, i) => {
      const context = `case ${i} ${pyRepr(v).slice(0, 200)}`;
      expect(ours[i]![0], `unsorted ${context}`).toEqual(answer.dumps[i]![0]);
      expect(ours[i]![1], `sorted ${context}`).toEqual(answer.dumps[i]![1]);
      const [u, so] = answer.reloads[i]!;
      const [tu, tso] = ours[i]!;
      if (typeof tu === 'string') expect(outcome(() => s.dumps(s.loads(tu))), `reload ${context}`).toEqual(u);
      if (typeof tso === 'string') expect(outcome(() => s.dumps(s.loads(tso), { sortKeys: true })), `reload sorted ${context}`).toEqual(so);
      compared += 4;
    });
    // Python → TS: Python's own random values (lone surrogates, NaNs, naive and offset datetimes, mixed keys).
    for (const [wire, unsorted, sorted, reloaded] of answer.python) {
      const v = fromWire(wire);
      expect(outcome(() => s.dumps(v)), JSON.stringify(wire).slice(0, 200)).toEqual(unsorted);
      expect(outcome(() => s.dumps(v, { sortKeys: true })), JSON.stringify(wire).slice(0, 200)).toEqual(sorted);
      // Not always the same text: a year below 100 loads back as a 2-digit year, on both sides.
      if (typeof unsorted === 'string') expect(outcome(() => s.dumps(s.loads(unsorted))), unsorted).toEqual(reloaded);
      compared += 3;
    }
    // Werkzeug's parse_date on random token soup.
    dates.forEach((text, i) => {
      const want = answer.dates[i]!;
      let got: unknown;
      try {
        const p = parseDateWithOffset(text);
        got = p && ['datetime', String(p.date.getTime()), p.offsetSeconds ?? 0];
      } catch (e) {
        got = { error: { cls: (e as Error).name } };
      }
      const expected = want && !Array.isArray(want) ? { error: { cls: want.error.cls } } : want;
      expect(got, JSON.stringify(text)).toEqual(expected);
      compared++;
    });
    const tally = new LiveCounts('json', j.id);
    tally.add('engine values (dumps, sorted dumps, reloads)', values.length * 4);
    tally.add('Python values (dumps, sorted dumps, reload)', answer.python.length * 3);
    tally.add('parse_date', dates.length);
    expect(tally.total).toBe(compared);
    tally.print(`seed=${SEED}`);
  }, 120_000);
});


// Malformed JSON: Python's json.loads error messages, where Python 3.13 and 3.11 differ (trailing commas).
const ERRORS_PY = String.raw`
import json, sys
out = []
for t in json.load(sys.stdin):
    try:
        json.loads(t)
        out.append(None)
    except Exception as e:
        out.append([type(e).__name__, str(e)])
json.dump(out, sys.stdout)
`;

const JSON_PIECES = ['[', ']', '{', '}', ',', ', ', ':', '"a"', '"b"', '1', '-', '1.5e3', 'null', 'true', 'NaN', ' ', '\n', '"\\u12"', 'x'];

forEachJudge((j) => {
  followJudgePython(j.id);
  itWithJudge(j.id, `malformed JSON (trailing commas included) fails with Python ${j.id === 'flask-2.2' ? '3.11' : '3.13'}'s message`, () => {
    const texts = fc.sample(fc.array(fc.constantFrom(...JSON_PIECES), { maxLength: 10 }).map((p) => p.join('')), { numRuns: 400, seed: SEED + 3 });
    texts.push('[1,]', '{"a":1,}', '[1, ]', '{"a":1 , }', '[1,,]', '{"a":[1,],}', '{,}', '[,]');
    const theirs = JSON.parse(runPythonUnder(j.id, ERRORS_PY, JSON.stringify(texts))) as ([string, string] | null)[];
    texts.forEach((t, i) => {
      let mine: [string, string] | null = null;
      try {
        jsonLoads(t);
      } catch (e) {
        mine = [(e as Error).name, (e as Error).message];
      }
      expect(mine, JSON.stringify(t)).toEqual(theirs[i]);
    });
    const tally = new LiveCounts('json_errors', j.id);
    tally.add('json.loads texts', texts.length);
    tally.print(`seed=${SEED}`);
  });
});

// The frozen loads cases of tests/vectors/json.json hold two answers: `flask22`, what Debian 12's Flask 2.2.2 did,
// and `result`, Flask 3.1's way (parse, then untag) as json_vectors.py reproduced it on 2.2. Each judge's real
// TaggedJSONSerializer now answers every text: 2.2 must give `flask22`, 3.1 must give `result`.
const LOADS_PY = String.raw`
import json, sys, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, PEERS)
import json_vectors as jv
sys.stdout.write(json.dumps([jv.load(t) for t in json.load(sys.stdin)]))
`;

forEachJudge((j) => {
  itWithJudge(j.id, `the frozen tagged-JSON loads cases: Flask ${j.flask}'s real answers are the ones the vectors give for it`, () => {
    const cases = (jsonVectors as unknown as { loads: { text: string; result: unknown; flask22: unknown }[] }).loads;
    if (j.id === 'flask-3.1') syncIntoTrixie(PEERS);
    const answers = JSON.parse(runPythonUnder(j.id, `PEERS = ${JSON.stringify(PEERS)}\n${LOADS_PY}`, JSON.stringify(cases.map((c) => c.text)))) as unknown[];
    cases.forEach((c, i) => expect(answers[i], c.text).toEqual(j.id === 'flask-2.2' ? c.flask22 : c.result));
    const tally = new LiveCounts('json_frozen_loads', j.id);
    tally.add('loads texts', cases.length);
    tally.add('…of which 2.2 and 3.1 differ', cases.filter((c) => JSON.stringify(c.result) !== JSON.stringify(c.flask22)).length);
    tally.print();
  });
});
