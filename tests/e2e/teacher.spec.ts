import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { axeOn, overflowAt, test } from './support.ts';
import { parseClassCode, classCodeFromHash } from '../../src/classroom/class-code.ts';
import { CLASS_STRINGS, fill } from '../../src/classroom/i18n.ts';
import { parseRecord, type StudentFile } from '../../src/classroom/record.ts';
import { PROGRESS_KEY } from '../../src/components/exercises/progress.ts';
import { loadExercises } from '../../src/exercises/catalog.ts';
import { flaskSerializer } from '../../src/components/inspector/inspect.ts';
import { LabInstance } from '../../src/labs/runtime.ts';
import { secretKeyFor } from '../../src/labs/weak-secret/app.ts';
import { LABS_KEY } from '../../src/classroom/record.ts';
import { classLabSeed } from '../../src/labs/random.ts';

// The file route of the classroom, in a real browser: the teacher makes a class link (and its QR code); a student
// opens it, sees the assignment (still there on the next page), and exports a file; the teacher drops that file
// with a forged copy and a broken one: the broken one is refused with its reason, every exercise is run again in a
// Worker and lab 1's log replayed, and the table shows the honest passes as passes and the forged claims (the
// starter's code, an empty lab log) as fails flagged "claim ≠ re-run";
// sorted from the keyboard; its CSV says the same. The Chinese page once: its words, a damaged link refused, and a
// dropped file that is not JSON refused.

const exercises = loadExercises(process.cwd());
const ex = exercises.find((e) => e.id === '01-cookies-theme')!;
const other = exercises.find((e) => e.id === '02-cookies-delete')!;
const LAB = 'weak-secret';
const labTitle = /^title: '?(.*?)'?$/m.exec(readFileSync(`content/labs/${LAB}.mdx`, 'utf8'))![1]!;
const labTitleZh = /^title: '?(.*?)'?$/m.exec(readFileSync(`content/zh-cn/labs/${LAB}.mdx`, 'utf8'))![1]!;

/** The log of a run that solves lab 1 for `seed`, made in this process the way a learner does it (the key is the seed's). */
async function solvedWeakSecret(seed: string): Promise<unknown[]> {
  const lab = await LabInstance.create(LAB, seed, 'vulnerable');
  const at = 1_780_000_000;
  await lab.request({ method: 'GET', url: '/login', headers: [] }, at);
  const admin = flaskSerializer(secretKeyFor(seed, 'vulnerable'), () => at + 5).dumps(new Map([['user', 'admin']]));
  await lab.request({ method: 'GET', url: '/admin', headers: [['Cookie', `session=${admin}`]] }, at + 10);
  expect(lab.solved).toBe(true);
  return JSON.parse(JSON.stringify(lab.log)) as unknown[];
}

async function downloadOf(page: Page, press: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), press()]);
  return { name: dl.suggestedFilename(), text: readFileSync((await dl.path())!, 'utf8') };
}

