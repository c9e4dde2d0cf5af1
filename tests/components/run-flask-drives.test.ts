// "Run on real Flask" for every lesson listing that shows a Flask app. The scan: each listing a lesson (en and
// zh-CN) shows with `Flask(` in it has a drive or a stated reason the page cannot run it, and no lesson writes a
// Flask app inline where no button can go. The run: each drive's snippet, exactly as the page sends it, runs on
// the real Flask in Node (the same Pyodide runtime and archive as the page's Worker) and answers every request the
// engine answered with the engine's status and body, and Set-Cookie for the same cookie names with the same
// attributes (values differ: different instants, random ids).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DRIVES, NOT_RUNNABLE, definesFlaskApp, drivenSnippet, listingsIn, pathOf } from '../../src/components/run-flask/drives.ts';
import { createRunner, type Runner } from '../../src/exercises/runtime/node.ts';
import type { Exchange } from '../../src/exercises/types.ts';
import type { ExchangeView } from '../../src/lessons/exchange.ts';
import { itWithArchive } from '../support/runtime.ts';

const ROOT = process.cwd();
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const LESSON_DIRS = ['content/lessons', 'content/zh-cn/lessons'];
const lessons = LESSON_DIRS.flatMap((dir) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.mdx')).map((f) => `${dir}/${f}`));

/** Every examples/python listing the lessons show, with the lessons that show it. */
const shown = new Map<string, string[]>();
for (const lesson of lessons) for (const file of listingsIn(read(lesson))) shown.set(file, [...(shown.get(file) ?? []), lesson]);

describe('every lesson listing that shows a Flask app gets "Run on real Flask"', () => {
  it('each listing with Flask( has a drive, or a reason the page cannot run it; nothing else has one', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(18);
    const flaskListings = [...shown.keys()].filter((file) => definesFlaskApp(read(file))).sort();
    expect(flaskListings.length).toBeGreaterThanOrEqual(12);
    const missing = flaskListings.filter((file) => !(file in DRIVES) && !(file in NOT_RUNNABLE)).map((file) => `${file} (in ${shown.get(file)!.join(', ')})`);
    expect(missing, 'listings with a Flask app and no drive in src/components/run-flask/drives.ts').toEqual([]);
    // A drive or reason for a file no lesson shows, or one that is not a Flask app, is a leftover.
    expect(Object.keys({ ...DRIVES, ...NOT_RUNNABLE }).sort()).toEqual(flaskListings);
    // Both languages show the same listings.
    for (const file of flaskListings) {
      const en = shown.get(file)!.filter((l) => !l.includes('/zh-cn/'));
      const zh = shown.get(file)!.filter((l) => l.includes('/zh-cn/')).map((l) => l.replace('/zh-cn/', '/'));
      expect(en.length, file).toBeGreaterThan(0);
      expect(zh, `${file}: the same lessons in both languages`).toEqual(en);
    }
  });

  it('no lesson writes a Flask app inline (a listing in examples/python/ gets the button; inline code cannot)', () => {
    for (const lesson of lessons) {
      const inline = read(lesson)
        .split('\n')
        .map((line, i) => [i + 1, line] as const)
        .filter(([, line]) => definesFlaskApp(line));
      expect(inline.map(([n, line]) => `${lesson}:${n}: ${line}`)).toEqual([]);
    }
  });
});

/** What is compared: status, body, and each Set-Cookie's name and attribute names (Expires as present or not). */
function shape(x: { status: number; body: string; headers: readonly (readonly [string, string])[] }) {
  const cookies = x.headers
    .filter(([k]) => k.toLowerCase() === 'set-cookie')
    .map(([, v]) => {
      const [pair, ...attrs] = v.split(';').map((p) => p.trim());
      return [pair!.split('=', 1)[0], ...attrs.map((a) => a.split('=', 1)[0]!.toLowerCase()).sort()].join(' ');
    });
  return { status: x.status, body: x.body, cookies };
}

const engineShape = (x: ExchangeView) => shape({ status: x.status, body: x.body, headers: x.responseHeaders });
const realShape = (x: Exchange) => shape({ status: x.status, body: x.body, headers: x.response_headers });

describe('each drive on the real Flask in Node answers as the engine does', () => {
  let runner: Runner | undefined;
  afterAll(() => runner?.dispose());
  for (const [file, drive] of Object.entries(DRIVES)) {
    itWithArchive(
      file,
      async () => {
        runner ??= createRunner({ timeLimitMs: 120_000 });
        const engine = await drive.engine();
        const answer = await runner.runSnippet({ code: drivenSnippet(read(file), drive, read), filename: file.split('/').pop()! });
        expect(answer.exception, answer.stderr).toBeNull();
        expect(answer.exchanges.map((x) => `${x.method} ${pathOf(x.url)}`)).toEqual(engine.map((x) => `${x.method} ${pathOf(x.url)}`));
        expect(answer.exchanges.map(realShape)).toEqual(engine.map(engineShape));
      },
      180_000,
    );
  }
});
