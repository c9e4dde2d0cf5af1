// The student file: built from this browser's stored progress, read back the same, refused with a reason when
// damaged; and checked again: a pass is decided by re-running the code on the real Flask (the Node runtime, the same
// Pyodide and runner as the teacher's Workers), so a file edited to claim a pass is flagged, never counted.
import { afterAll, describe, expect, it } from 'vitest';
import { PROGRESS_KEY, readProgress, recordCheck, slimResult, updateProgress, type KeyValueStorage } from '../../src/components/exercises/progress.ts';
import { buildClassCode, parseClassCode } from '../../src/classroom/class-code.ts';
import { CLASS_STRINGS, describeRecordError } from '../../src/classroom/i18n.ts';
import { buildRecord, LAB_MODES, LABS_KEY, MAX_FILE_BYTES, parseRecord, readLabsProgress, recordFileName, RecordError, type StudentFile } from '../../src/classroom/record.ts';
import { recheck, tasksOf, type ReplayLab } from '../../src/classroom/recheck.ts';
import { classLabSeed } from '../../src/labs/random.ts';
import { csvField, sortRows, toCsv } from '../../src/classroom/table.ts';
import { loadExercises } from '../../src/exercises/catalog.ts';
import type { Runner } from '../../src/exercises/runtime/node.ts';
import { itWithArchive } from '../support/runtime.ts';