test('teacher: class link and QR, a student exports, the teacher imports, a forged claim is flagged (en)', { tag: '@wide-only' }, async ({ page }, info) => {
  test.setTimeout(300_000);
  const t = CLASS_STRINGS.en;
  await page.goto('/teacher/');

  // The link: refused without a name, then made; it reads back as the assignment chosen.
  const builder = page.locator('class-link');
  await builder.getByRole('button', { name: t.makeLink }).click();
  await expect(builder.locator('[data-link-status]')).toHaveText(t.needName);
  await expect(page.getByLabel(t.className)).toBeFocused();
  const className = 'Tuesday <b>group</b>';
  await page.getByLabel(t.className).fill(className);
  await builder.getByLabel(ex.title.en).check();
  await builder.getByLabel(other.title.en).check();
  await builder.getByLabel(labTitle).check();
  await page.getByLabel(t.due).fill('2026-12-24');
  await builder.getByRole('button', { name: t.makeLink }).click();
  const link = await page.getByLabel(t.linkLabel).inputValue();
  expect(new URL(link).pathname).toBe('/exercises/');
  expect(parseClassCode(classCodeFromHash(new URL(link).hash)!)).toEqual({ v: 1, name: className, exercises: [ex.id, other.id], labs: [LAB], due: '2026-12-24' });
  const qr = builder.getByRole('img', { name: fill(t.qrLabel, { name: className }) });
  await expect(qr).toBeVisible();
  expect(Number(await qr.getAttribute('data-qr-size'))).toBeGreaterThan(20);

  // The student: the assignment shows from the link, as text, and stays on a page opened without it.
  const url = new URL(link);
  await page.goto(url.pathname + url.hash);
  const banner = page.locator('class-banner');
  await expect(banner.getByRole('heading', { name: fill(t.assignmentFor, { name: className }) })).toBeVisible();
  await expect(banner.locator('li[data-task]')).toHaveCount(3);
  // The name, asked in the assignment before anything else, from the keyboard: refused empty and with markup, then kept.
  const nameField = banner.getByLabel(t.nameLabel);
  await nameField.focus();
  await page.keyboard.press('Enter');
  await expect(banner.locator('[data-name-error]')).toHaveText(t.nameProblem.empty);
  await expect(nameField).toHaveAttribute('aria-invalid', 'true');
  await expect(nameField).toBeFocused();
  await page.keyboard.type('<b>Ann</b>');
  await page.keyboard.press('Enter');
  await expect(banner.locator('[data-name-error]')).toHaveText(t.nameProblem.markup);
  await nameField.fill('Ann Lee');
  await page.keyboard.press('Enter');
  await expect(banner.locator('[data-name-status]')).toHaveText(fill(t.nameSaved, { name: 'Ann Lee' }));
  await expect(banner.getByRole('button', { name: t.changeName })).toBeFocused();
  // Progress as the exercise panel stores it after a passing check (with a hint) on exercise 01, and as the lab panel
  // stores lab 1 solved: in this class, under this name, the lab's seed is the one the class and the name give.
  const seed = classLabSeed(parseClassCode(classCodeFromHash(url.hash)!), 'Ann Lee', LAB);
  await page.evaluate(
    ([key, value]) => localStorage.setItem(key, value),
    [LABS_KEY, JSON.stringify({ format: 1, learnerSeed: 'e2e-random-seed', labs: { [LAB]: { mode: 'vulnerable', solved: true, solvedAt: '2026-12-01T09:30:00.000Z', log: await solvedWeakSecret(seed), seed } } })] as const,
  );
  await page.evaluate(
    ([key, value]) => localStorage.setItem(key, value),
    [
      PROGRESS_KEY,
      JSON.stringify({
        format: 1,
        exercises: {
          [ex.id]: { version: ex.version, solved: true, code: ex.solution, hints: { [ex.tasks[0]!.id]: 1 }, solutionShown: false, attempts: 3, firstSolvedAt: '2026-12-01T09:00:00.000Z', lastResult: { version: 3, status: 'pass', message: null, tests: [{ name: 'test_ok', status: 'pass', message: null, task_id: null }] } },
          [other.id]: { version: other.version, solved: false, code: other.starter.replace('\n', '\n# trying\n'), hints: {}, solutionShown: false, attempts: 1, lastResult: { version: 3, status: 'fail', message: null, tests: [{ name: 'test_ok', status: 'fail', message: 'no', task_id: null }] } },
        },
      }),
    ] as const,
  );
  await page.goto('/exercises/');
  await expect(banner.locator(`li[data-task="exercise:${ex.id}"]`)).toHaveAttribute('data-task-status', 'solved');
  await expect(banner.locator(`li[data-task="exercise:${other.id}"]`)).toHaveAttribute('data-task-status', 'started');
  await expect(banner.locator(`li[data-task="lab:${LAB}"]`)).toHaveAttribute('data-task-status', 'solved');
  await expect(banner.getByLabel(t.yourName, { exact: true })).toHaveValue('Ann Lee');
  await banner.getByLabel(t.yourName, { exact: true }).fill('');
  await banner.getByRole('button', { name: t.exportButton }).click();
  await expect(banner.locator('[data-export-status]')).toHaveText(t.exportNeedName);
  await banner.getByLabel(t.yourName, { exact: true }).fill('Ann Lee');
  const exported = await downloadOf(page, () => banner.getByRole('button', { name: t.exportButton }).click());
  expect(exported.name).toMatch(/^Ann-Lee-\d{4}-\d{2}-\d{2}\.flasklab\.json$/);
  const file = parseRecord(exported.text);
  expect(file.classCode).toBe(classCodeFromHash(url.hash));
  expect(file.exercises[ex.id]).toMatchObject({ code: ex.solution, attempts: 3, hintsUsed: 1, firstSolvedAt: '2026-12-01T09:00:00.000Z' });

  expect(file.labs[LAB]).toMatchObject({ seed, mode: 'vulnerable', claimedSolved: true });

  // A forged copy: another name, the starter's code with a claimed pass, and Ann's solved lab 1 (her seed, her log).
  const forged: StudentFile = structuredClone(file);
  forged.name = 'Mallory <img src=x onerror="document.title=1">';
  forged.exercises[ex.id]!.code = ex.starter;

  // The teacher: three files at once, one of them broken.
  await page.goto('/teacher/');
  const importer = page.locator('class-import');
  await importer.getByLabel(t.chooseFiles).setInputFiles([
    { name: exported.name, mimeType: 'application/json', buffer: Buffer.from(exported.text) },
    { name: 'mallory.flasklab.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(forged)) },
    { name: 'broken.flasklab.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "flasklab", ') },
  ]);
  await expect(importer).toHaveAttribute('data-state', 'done', { timeout: 240_000 });
  await expect(importer.locator('[data-import-status]')).toHaveText(fill(t.doneSummary, { ok: 2, bad: 1 }));
  await expect(importer.locator('li[data-refused="broken.flasklab.json"]')).toHaveText(fill(t.refused, { file: 'broken.flasklab.json', why: t.recordProblem['not-json'] }));
  const cell = (student: string, id: string) => importer.locator(`tr[data-student="${student.replace(/"/g, '\\"')}"] td[data-task="exercise:${id}"]`);
  // The class code in the files gives the columns: the assignment's two exercises.
  await expect(importer.locator('thead th')).toHaveCount(6);
  await expect(cell('Ann Lee', ex.id)).toHaveAttribute('data-state', 'pass');
  await expect(cell('Ann Lee', ex.id)).toHaveAttribute('data-flags', 'hints-used');
  await expect(cell('Ann Lee', other.id)).toHaveAttribute('data-state', 'fail');
  await expect(cell('Ann Lee', other.id)).toHaveAttribute('data-flags', '');
  await expect(cell(forged.name, ex.id)).toHaveAttribute('data-state', 'fail');
  await expect(cell(forged.name, ex.id)).toHaveAttribute('data-flags', 'claim-differs hints-used');
  const failing = (await cell(forged.name, ex.id).locator('.class-said').getAttribute('title'))!.split(', ');
  expect(failing.every((name) => name.startsWith('test_'))).toBe(true);
  await expect(cell(forged.name, ex.id).locator('.class-said')).toHaveText(fill(t.failedTests, { n: failing.length, total: ex.tests.match(/^def test_/gm)!.length }));
  // Lab 1 replayed in the page with Ann's own seed: her log reaches /admin as admin again. The same entry in
  // Mallory's file is not hers (the seed her class and name give differs), so it is not replayed and never counts.
  const labCell = (student: string) => importer.locator(`tr[data-student="${student.replace(/"/g, '\\"')}"] td[data-task="lab:${LAB}"]`);
  await expect(labCell('Ann Lee')).toHaveAttribute('data-state', 'pass');
  await expect(labCell(forged.name)).toHaveAttribute('data-state', 'fail');
  await expect(labCell(forged.name)).toHaveAttribute('data-flags', 'seed-mismatch');
  await expect(labCell(forged.name).locator('li[data-flag="seed-mismatch"]')).toHaveText(t.flagShort['seed-mismatch']);
  // The student's name is text: shown as typed, nothing ran.
  await expect(importer.getByRole('rowheader', { name: forged.name })).toHaveCount(1);
  expect(await page.title()).not.toBe('1');

  // Sorted from the keyboard: by tasks solved, then the other way.
  const solvedSort = importer.getByRole('button', { name: fill(t.sortBy, { column: t.solvedColumn }) });
  await solvedSort.focus();
  await page.keyboard.press('Enter');
  await expect(importer.locator('th[data-sort-key="solved"]')).toHaveAttribute('aria-sort', 'ascending');
  await expect(importer.locator('tbody tr').first()).toHaveAttribute('data-student', forged.name);
  await expect(solvedSort).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(importer.locator('tbody tr').first()).toHaveAttribute('data-student', 'Ann Lee');

  const csv = await downloadOf(page, () => importer.getByRole('button', { name: t.downloadCsv }).click());
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines).toEqual([
    `${t.student},${t.file},${t.solvedColumn},${ex.title.en},${other.title.en},${t.labWord}: ${labTitle}`,
    `Ann Lee,${exported.name},2/3,"${t.state.pass}; ${t.flag['hints-used']}",${t.state.fail},${t.state.pass}`,
    `"Mallory <img src=x onerror=""document.title=1"">",mallory.flasklab.json,0/3,"${t.state.fail}; ${t.flag['claim-differs']}; ${t.flag['hints-used']}",${t.state.fail},"${t.state.fail}; ${t.flag['seed-mismatch']}"`,
  ]);

  await importer.screenshot({ path: info.outputPath('teacher-table-en.png') });
  const axe = await new AxeBuilder({ page }).include('main').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('teacher page in Chinese on a phone (390 px): a damaged link refused, the name form, a copied lab flagged in a table that scrolls in its own region', { tag: '@phone-only' }, async ({ page }) => {
  const t = CLASS_STRINGS['zh-CN'];
  await page.goto('/zh-cn/teacher/#class=abc$def');
  const banner = page.locator('class-banner');
  await expect(banner.getByRole('alert').first()).toHaveText(fill(t.badCode, { why: t.classCodeProblem['not-base64url'] }));
  await expect(page.getByRole('heading', { name: '生成班级链接' })).toBeVisible();
  await page.getByLabel(t.className).fill('三班');
  const picked = exercises.slice(0, 4);
  for (const e of picked) await page.locator('class-link').getByLabel(e.title['zh-CN']).check();
  await page.locator('class-link').getByLabel(labTitleZh).check();
  await page.locator('class-link').getByRole('button', { name: t.makeLink }).click();
  const link = new URL(await page.getByLabel(t.linkLabel).inputValue());
  expect(link.pathname).toBe('/zh-cn/exercises/');
  await page.goto(link.pathname + link.hash);
  await expect(banner.getByRole('heading', { name: '作业：三班' })).toBeVisible();
  await expect(banner.locator(`li[data-task="exercise:${ex.id}"]`)).toHaveText(`${ex.title['zh-CN']}：${t.taskNotStarted}`);
  // Lab 1 solved in this browser before the class (under its random seed): it does not count in the class.
  await page.evaluate(
    ([key, value]) => localStorage.setItem(key, value),
    [LABS_KEY, JSON.stringify({ format: 1, learnerSeed: 'e2e-random-seed', labs: { [LAB]: { mode: 'vulnerable', solved: true, solvedAt: '2026-12-01T09:30:00.000Z', log: [] } } })] as const,
  );
  // The name form in Chinese: a name too long is refused with the reason, a good one kept.
  const nameField = banner.getByLabel(t.nameLabel);
  await nameField.fill('王'.repeat(61));
  await nameField.press('Enter');
  await expect(banner.locator('[data-name-error]')).toHaveText(fill(t.nameProblem['too-long'], { max: 60 }));
  await nameField.fill('王小明');
  await nameField.press('Enter');
  await expect(banner.locator('[data-name-status]')).toHaveText(fill(t.nameSaved, { name: '王小明' }));
  await expect(banner.locator(`li[data-task="lab:${LAB}"]`)).toHaveAttribute('data-task-status', 'elsewhere');
  await expect(banner.locator(`li[data-task="lab:${LAB}"]`)).toContainText(t.taskSolvedElsewhere);
  expect(await overflowAt(page, 390)).toEqual([]);

  // The teacher: a file that is not JSON by its name is refused, in Chinese; a student's file holding a lab entry
  // copied from someone else (a seed that is not this student's) is read, and the lab flagged, not counted.
  await page.goto('/zh-cn/teacher/');
  const drop = page.locator('class-import [data-drop]');
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    return dt;
  });
  await drop.dispatchEvent('drop', { dataTransfer });
  await expect(page.locator('li[data-refused="notes.txt"]')).toHaveText(fill(t.refused, { file: 'notes.txt', why: t.notJsonName }));
  await expect(page.locator('class-import [data-import-status]')).toHaveText(fill(t.doneSummary, { ok: 0, bad: 1 }));
  const copied: StudentFile = {
    format: 'flasklab',
    formatVersion: 1,
    siteVersion: '0.1.0',
    classCode: classCodeFromHash(link.hash),
    name: '王小明',
    lang: 'zh-CN',
    createdAt: '2026-12-01T10:00:00.000Z',
    exercises: {},
    labs: { [LAB]: { seed: classLabSeed(parseClassCode(classCodeFromHash(link.hash)!), '李华', LAB), mode: 'vulnerable', log: [], claimedSolved: true, firstSolvedAt: '2026-12-01T09:30:00.000Z' } },
  };
  const importer = page.locator('class-import');
  await importer.getByLabel(t.chooseFiles).setInputFiles([{ name: 'wang.flasklab.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(copied)) }]);
  await expect(importer).toHaveAttribute('data-state', 'done');
  const labCell = importer.locator(`tr[data-student="王小明"] td[data-task="lab:${LAB}"]`);
  await expect(labCell).toHaveAttribute('data-state', 'fail');
  await expect(labCell.locator('li[data-flag="seed-mismatch"]')).toHaveText(t.flagShort['seed-mismatch']);
  await expect(importer.locator('thead th')).toHaveCount(4 + picked.length);
  // At 390 px nothing sticks out of the page: the table scrolls inside its own region, which takes the keyboard focus.
  expect(await overflowAt(page, 390)).toEqual([]);
  const region = importer.getByRole('region', { name: t.tableCaption });
  await region.focus();
  await expect(region).toBeFocused();
  const sizes = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(sizes.scroll).toBeGreaterThan(sizes.client);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  const axe = await (await axeOn(page)).include('main').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  await page.goto(link.pathname);
  await banner.getByRole('button', { name: t.forget }).click();
  await expect(banner.locator('[data-forget-status]')).toHaveText(t.forgotten);
  await page.reload();
  await expect(banner).toHaveAttribute('data-assignment', 'none');
});
