import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import { axeOn, settle, test, useTheme, type Theme } from './support.ts';
import { loadExercises } from '../../src/exercises/catalog.ts';
import { LANGS, type Exercise, type Lang } from '../../src/exercises/types.ts';
import { PANEL_STRINGS, fill } from '../../src/components/exercises/i18n.ts';
import { runtimeText } from '../../src/exercises/runtime/messages.ts';
import { LESSONS } from '../../src/exercises/types.ts';
import { DRIVES, NOT_RUNNABLE, definesFlaskApp, listingsIn } from '../../src/components/run-flask/drives.ts';

// The exercise panel in a real browser, on the real Flask the page loads (Pyodide in a Worker). In each language,
// every exercise is taken through on the overview page, which holds every panel (in a few parts, one test and one
// Python Worker each): the starter fails Check, a correct answer written differently (tests/exercises/variants/<id>.py,
// pasted) passes, Show solution (confirmed in the dialog) then Check passes; after a reload the progress and the code
// are still there, on the lesson pages too. The
// command line's verdict (`npm run exercises -- check <id> --json`, called in-process on the same files) equals the
// browser's for every starter and solution. Every exercise, in both languages, stops `while True: pass` at its own
// time limit with the runtime's message, and the next check passes; the page's clock is moved
// on by the limit (the timer and the interrupt are the page's own), and on the English phone the loop is
// waited out in real time. On a phone, keyboard only: Tab and Escape in the editor. Axe audits the
// open panel with its results; each language is photographed wide and on a phone, light and dark. "Run on real
// Flask": every lesson page, as served, has the block under each listing with a Flask app (a button, or the reason it
// cannot run in a page), and on one lesson page per language every such listing runs on the real Flask and answers
// with the engine's statuses and bodies (tests/components/run-flask-drives.test.ts runs every one in Node).

const exercises = loadExercises(process.cwd());
const lessonPath = (lang: Lang, lesson: string) => `${lang === 'zh-CN' ? '/zh-cn' : ''}/lessons/${lesson}/`;
const LOOP = 'while True:\n    pass\n';

/** How many tests each language's exercises are split into (consecutive runs of nearly equal length). */
const EXERCISE_PARTS = 3;

/** The exercises in EXERCISE_PARTS consecutive runs; every exercise is in exactly one. */
function exerciseParts(): Exercise[][] {
  const size = Math.ceil(exercises.length / EXERCISE_PARTS);
  const parts: Exercise[][] = [];
  for (let i = 0; i < exercises.length; i += size) parts.push(exercises.slice(i, i + size));
  return parts;
}

/** A correct answer written differently from solution.py (tests/exercises/variants/<id>.py, one per exercise). */
function variantOf(ex: Exercise): string {
  const file = `${process.cwd()}/tests/exercises/variants/${ex.id}.py`;
  let code: string;
  try {
    code = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`exercise ${ex.id} has no variant: tests/exercises/variants/${ex.id}.py (${String(error)})`);
  }
  if (code.trim() === ex.solution.trim()) throw new Error(`the variant of ${ex.id} is its solution`);
  return code;
}

/** Replaces the editor's text the way a learner would: select all, then type (insert) the new text. */
async function typeCode(page: Page, panel: Locator, code: string): Promise<void> {
  await panel.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
  await expect.poll(() => editorText(panel)).toBe(code);
}

/**
 * Replaces the editor's text the way a learner brings in code written elsewhere: put on the clipboard, then select
 * all and paste with the keyboard (Ctrl+V). Typed text enters the editor one line at a time and costs a good part of
 * a second a line on a slow machine; a paste is one change, whatever its length. Short code (the endless loop) is still
 * typed, so keyboard input into the editor is exercised on every exercise. The clipboard is the browser's own (one
 * browser per test worker, one test at a time), and the editor's text is compared with the code afterwards.
 */
async function pasteCode(page: Page, panel: Locator, code: string): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await panel.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('ControlOrMeta+v');
  await expect.poll(() => editorText(panel)).toBe(code);
}

/** The editor's whole text (the panel element's `code`; CodeMirror itself draws only the lines in view). */
async function editorText(panel: Locator): Promise<string> {
  return panel.evaluate((el) => (el as HTMLElement & { code?: string }).code ?? '');
}

