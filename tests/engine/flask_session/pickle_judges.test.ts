// The pickle reader and writer on Python's own pickles of shared-reference towers, under both judges. Kept out of
// pickle.test.ts, which also runs in Chromium (vitest.browser.config.ts), where no Python can be started.
import { describe, expect } from 'vitest';
import { dumps, loads } from '../../../src/engine/flask_session/pickle.ts';
import { forEachJudge, itWithJudge, runPythonUnder } from '../../support/judges.ts';
import { fromHex, toHex } from './support.ts';

/** `x = []` then `x = [x, x]` `levels` times under `{'x': ...}`, as Python builds it, pickled with protocol 4, as hex. */
const TOWER_PY = (levels: number) =>
  `import pickle\nx = []\nfor _ in range(${levels}): x = [x, x]\nprint(pickle.dumps({'x': x}, protocol=4).hex())`;

describe('pickle: Python\'s own shared-reference towers', () => {
  forEachJudge((j) => {
    itWithJudge(j.id, `Python's own pickle of the 24- and 40-level towers: read back and written again byte for byte (${j.label})`, () => {
      for (const levels of [24, 40]) {
        const theirs = runPythonUnder(j.id, TOWER_PY(levels)).trim();
        const back = loads(fromHex(theirs));
        expect(toHex(dumps(back))).toBe(theirs);
        expect(() => loads(fromHex(theirs), { maxExpanded: 1_000_000 })).toThrow(/expand/);
      }
    });
  });
});
