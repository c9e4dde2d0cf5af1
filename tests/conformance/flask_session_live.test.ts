// Live conformance for the Flask-Session rebuild: the pickle and msgpack writers and readers against Debian's
// Python 3.11 (pickle, python3-msgpack) over fresh random session values, and the vector file's reproducibility.
// Reproduce a failure with FC_SEED=<seed printed below> npx vitest run tests/conformance/flask_session_live.test.ts
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { packb, unpackb } from '../../src/engine/flask_session/msgpack.ts';
import { dumps, loads } from '../../src/engine/flask_session/pickle.ts';
import { PyFloat, PyTuple, type PyKey, type PyValue } from '../../src/engine/python/values.ts';
import { canon, fromHex, toHex } from '../engine/flask_session/support.ts';
import { DEBIAN_PYTHON, itWithPeer, runPython } from '../support/peers.ts';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`[flask_session_live] fast-check seed ${SEED} (set FC_SEED=${SEED} to replay)`);

/** The vector script's tagged form of a value (see tests/peers/flask_session_vectors.py). */
function tagged(v: PyValue | PyKey): unknown {
  return canon(v);
}

const key: fc.Arbitrary<PyKey> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme', minLength: 2, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 100000 }) },
);
const leaf: fc.Arbitrary<PyValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }).map((b) => (b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b)),
  fc.double().map((d) => (Number.isInteger(d) || !Number.isFinite(d) || Object.is(d, -0) ? new PyFloat(d) : d)),
  // Strings of two or more characters: CPython shares "" and one-character strings, which makes pickle emit BINGET.
  fc.string({ unit: 'grapheme', minLength: 2, maxLength: 40 }),
  fc.uint8Array({ minLength: 2, maxLength: 40 }),
);
const { value } = fc.letrec<{ value: PyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(tie('value'), { maxLength: 4 }).map((xs) => new PyTuple(xs)),
    fc.uniqueArray(fc.tuple(key, tie('value')), { maxLength: 5, selector: ([k]) => (typeof k === 'string' ? `s${k}` : `i${k}`) }).map((es) => new Map(es)),
  ),
}));
const session = fc
  .uniqueArray(fc.tuple(fc.string({ unit: 'grapheme', minLength: 2, maxLength: 12 }), value), { maxLength: 6, selector: ([k]) => k })
  .map((es) => new Map<PyKey, PyValue>([['_permanent', true], ...es]));

const CHECKER = String.raw`
import json, pickle, pickletools, sys, msgpack

def dec(t):
    tag = t[0]
    if tag == 'none': return None
    if tag == 'bool': return t[1]
    if tag == 'int': return int(t[1])
    if tag == 'float': return float({'-0': '-0.0'}.get(t[1], t[1]))
    if tag == 'str': return t[1]
    if tag == 'bytes': return bytes.fromhex(t[1])
    if tag == 'list': return [dec(x) for x in t[1]]
    if tag == 'tuple': return tuple(dec(x) for x in t[1])
    if tag == 'dict': return {dec(k): dec(v) for k, v in t[1]}
    raise ValueError(tag)

def enc(v):
    if v is None: return ['none']
    if isinstance(v, bool): return ['bool', v]
    if isinstance(v, int): return ['int', str(v)]
    if isinstance(v, float): return ['float', 'nan' if v != v else '-0' if (v == 0 and str(v)[0] == '-') else repr(v)]
    if isinstance(v, str): return ['str', v]
    if isinstance(v, bytes): return ['bytes', v.hex()]
    if isinstance(v, list): return ['list', [enc(x) for x in v]]
    if isinstance(v, tuple): return ['tuple', [enc(x) for x in v]]
    if isinstance(v, dict): return ['dict', [[enc(k), enc(x)] for k, x in v.items()]]
    raise TypeError(type(v))

def fresh(v):
    if isinstance(v, str): return str(bytearray(v, 'utf-8'), 'utf-8')
    if isinstance(v, list): return [fresh(x) for x in v]
    if isinstance(v, tuple): return tuple(fresh(x) for x in v)
    if isinstance(v, dict): return {fresh(k): fresh(x) for k, x in v.items()}
    return v

out = []
for case in json.load(sys.stdin):
    v = fresh(dec(case['value']))
    r = {}
    ours = bytes.fromhex(case['pickle'])
    r['loadsOurs'] = enc(pickle.loads(ours)) == enc(v)
    theirs = pickle.dumps(v, protocol=case['protocol'])
    r['hasGet'] = any(op.name in ('BINGET', 'LONG_BINGET') for op, _, _ in pickletools.genops(theirs))
    r['pickle'] = theirs.hex()
    try:
        r['msgpack'] = msgpack.packb(v, use_bin_type=True).hex()
    except OverflowError:
        r['msgpack'] = None
    out.append(r)
json.dump(out, sys.stdout)
`;

describe('Flask-Session rebuild against Debian Python (live)', () => {
  itWithPeer('flask_session', 'random sessions: our pickles load in Python, equal its bytes, and our msgpack equals python3-msgpack', () => {
    const samples = fc.sample(session, { seed: SEED, numRuns: 300 });
    const cases = samples.map((s, i) => {
      const protocol = [3, 4, 5][i % 3]!;
      let mp: string | null = null;
      try {
        mp = toHex(packb(s));
      } catch (e) {
        if (!(e instanceof Error && e.name === 'OverflowError')) throw e;
      }
      return { value: tagged(s), protocol, pickle: toHex(dumps(s, { protocol })), msgpack: mp };
    });
    const results = JSON.parse(runPython(CHECKER, JSON.stringify(cases))) as { loadsOurs: boolean; hasGet: boolean; pickle: string; msgpack: string | null }[];
    let compared = 0;
    results.forEach((r, i) => {
      const c = cases[i]!;
      expect(r.loadsOurs, `case ${i}`).toBe(true);
      if (!r.hasGet) {
        expect(c.pickle, `case ${i}`).toBe(r.pickle);
        compared++;
      }
      // Whatever Python wrote (with or without BINGET) our reader loads to the same value.
      expect(canon(loads(fromHex(r.pickle)))).toEqual(canon(samples[i]!));
      // Ints past 64 bits overflow on both sides.
      expect(c.msgpack, `case ${i}`).toBe(r.msgpack);
      if (r.msgpack === null) return;
      expect(JSON.stringify(canon(unpackb(fromHex(r.msgpack))))).toBe(JSON.stringify(canon(samples[i]!)).replaceAll('"tuple"', '"list"'));
    });
    expect(compared).toBeGreaterThan(250);
  });

  itWithPeer('flask_session', 'tests/vectors/flask_session.json is what the checked-in script writes today', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fsv-'));
    try {
      const out = join(dir, 'v.json');
      execFileSync(DEBIAN_PYTHON, ['tests/peers/flask_session_vectors.py', out], { encoding: 'utf8' });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync('tests/vectors/flask_session.json', 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