/**
 * Presses Check and waits for this check's result; returns the overall status and each test's status. With
 * `fastForwardMs`, once the check is under way the page's clock (installed by the test) is moved on by that much, so
 * the page's own time-limit timer fires without the test waiting it out in real time.
 */
async function check(panel: Locator, t: (typeof PANEL_STRINGS)['en'], fastForwardMs?: number): Promise<{ status: string; tests: Record<string, string> }> {
  const before = Number((await panel.getAttribute('data-checks')) ?? '0');
  // Pressed from the keyboard: the editor above may still change height as CodeMirror measures wrapped lines, and
  // a pointer click aimed before that lands beside the button.
  const button = panel.getByRole('button', { name: t.check, exact: true });
  await button.focus();
  await panel.page().keyboard.press('Enter');
  if (fastForwardMs !== undefined) {
    // Busy: the call is in the runtime's hands. Should the clock move before the runtime set its timer, the timer
    // still fires in real time, later.
    await expect(button).toHaveAttribute('aria-busy', 'true');
    await panel.page().clock.fastForward(fastForwardMs);
  }
  await expect(panel).toHaveAttribute('data-checks', String(before + 1), { timeout: 180_000 });
  const status = (await panel.locator('[data-results]').getAttribute('data-result')) ?? '';
  const tests: Record<string, string> = {};
  for (const li of await panel.locator('li.ex-test').all()) tests[(await li.getAttribute('data-test'))!] = (await li.getAttribute('data-status'))!;
  return { status, tests };
}