function memory(data: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

const NOW = new Date('2026-12-01T10:00:00.000Z');

/** A browser where exercise 01 was solved (2 checks, a hint) and exercise 02 only started, with one lab solved. */
function studentBrowser(): KeyValueStorage & { data: Record<string, string> } {
  const s = memory();
  updateProgress(s, '01-cookies-theme', 1, (r) => {
    r.code = 'print("mine")';
    r.hints = { a: 1, b: 1 };
    r.attempts = 2;
    r.solved = true;
    r.firstSolvedAt = '2026-12-01T09:00:00.000Z';
    r.lastResult = slimResult({ status: 'pass', message: null, tests: [{ name: 'test_a', status: 'pass', message: null, task_id: 'a' }] });
  });
  updateProgress(s, '02-cookies-delete', 1, (r) => void (r.code = 'x = 1'));
  s.setItem(LABS_KEY, JSON.stringify({ format: 1, learnerSeed: 'seed-123', labs: { 'weak-secret': { mode: 'vulnerable', solved: true, solvedAt: '2026-12-01T09:30:00.000Z', log: [{ method: 'GET', path: '/admin' }] } } }));
  return s;
}

function errorOf(text: string, bytes?: number): RecordError {
  try {
    parseRecord(text, bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(RecordError);
    for (const t of Object.values(CLASS_STRINGS)) expect(describeRecordError(t, e as RecordError)).not.toMatch(/\{\w+\}/);
    return e as RecordError;
  }
  throw new Error('accepted');
}

describe('student file', () => {
  it('is built from the stored progress and reads back the same', () => {
    const s = studentBrowser();
    const code = buildClassCode({ name: 'Class A', exercises: ['01-cookies-theme'], labs: ['weak-secret'], due: null });
    const file = buildRecord({ name: ' Ann Lee ', lang: 'en', siteVersion: '0.1.0', classCode: code, exercises: readProgress(s), labs: readLabsProgress(s), now: NOW });
    expect(file).toMatchObject({ format: 'flasklab', formatVersion: 1, name: 'Ann Lee', classCode: code, createdAt: NOW.toISOString() });
    expect(file.exercises['01-cookies-theme']).toEqual({
      version: 1,
      result: { version: 3, status: 'pass', message: null, tests: [{ name: 'test_a', status: 'pass', message: null, task_id: 'a' }] },
      code: 'print("mine")',
      attempts: 2,
      hintsUsed: 2,
      solutionShown: false,
      firstSolvedAt: '2026-12-01T09:00:00.000Z',
    });
    expect(file.exercises['02-cookies-delete']).toMatchObject({ attempts: 0, result: null, firstSolvedAt: null });
    expect(file.labs['weak-secret']).toEqual({ seed: 'seed-123', mode: 'vulnerable', log: [{ method: 'GET', path: '/admin' }], claimedSolved: true, firstSolvedAt: '2026-12-01T09:30:00.000Z' });
    expect(parseRecord(JSON.stringify(file, null, 2))).toEqual(file);
    expect(recordFileName(file)).toBe('Ann-Lee-2026-12-01.flasklab.json');
    expect(recordFileName({ name: '../王 小明/..', createdAt: file.createdAt })).toBe('王-小明-2026-12-01.flasklab.json');
    // Progress stored before attempts and results were kept reads as it always did, and exports with zeros.
    const old = memory({ [PROGRESS_KEY]: JSON.stringify({ format: 1, exercises: { '03-session-dict-cart': { version: 2, solved: true, code: null, hints: {}, solutionShown: true } } }) });
    const fromOld = buildRecord({ name: 'B', lang: 'zh-CN', siteVersion: '0.1.0', classCode: null, exercises: readProgress(old), labs: readLabsProgress(old), now: NOW });
    expect(fromOld.exercises['03-session-dict-cart']).toEqual({ version: 2, result: null, code: null, attempts: 0, hintsUsed: 0, solutionShown: true, firstSolvedAt: null });
    expect(fromOld.labs).toEqual({});
  });

  it('gets from the panel\'s checks the attempts, the first passing time and the last result', () => {
    const s = memory();
    const fail = { status: 'fail', message: null, tests: [{ name: 'test_a', status: 'fail', message: 'expected 1', task_id: 'a', test_code: 'def test_a(): ...', output: 'x' }], exchanges: { test_a: [] } };
    const pass = { status: 'pass', message: null, tests: [{ name: 'test_a', status: 'pass', message: null, task_id: 'a', test_code: 'def test_a(): ...', output: null }] };
    const t1 = new Date('2026-12-01T09:00:00.000Z');
    updateProgress(s, '01-cookies-theme', 1, (r) => recordCheck(r, fail, t1));
    expect(readProgress(s).exercises['01-cookies-theme']).toMatchObject({ attempts: 1, solved: false, lastResult: { status: 'fail', tests: [{ name: 'test_a', status: 'fail', message: 'expected 1', task_id: 'a' }] } });
    expect(readProgress(s).exercises['01-cookies-theme']!.firstSolvedAt).toBeUndefined();
    updateProgress(s, '01-cookies-theme', 1, (r) => recordCheck(r, pass, t1));
    updateProgress(s, '01-cookies-theme', 1, (r) => recordCheck(r, fail, new Date('2026-12-01T09:05:00.000Z')));
    updateProgress(s, '01-cookies-theme', 1, (r) => recordCheck(r, pass, new Date('2026-12-01T09:10:00.000Z')));
    // A result with no tests is never a pass.
    updateProgress(s, '02-cookies-delete', 1, (r) => recordCheck(r, { status: 'pass', tests: [] }, t1));
    const file = buildRecord({ name: 'C', lang: 'en', siteVersion: '0.1.0', classCode: null, exercises: readProgress(s), labs: readLabsProgress(s), now: NOW });
    expect(file.exercises['01-cookies-theme']).toMatchObject({ attempts: 4, firstSolvedAt: t1.toISOString(), result: { status: 'pass', tests: [{ name: 'test_a', status: 'pass', message: null, task_id: 'a' }] } });
    // The stored result keeps no test sources, outputs or exchanges.
    expect(Object.keys(readProgress(s).exercises['01-cookies-theme']!.lastResult!.tests[0]!).sort()).toEqual(['message', 'name', 'status', 'task_id']);
    expect(file.exercises['02-cookies-delete']).toMatchObject({ attempts: 1, firstSolvedAt: null });
    expect(readProgress(s).exercises['02-cookies-delete']!.solved).toBe(false);
    // A new version of the exercise: the attempts stay, the first pass and the last result are gone.
    const moved = updateProgress(s, '01-cookies-theme', 2, () => undefined);
    expect(moved).toMatchObject({ version: 2, solved: false, attempts: 4 });
    expect([moved.firstSolvedAt, moved.lastResult]).toEqual([undefined, undefined]);
  });

  it('reads the labs\' progress as the labs\' own parser does (the page keeps its own small reader)', async () => {
    const { parseProgress, recordRun, PROGRESS_KEY: LABS_PROGRESS_KEY } = await import('../../src/labs/progress.ts');
    const labTypes = await import('../../src/labs/types.ts');
    expect(LABS_PROGRESS_KEY).toBe(LABS_KEY);
    expect(labTypes.LAB_MODES).toEqual(LAB_MODES);
    const s = memory();
    recordRun({ slug: 'weak-secret', mode: 'vulnerable', solved: true, log: [{ type: 'request', at: 1, method: 'GET', url: '/admin', headers: [] }] } as never, s, NOW);
    recordRun({ slug: 'session-fixation', mode: 'fixed', solved: false, log: [] }, s, NOW);
    expect(readLabsProgress(s)).toEqual(parseProgress(s.getItem(LABS_KEY)));
    for (const bad of ['{', '{"format":2}', JSON.stringify({ format: 1, learnerSeed: 'x', labs: { a: { mode: 'vulnerable' } } }), JSON.stringify({ format: 1, learnerSeed: '', labs: {} }), JSON.stringify({ format: 1, learnerSeed: 'x', labs: { a: { mode: 'other', solved: true, solvedAt: null, log: [] } } })]) {
      expect(readLabsProgress(memory({ [LABS_KEY]: bad })).labs).toEqual(parseProgress(bad)?.labs ?? {});
    }
  });

  it('refuses what is not a student file, naming why and where', () => {
    const good = buildRecord({ name: 'A', lang: 'en', siteVersion: '0.1.0', classCode: null, exercises: readProgress(studentBrowser()), labs: readLabsProgress(studentBrowser()), now: NOW });
    const edit = (f: (o: Record<string, any>) => void) => {
      const o = structuredClone(good) as unknown as Record<string, any>;
      f(o);
      return JSON.stringify(o);
    };
    expect(errorOf('x', MAX_FILE_BYTES + 1).problem).toBe('too-big');
    expect(errorOf('  ').problem).toBe('empty');
    expect(errorOf('{"format": "flasklab",').problem).toBe('not-json');
    expect(errorOf('[1]').problem).toBe('not-flasklab');
    expect(errorOf('{"format":"other"}').problem).toBe('not-flasklab');
    expect(errorOf(edit((o) => (o.formatVersion = 2))).problem).toBe('newer-format');
    expect(errorOf(edit((o) => (o.formatVersion = 0))).problem).toBe('old-format');
    expect(errorOf(edit((o) => (o.name = ''))).field).toBe('name');
    expect(errorOf(edit((o) => (o.lang = 'fr'))).field).toBe('lang');
    expect(errorOf(edit((o) => (o.createdAt = 'yesterday'))).field).toBe('createdAt');
    expect(errorOf(edit((o) => (o.exercises['01-cookies-theme'].attempts = -1))).field).toBe('exercises["01-cookies-theme"].attempts');
    expect(errorOf(edit((o) => (o.exercises['01-cookies-theme'].result = { status: 'great' }))).field).toBe('exercises["01-cookies-theme"].result');
    expect(errorOf(edit((o) => (o.exercises['../x'] = {}))).field).toBe('exercises');
    expect(errorOf(edit((o) => (o.labs['weak-secret'].log = 'all'))).field).toBe('labs["weak-secret"].log');
    // A byte-order mark (some editors add one) is not a reason to refuse.
    expect(parseRecord(`\uFEFF${JSON.stringify(good)}`).name).toBe('A');
  });
});

describe('re-check of labs', () => {
  it('replays a lab with the seed of the file\'s own student: their solving run passes; a copied entry, an empty log or another mode do not', async () => {
    const { LabInstance } = await import('../../src/labs/runtime.ts');
    const { replaySimulatedLab } = await import('../../src/labs/simulated-labs.ts');
    const { classLabSeed } = await import('../../src/labs/random.ts');
    const code = buildClassCode({ name: 'Class A', exercises: [], labs: ['load-balancer'], due: null });
    const seedOf = (name: string) => classLabSeed(parseClassCode(code), name, 'load-balancer');
    // Ann's run that loses the victim's login, under her own seed: the victim logs in, one request of hers, the victim again.
    const lab = await LabInstance.create('load-balancer', seedOf('Ann'), 'vulnerable');
    let at = 1_800_000_000;
    await lab.victim('login', undefined, ++at);
    await lab.request({ method: 'GET', url: '/', headers: [] }, ++at);
    await lab.victim('open-account', undefined, ++at);
    expect(lab.solved).toBe(true);
    const fileOf = (name: string, entry: { mode: string; log: unknown[]; seed: string }, classCode: string | null = code) => {
      const s = memory({ [LABS_KEY]: JSON.stringify({ format: 1, learnerSeed: 'random-seed', labs: { 'load-balancer': { ...entry, solved: true, solvedAt: NOW.toISOString() } } }) });
      // Through the file's own text, as the teacher receives it.
      return { fileName: `${name}.flasklab.json`, file: parseRecord(JSON.stringify(buildRecord({ name, lang: 'en', siteVersion: '0.1.0', classCode, exercises: readProgress(s), labs: readLabsProgress(s), now: NOW }))) };
    };
    const ann = { mode: 'vulnerable', log: lab.log, seed: seedOf('Ann') };
    const files = [
      fileOf('Ann', ann),
      // Bo copied Ann's entry (her seed and log) into his file; Cy did the same and left the class out of his.
      fileOf('Bo', ann),
      fileOf('Cy', ann, null),
      fileOf('Empty', { mode: 'vulnerable', log: [], seed: seedOf('Empty') }),
      fileOf('Fixed', { mode: 'fixed', log: lab.log, seed: seedOf('Fixed') }),
      fileOf('Broken', { mode: 'vulnerable', log: [{ type: 'nope' }], seed: seedOf('Broken') }),
    ];
    expect(files[1]!.file.labs['load-balancer']!.seed).toBe(seedOf('Ann'));
    const rows = await recheck(files, [{ kind: 'lab', id: 'load-balancer' }], { exercises: [], labs: ['load-balancer'], slots: 1, runCheck: () => Promise.reject(new Error('no exercise here')), replayLab: replaySimulatedLab });
    expect(rows.map((r) => [r.name, r.cells['lab:load-balancer']!.state, r.cells['lab:load-balancer']!.flags.join(' ')])).toEqual([
      ['Ann', 'pass', ''],
      ['Bo', 'fail', 'seed-mismatch'],
      ['Cy', 'fail', 'seed-mismatch'],
      ['Empty', 'fail', 'claim-differs'],
      ['Fixed', 'fail', 'claim-differs'],
      ['Broken', 'error', 'claim-differs'],
    ]);
    expect(rows[5]!.cells['lab:load-balancer']!.message).toMatch(/log entry/);
    expect(rows.map((r) => r.solved)).toEqual([1, 0, 0, 0, 0, 0]);
    // The seed a class gives is the same wherever the name is written with other spaces, and differs per student, lab and class.
    expect(seedOf(' Ann ')).toBe(seedOf('Ann'));
    expect(new Set([seedOf('Ann'), seedOf('ann'), classLabSeed(parseClassCode(code), 'Ann', 'weak-secret'), classLabSeed({ name: 'Class B' }, 'Ann', 'load-balancer')]).size).toBe(4);
  });

  it('in a class, the browser gives a lab the class seed once the name is known, and keeps it with the entry it records', async () => {
    const { labSeed, recordRun, readProgress: readLabs } = await import('../../src/labs/progress.ts');
    const { classLabSeed, learnerLabSeed } = await import('../../src/labs/random.ts');
    const { CLASS_KEY, STUDENT_NAME_KEY, LEARNER_KEY_KEY } = await import('../../src/classroom/storage-keys.ts');
    const s = memory();
    const outside = await labSeed('load-balancer', s);
    expect(outside).toBe(readLabs(s).learnerSeed);
    recordRun({ slug: 'load-balancer', mode: 'vulnerable', solved: true, log: [] }, s, NOW);
    const code = buildClassCode({ name: 'Class A', exercises: [], labs: ['load-balancer'], due: null });
    s.setItem(CLASS_KEY, JSON.stringify({ code }));
    // No name yet: still the random seed.
    expect(await labSeed('load-balancer', s)).toBe(outside);
    s.setItem(STUDENT_NAME_KEY, 'Ann');
    const inClass = await labSeed('load-balancer', s);
    expect(inClass).toBe(classLabSeed(parseClassCode(code), 'Ann', 'load-balancer'));
    // The lab solved before joining the class starts again in it; solved under the class seed, the entry says which seed.
    expect(readLabs(s).labs['load-balancer']).toBeUndefined();
    recordRun({ slug: 'load-balancer', mode: 'vulnerable', solved: true, log: [] }, s, NOW);
    expect(readLabs(s).labs['load-balancer']).toMatchObject({ solved: true, seed: inClass });
    expect(buildRecord({ name: 'Ann', lang: 'en', siteVersion: '0.1.0', classCode: code, exercises: readProgress(s), labs: readLabsProgress(s), now: NOW }).labs['load-balancer']!.seed).toBe(inClass);
    // With a class server, the key it gave this learner decides (for that class only).
    const served = buildClassCode({ name: 'Class A', exercises: [], labs: ['load-balancer'], due: null, server: 'http://192.0.2.1:4322/class/abc/', token: 'tok-12345678' });
    s.setItem(CLASS_KEY, JSON.stringify({ code: served }));
    s.setItem(LEARNER_KEY_KEY, JSON.stringify({ server: 'http://192.0.2.1:4322/class/other/', learner: 'learner-1', key: 'k'.repeat(24) }));
    expect(await labSeed('load-balancer', s)).toBe(classLabSeed(parseClassCode(served), 'Ann', 'load-balancer'));
    s.setItem(LEARNER_KEY_KEY, JSON.stringify({ server: 'http://192.0.2.1:4322/class/abc/', learner: 'learner-1', key: 'k'.repeat(24) }));
    expect(await labSeed('load-balancer', s)).toBe(learnerLabSeed('k'.repeat(24), 'load-balancer'));
  });
});

describe('re-check', () => {
  const exercises = loadExercises(process.cwd());
  const ex = exercises.find((e) => e.id === '01-cookies-theme')!;
  let runner: Runner | null = null;
  afterAll(() => runner?.dispose());

  const CLASS = buildClassCode({ name: 'Class A', exercises: [ex.id], labs: ['weak-secret'], due: null });
  /** A file as a student's page would export it for exercise 01, with `code` and the claim `claimPass`. */
  function fileWith(name: string, code: string, claimPass: boolean, extra: Partial<StudentFile['exercises'][string]> = {}): StudentFile {
    const result = slimResult({ status: claimPass ? 'pass' : 'fail', message: null, tests: [{ name: 'test_x', status: claimPass ? 'pass' : 'fail', message: null, task_id: null }] });
    return parseRecord(
      JSON.stringify({
        format: 'flasklab',
        formatVersion: 1,
        siteVersion: '0.1.0',
        classCode: CLASS,
        name,
        lang: 'en',
        createdAt: NOW.toISOString(),
        exercises: { [ex.id]: { version: ex.version, result, code, attempts: 1, hintsUsed: 0, solutionShown: false, firstSolvedAt: claimPass ? NOW.toISOString() : null, ...extra } },
        labs: { 'weak-secret': { seed: classLabSeed(parseClassCode(CLASS), name, 'weak-secret'), mode: 'vulnerable', log: [], claimedSolved: true, firstSolvedAt: NOW.toISOString() } },
      }),
    );
  }

  itWithArchive(
    'runs the code again: an honest pass counts, a forged claim is flagged, labs are replayed or left unchecked',
    async () => {
      const { createRunner } = await import('../../src/exercises/runtime/node.ts');
      runner = createRunner();
      const files = [
        { fileName: 'honest.flasklab.json', file: fileWith('Honest', ex.solution, true, { hintsUsed: 3, solutionShown: true }) },
        { fileName: 'forged.flasklab.json', file: fileWith('Forger <img src=x onerror=alert(1)>', ex.starter, true) },
        // Same code as the forger (run once), older version.
        { fileName: 'old.flasklab.json', file: fileWith('Old', ex.starter, false, { version: ex.version + 5 }) },
      ];
      const tasks = tasksOf(files.map((f) => f.file));
      expect(tasks).toEqual([
        { kind: 'exercise', id: ex.id },
        { kind: 'lab', id: 'weak-secret' },
      ]);
      let runs = 0;
      const progress: number[] = [];
      const options = {
        exercises: [{ id: ex.id, version: ex.version, starter: ex.starter }],
        labs: ['weak-secret'],
        slots: 2,
        runCheck: (_slot: number, id: string, code: string) => {
          runs++;
          const e = exercises.find((x) => x.id === id)!;
          return runner!.check({ learner: code, tests: e.tests, messages: e.messages.en, lang: 'en', output_cap: 1000 }, { timeLimitMs: 60_000 });
        },
        onProgress: (done: number) => progress.push(done),
      };
      const rows = await recheck(files, tasks, options);
      expect(runs).toBe(2);
      expect(progress.at(-1)).toBe(2);
      const [honest, forged, old] = rows.map((r) => r.cells[`exercise:${ex.id}`]!);
      expect(honest).toMatchObject({ state: 'pass', claimed: true, flags: ['solution-shown', 'hints-used'] });
      expect(forged).toMatchObject({ state: 'fail', claimed: true, flags: ['claim-differs'] });
      expect(forged!.failedTests.length).toBeGreaterThan(0);
      expect(honest!.failedTests).toEqual([]);
      expect(old).toMatchObject({ state: 'fail', claimed: false, flags: ['outdated'] });
      // Without a replay the labs are never a pass, whatever the file claims.
      expect(rows.map((r) => r.cells['lab:weak-secret']!.state)).toEqual(['unchecked', 'unchecked', 'unchecked']);
      expect(rows.map((r) => r.solved)).toEqual([1, 0, 0]);

      // With a replay, the replay decides (here: a log that reached the goal has an entry).
      const replayLab: ReplayLab = (_slug, _seed, _mode, log) => ({ solved: log.length > 0, solvedAt: log.length ? 0 : null });
      // (The exercise results of the first pass are reused: only the labs change here.)
      const first = new Map(rows.flatMap((r, i) => [[files[i]!.file.exercises[ex.id]!.code, r.cells[`exercise:${ex.id}`]!.state] as const]));
      const reuse = async (_slot: number, _id: string, code: string) => ({ status: first.get(code) === 'pass' ? 'pass' : 'fail', tests: [{ name: 't', status: first.get(code) === 'pass' ? 'pass' : 'fail' }] });
      const again = await recheck(files, tasks, { ...options, replayLab, runCheck: reuse });
      expect(again.map((r) => r.cells[`exercise:${ex.id}`]!.state)).toEqual(['pass', 'fail', 'fail']);
      expect(again[0]!.cells['lab:weak-secret']).toMatchObject({ state: 'fail', claimed: true, flags: ['claim-differs'] });
      // A log the replay refuses is an error, with the replay's reason.
      const refused = await recheck(files.slice(0, 1), tasks, { ...options, runCheck: reuse, replayLab: () => ({ solved: false, solvedAt: null, error: 'a log entry has no type' }) });
      expect(refused[0]!.cells['lab:weak-secret']).toMatchObject({ state: 'error', message: 'a log entry has no type', flags: ['claim-differs'] });

      // Sorting and CSV: the forger's name stays text, a formula-looking cell is defused.
      expect(sortRows(rows, 'solved', 'descending').map((r) => r.name)).toEqual(['Honest', rows[1]!.name, 'Old']);
      expect(sortRows(rows, 'name', 'ascending').map((r) => r.name)).toEqual([rows[1]!.name, 'Honest', 'Old']);
      const t = CLASS_STRINGS.en;
      const csv = toCsv(rows, tasks, { student: t.student, file: t.file, solved: t.solvedColumn, state: t.state, flag: t.flag, taskTitle: (x) => x.id });
      expect(csv.split('\r\n')[2]).toBe(`Forger <img src=x onerror=alert(1)>,forged.flasklab.json,0/2,"Failed; ${t.flag['claim-differs']}",Not checked again`);
      expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    },
    240_000,
  );
});