/** The command line's verdict for one exercise on `code` (the learner's file in a fresh working folder). */
type CliVerdict = (ex: Exercise, code: string, lang: Lang) => Promise<{ status: string; tests: Record<string, string> }>;
let cliVerdict: CliVerdict | null = null;
async function cli(): Promise<CliVerdict> {
  if (cliVerdict) return cliVerdict;
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { runExercises } = await import('../../src/cli/exercises.ts');
  const { createRunner } = await import('../../src/exercises/runtime/node.ts');
  // One Python for every call from this test worker, as a learner's watch mode keeps one.
  const runner = createRunner();
  cliVerdict = async (ex, code, lang) => {
    const dir = mkdtempSync(join(tmpdir(), 'fsl-exercises-'));
    try {
      writeFileSync(join(dir, `${ex.id}.py`), code);
      let out = '';
      let err = '';
      const io = { stdout: { write: (s: string) => void (out += s) }, stderr: { write: (s: string) => void (err += s) }, stdin: undefined, env: { ...process.env, LANG: lang }, cwd: process.cwd() };
      // A generous time limit: a loaded machine may take several seconds for a check the learner's takes in one.
      await runExercises(['check', ex.id, '--json', '--dir', dir, '--lang', lang], io as never, { runner, timeLimitMs: 60_000 });
      let result: { status: string; tests: { name: string; status: string }[] };
      try {
        result = JSON.parse(out) as typeof result;
      } catch {
        throw new Error(`npm run exercises -- check ${ex.id} --json printed no JSON result: ${out}\n${err}`);
      }
      return { status: result.status, tests: Object.fromEntries(result.tests.map((x) => [x.name, x.status])) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return cliVerdict;
}

/**
 * "Run on real Flask" under one lesson listing: the file runs in the page (on the Python the page already started,
 * or starts it) and the real Flask answers each request with the status and body the engine computed.
 */
async function runOnRealFlask(page: Page, t: (typeof PANEL_STRINGS)['en'], file: string): Promise<void> {
  const block = page.locator(`run-flask[data-file="${file}"]`);
  // Placed right under its listing.
  await expect(page.locator(`.expressive-code:has(.title:text-is("${file}")) + run-flask`)).toHaveCount(1);
  if (DRIVES[file]!.standIn === 'fakeredis') await expect(block.locator('[data-stand-in="fakeredis"]')).toHaveText(t.runRealFakeredis);
  // Before the run the heading names no version (the page does not know it yet), and no placeholder shows.
  await expect(block.locator('[data-real-label]').first()).toHaveText(t.realColumnIdle);
  await block.getByRole('button', { name: t.runReal }).click();
  await expect(block).toHaveAttribute('data-ran', 'ok', { timeout: 180_000 });
  const manifest = (await (await page.request.get('/runtime/manifest.json')).json()) as { versions: { flask: string } };
  await expect(block.locator('[data-real-label]').first()).toContainText(`Flask ${manifest.versions.flask}`);
  const pairs = await block.locator('[data-pair]').all();
  expect(pairs.length, file).toBeGreaterThan(1);
  for (const pair of pairs) {
    // Each response's status line and body are the same from the engine and from the real Flask.
    const engine = await pair.locator('[data-engine] pre').allTextContents();
    const real = await pair.locator('[data-real] pre').allTextContents();
    expect(real.length, `${file}: a real exchange for each engine exchange`).toBe(engine.length);
    expect(real[1]!.split('\n')[0], file).toBe(engine[1]!.split('\n')[0]);
    expect(real[2], file).toBe(engine[2]);
  }
}

/**
 * Every lesson page of a language, as served: each listing that shows a Flask app has its "Run on real Flask"
 * block, with a button when the page can run it and the reason in words when it cannot.
 */
async function everyListingHasItsBlock(page: Page, lang: Lang): Promise<void> {
  const t = PANEL_STRINGS[lang];
  const dir = lang === 'zh-CN' ? 'content/zh-cn/lessons' : 'content/lessons';
  let blocks = 0;
  for (const lesson of LESSONS) {
    const html = await (await page.request.get(lessonPath(lang, lesson))).text();
    for (const file of listingsIn(readFileSync(`${dir}/${lesson}.mdx`, 'utf8'))) {
      if (!definesFlaskApp(readFileSync(file, 'utf8'))) continue;
      blocks++;
      const at = html.indexOf(`<run-flask class="ex-panel run-flask not-content" data-file="${file}"`);
      expect(at, `${lesson}: the block of ${file}`).toBeGreaterThan(-1);
      const block = html.slice(at, html.indexOf('</run-flask>', at));
      if (file in NOT_RUNNABLE) expect(block, `${lesson}: ${file} says why it is not run`).toContain(t.runRealNotHere);
      else expect(block, `${lesson}: ${file} has its button`).toContain(`>${t.runReal}</button>`);
    }
  }
  expect(blocks).toBe(Object.keys(DRIVES).length + Object.keys(NOT_RUNNABLE).length);
}

/** Audits one open panel with axe: no violation at all (no waivers). */
async function audit(page: Page, panel: Locator, what: string): Promise<void> {
  const id = await panel.getAttribute('data-id');
  const results = await (await axeOn(page)).include(`ex-panel[data-id="${id}"]`).analyze();
  const report = results.violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
  expect(report, `axe on the open panel ${what}`).toEqual([]);
}

LANGS.forEach((lang) => {
  const t = PANEL_STRINGS[lang];
  const theme: Theme = lang === 'en' ? 'light' : 'dark';
  // Every exercise is taken through on the overview page, which holds every lesson's panels (a lesson page holds the
  // same panels; the phone test uses one). The exercises are split into EXERCISE_PARTS runs of consecutive ones, one
  // test each, so the parts spread over the test workers; each part is one page, so one Python Worker for its
  // exercises. Together the parts of a language take every exercise through, each exercise once.
  exerciseParts().forEach((part, p, parts) => {
    const first = part[0]!;
    const last = part.at(-1)!;
    // The lesson page that reads the progress and runs its listings on the real Flask: English on the attacks lesson
    // (four listings), Chinese on the custom-interface one (two, one on fakeredis). It is visited by the part that
    // solves that lesson's exercise.
    const lesson = lang === 'en' ? 'attacks' : 'custom-interface';
    const onLesson = part.find((x) => x.lesson === lesson);
    test(`every exercise, part ${p + 1} of ${parts.length}: ${first.id} to ${last.id} (${lang}, ${theme}): the starter fails, a variant passes, an endless loop is stopped, the solution passes, progress survives reload`, { tag: '@wide-only' }, async ({ page }, info) => {
      test.setTimeout(600_000);
      // The page's timers run on a clock the test can move on (they keep real time until it does).
      await page.clock.install();
      await useTheme(page, theme);
      // The command line's verdict does not depend on the language: English compares it on every starter, Chinese on
      // every solution, each beside the page's checks.
      const verdictOf = await cli();
      const overview = `${lang === 'zh-CN' ? '/zh-cn' : ''}/exercises/`;
      await page.goto(overview);
      await settle(page);
      expect(await page.evaluate(() => crossOriginIsolated), 'the site is cross-origin isolated').toBe(true);
      await expect(page.locator('tr[data-exercise]')).toHaveCount(exercises.length);
      for (const ex of part) {
        await test.step(ex.id, async () => {
          const panel = page.locator(`ex-panel[data-id="${ex.id}"]`);
          await panel.getByRole('button', { name: t.open }).click();
          await expect(panel.getByRole('textbox', { name: new RegExp(ex.title[lang].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })).toBeFocused();
          expect(await editorText(panel)).toBe(ex.starter);

          const starter = await test.step('starter', () => check(panel, t));
          expect(starter.status, `${ex.id}: the starter must not pass`).not.toBe('pass');
          expect(Object.values(starter.tests).some((s) => s !== 'pass'), `${ex.id}: some test of the starter fails`).toBe(true);
          if (ex === exercises[0]) {
            await audit(page, panel, `${ex.id} (${lang}, ${theme}, failed results)`);
            await panel.screenshot({ path: info.outputPath(`panel-${lang}-wide-${theme}.png`) });
          }

          // Pasted: the variants run to 100 lines (typing them was most of this test's time).
          await pasteCode(page, panel, variantOf(ex));
          expect((await test.step('variant', () => check(panel, t))).status, `${ex.id}: a correct variant passes`).toBe('pass');

          // An endless loop is stopped at this exercise's time limit, with the runtime's message: an error, never a pass.
          // The loop really runs in the Worker; the timer that stops it is the page's own, moved on by the limit.
          await typeCode(page, panel, LOOP);
          const looped = await test.step('endless loop', () => check(panel, t, ex.timeLimitMs));
          expect(looped, `${ex.id}: the endless loop is an error with no test run`).toEqual({ status: 'error', tests: {} });
          await expect(panel.locator('.ex-results .ex-message')).toContainText(runtimeText(lang, 'timeout', { seconds: ex.timeLimitMs / 1000 }));
          const onCli = lang === 'en' ? 'starter' : 'solution';
          const cliVerdict = verdictOf(ex, ex[onCli], lang);

          // The loop was interrupted (the page is cross-origin isolated, checked above) and the next check runs on.
          await panel.getByRole('button', { name: t.showSolution }).click();
          const dialog = panel.getByRole('dialog');
          await expect(dialog).toContainText(t.confirmSolution);
          await expect(dialog.getByRole('button', { name: t.cancel })).toBeFocused();
          await dialog.getByRole('button', { name: t.confirmSolutionYes }).click();
          await expect.poll(() => editorText(panel)).toBe(ex.solution);
          const solution = await test.step('solution', () => check(panel, t));
          expect(solution.status, `${ex.id}: the solution passes`).toBe('pass');
          expect(await test.step('command line', () => cliVerdict), `${ex.id}: the command line's verdict on the ${onCli}`).toEqual(onCli === 'starter' ? starter : solution);
          await expect(panel.locator('[data-progress]')).toHaveText(t.solvedWithSolution);
          await expect(page.locator(`tr[data-exercise="${ex.id}"] td`)).toHaveAttribute('data-status', 'solved');
        });
      }

      // Progress survives a reload (this part's exercises solved, the others not), and the lesson pages read it too.
      await page.reload();
      for (const ex of exercises) {
        const row = page.locator(`tr[data-exercise="${ex.id}"] td`);
        if (part.includes(ex)) await expect(row).toHaveAttribute('data-status', 'solved');
        else await expect(row).not.toHaveAttribute('data-status', 'solved');
      }
      await expect(page.locator('.ex-overview-total')).toHaveText(fill(t.overviewCount, { solved: part.length, total: exercises.length }));
      const panel = page.locator(`ex-panel[data-id="${last.id}"]`);
      await panel.getByRole('button', { name: t.open }).click();
      await expect(panel.locator('[data-notice]')).toHaveText(t.restored);
      await expect.poll(() => editorText(panel)).toBe(last.solution);
      if (!onLesson) return;
      // A lesson page reads it too; there, every listing with a Flask app runs on the real Flask (the page's one Python).
      await test.step('lesson page', async () => {
        await page.goto(lessonPath(lang, lesson));
        await expect(page.locator(`ex-panel[data-id="${onLesson.id}"] [data-progress]`)).toHaveAttribute('data-status', 'solved');
        const dir = lang === 'zh-CN' ? 'content/zh-cn/lessons' : 'content/lessons';
        const runnable = listingsIn(readFileSync(`${dir}/${lesson}.mdx`, 'utf8')).filter((file) => file in DRIVES);
        expect(runnable.length).toBeGreaterThanOrEqual(2);
        for (const file of runnable) await runOnRealFlask(page, t, file);
      });
    });
  });

  const phoneTheme: Theme = lang === 'en' ? 'dark' : 'light';
  // One language waits an endless loop out in real time; every exercise's loop is stopped in both languages above.
  const realTimeLoop = lang === 'en';
  test(`exercise panel on a phone (${lang}, ${phoneTheme}): keyboard only, results announced${realTimeLoop ? ', an endless loop stopped in real time' : ''}, axe`, { tag: '@phone-only' }, async ({ page }, info) => {
    test.setTimeout(300_000);
    const ex = exercises[0]!;
    await useTheme(page, phoneTheme);
    await page.goto(lessonPath(lang, ex.lesson));
    await settle(page);
    const panel = page.locator(`ex-panel[data-id="${ex.id}"]`);
    // Keyboard only: focus Open, press Enter; the editor takes the focus; Tab leaves it before the learner types.
    await panel.getByRole('button', { name: t.open }).focus();
    await page.keyboard.press('Enter');
    const editor = panel.locator('.cm-content');
    await expect(editor).toBeFocused();
    await expect(panel.locator('.ex-help')).toHaveText(t.editorHelp);
    await page.keyboard.press('Tab');
    await expect(panel.getByRole('button', { name: t.check, exact: true })).toBeFocused();
    // After typing, Tab indents; Escape then Tab leaves, and the page says so.
    await editor.focus();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('#');
    await page.keyboard.press('Tab');
    await expect(editor).toBeFocused();
    expect(await editorText(panel)).toMatch(/# {3}$|#\t$|# +$/);
    await page.keyboard.press('Escape');
    await expect(panel.locator('[data-tabmode]')).toHaveText(t.editorEscaped);
    await page.keyboard.press('Tab');
    await expect(panel.getByRole('button', { name: t.check, exact: true })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(panel).toHaveAttribute('data-checks', '1', { timeout: 180_000 });
    await expect(panel.locator('[data-status][aria-live="polite"]')).not.toBeEmpty();
    // Hint: the next level of the first failing task's hints, one per press.
    const hint = panel.getByRole('button', { name: t.hint, exact: true });
    await hint.click();
    const hints = panel.locator('.ex-hints > li');
    await expect(hints).toHaveCount(1);
    const task = (await hints.first().getAttribute('data-hint-task'))!;
    const failing = await panel.locator('li.ex-test[data-status="fail"], li.ex-test[data-status="error"]').count();
    expect(failing).toBeGreaterThan(0);
    // Hints are written with `code` spans, shown as code.
    const words = (hint: string) => hint.replace(/`([^`]+)`/g, '$1');
    await expect(hints.first().locator('p').last()).toHaveText(words(ex.hints[lang][task]![0]!));
    if (ex.hints[lang][task]!.length > 1) {
      await hint.click();
      await expect(hints).toHaveCount(2);
      await expect(hints.nth(1)).toHaveAttribute('data-hint-level', '2');
      await expect(hints.nth(1).locator('p').last()).toHaveText(words(ex.hints[lang][task]![1]!));
    }
    // Reset asks first; Escape cancels and keeps the code.
    await panel.getByRole('button', { name: t.reset }).focus();
    await page.keyboard.press('Enter');
    await expect(panel.getByRole('dialog')).toContainText(t.confirmReset);
    await page.keyboard.press('Escape');
    await expect(panel.getByRole('dialog')).toBeHidden();
    expect(await editorText(panel)).not.toBe(ex.starter);
    await audit(page, panel, `${ex.id} (${lang}, phone, ${phoneTheme})`);
    await panel.screenshot({ path: info.outputPath(`panel-${lang}-phone-${phoneTheme}.png`) });
    if (realTimeLoop) {
      // An endless loop is stopped at the exercise's time limit, waited out in real time (the tests of every
      // exercise move the page's clock on instead), with the runtime's message; never a pass.
      await typeCode(page, panel, LOOP);
      expect((await check(panel, t)).status).toBe('error');
      await expect(panel.locator('.ex-results .ex-message')).toContainText(runtimeText(lang, 'timeout', { seconds: ex.timeLimitMs / 1000 }));
      // The next check runs (on the same Python when the interrupt stopped the loop).
      await typeCode(page, panel, ex.solution);
      expect((await check(panel, t)).status).toBe('pass');
    }
    // Reset, confirmed, brings the starter back.
    await panel.getByRole('button', { name: t.reset }).click();
    await panel.getByRole('dialog').getByRole('button', { name: t.confirmResetYes }).click();
    await expect.poll(() => editorText(panel)).toBe(ex.starter);
    if (ex.lesson === 'cookies') await runOnRealFlask(page, t, 'examples/python/cookies.py');
  });

  test(`overview page (${lang}) lists every exercise by lesson with this browser's progress; a changed exercise says so and keeps the code`, { tag: '@wide-only' }, async ({ page }) => {
    const prefix = lang === 'zh-CN' ? '/zh-cn' : '';
    const [solved, changed] = [exercises[0]!, exercises[1]!];
    const mine = `${changed.starter}\n# my own line\n`;
    // Stored by an earlier visit: one exercise solved, another worked on when it had an older version.
    await page.addInitScript(
      ([key, file]) => window.localStorage.setItem(key, file),
      [
        'flask-session-lab:exercises:v1',
        JSON.stringify({
          format: 1,
          exercises: {
            [solved.id]: { version: solved.version, solved: true, code: null, hints: { x: 2 }, solutionShown: false },
            [changed.id]: { version: changed.version - 1, solved: true, code: mine, hints: {}, solutionShown: false },
          },
        }),
      ] as const,
    );
    await everyListingHasItsBlock(page, lang);
    await page.goto(`${prefix}/exercises/`);
    await expect(page.locator('tr[data-exercise]')).toHaveCount(exercises.length);
    await expect(page.locator(`tr[data-exercise="${solved.id}"] td`)).toHaveAttribute('data-status', 'solved');
    await expect(page.locator(`tr[data-exercise="${changed.id}"] td`)).toHaveAttribute('data-status', 'changed');
    await expect(page.locator('.ex-overview-total')).toHaveText(fill(t.overviewCount, { solved: 1, total: exercises.length }));
    await expect(page.getByRole('navigation').getByRole('link', { name: lang === 'zh-CN' ? '练习' : 'Exercises', exact: true }).first()).toHaveAttribute('href', `${prefix}/exercises/`);
    const panel = page.locator(`ex-panel[data-id="${changed.id}"]`);
    const told = fill(t.versionChanged, { old: changed.version - 1, now: changed.version });
    await expect(panel.locator('[data-progress]')).toContainText(told);
    await panel.getByRole('button', { name: t.open }).click();
    await expect(panel.locator('[data-notice]')).toHaveText(told);
    await expect.poll(() => editorText(panel)).toBe(mine);
  });
});

test('a cookie from the results opens in the inspector', { tag: '@wide-only' }, async ({ page }) => {
  const value = 'eyJ1c2VyIjoiYWxpY2UifQ.ZVPrAA.c2lnbmF0dXJlLWJ5dGVzLTIwISE';
  await page.goto(`/inspector/#cookie=${encodeURIComponent(value)}`);
  await expect(page.locator('textarea[name="cookie"]')).toHaveValue(value);
  await expect(page.locator('cookie-inspector')).toContainText('alice');
});
