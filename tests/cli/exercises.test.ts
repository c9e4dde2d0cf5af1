// `npm run exercises`: list, check (text and --json, exit codes), hint, reset, solution, both languages, watch
// mode, and the message when the Flask archive is missing. The commands run in this process (runExercises) on
// one shared Python runtime, each test with its own working folder; one test starts the real script.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo, TextSink } from '../../src/cli/common.ts';
import { runExercises } from '../../src/cli/exercises.ts';
import { loadExercises } from '../../src/exercises/catalog.ts';
import { createRunner, type Runner } from '../../src/exercises/runtime/node.ts';
import { archiveMissing, itWithArchive } from '../support/runtime.ts';

const root = join(import.meta.dirname, '../..');
const exercises = loadExercises(root);
const first = exercises[0]!;
const scratch = mkdtempSync(join(tmpdir(), 'flasklab-exercises-'));
let runner: Runner;

beforeAll(async () => {
  if (archiveMissing()) return;
  runner = createRunner();
  await runner.ready();
});

afterAll(() => {
  runner?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

/** A stream that keeps its text and tells waiters when a pattern shows up in it. */
class Capture implements TextSink {
  text = '';
  readonly isTTY = false;
  private waiters: { re: RegExp; from: number; done: () => void }[] = [];
  write(text: string): boolean {
    this.text += text;
    this.waiters = this.waiters.filter((w) => (w.re.test(this.text.slice(w.from)) ? (w.done(), false) : true));
    return true;
  }
  /** Resolves when `re` matches text written after this call. */
  next(re: RegExp): Promise<void> {
    const from = this.text.length;
    return new Promise((done) => this.waiters.push({ re, from, done }));
  }
}

/** Keys for watch mode, pushed by the test. */
function keyboard(): { stdin: AsyncIterable<Uint8Array>; press(keys: string): void } {
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  return {
    stdin: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          while (queue.length) yield new TextEncoder().encode(queue.shift()!);
          await new Promise<void>((r) => (wake = r));
        }
      },
    },
    press(keys) {
      queue.push(keys);
      wake?.();
    },
  };
}

function newDir(): string {
  return mkdtempSync(join(scratch, 'work-'));
}

async function run(args: string[], options: { env?: Record<string, string>; runner?: Runner; stdin?: AsyncIterable<Uint8Array>; stdout?: Capture } = {}) {
  const stdout = options.stdout ?? new Capture();
  const stderr = new Capture();
  const io: CliIo = { stdin: options.stdin ?? (async function* () {})(), stdout, stderr, env: options.env ?? { LANG: 'C.UTF-8' }, cwd: scratch };
  const status = await runExercises(args, io, { rootDir: root, runner: options.runner ?? runner, timeLimitMs: 120_000 });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

describe('npm run exercises', () => {
  it('list --json: every exercise unsolved in a new working folder made of starters only', async () => {
    const dir = newDir();
    rmSync(dir, { recursive: true });
    const r = await run(['list', '--json', '--dir', dir]);
    expect(r.status).toBe(0);
    const listed = JSON.parse(r.stdout) as { exercises: { id: string; lesson: string; title: string; solved: boolean }[] };
    expect(listed.exercises).toEqual(exercises.map((ex) => ({ id: ex.id, lesson: ex.lesson, title: ex.title.en, solved: false })));
    const files = readdirSync(dir).filter((n) => n.endsWith('.py'));
    expect(files).toEqual(exercises.map((ex) => `${ex.id}.py`));
    for (const ex of exercises) expect(readFileSync(join(dir, `${ex.id}.py`), 'utf8')).toBe(ex.starter);
    // The note about the new folder goes to stderr, so stdout stays one JSON document.
    expect(r.stderr).toMatch(/^Made your exercise files in /);

    const zh = await run(['list', '--dir', dir], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(zh.stdout).toMatch(/^练习（已完成 0 \/ \d+）。/);
    expect(zh.stdout).toContain(first.title['zh-CN']);
  });

  it('bad arguments: exit status 2 and a message in the chosen language', async () => {
    const dir = newDir();
    const unknown = await run(['check', '99-nothing', '--dir', dir]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain(`no exercise '99-nothing'; there are: ${exercises.map((e) => e.id).join(', ')}`);
    const zh = await run(['check', '--lang', 'zh-CN', '--dir', dir]);
    expect(zh.status).toBe(2);
    expect(zh.stderr).toMatch(/check 需要一个练习 id/);
    const lang = await run(['list', '--lang', 'fr']);
    expect(lang.status).toBe(2);
    expect(lang.stderr).toMatch(/--lang must be en or zh-CN, not 'fr'/);
    const command = await run(['frobnicate', '--dir', dir]);
    expect(command.status).toBe(2);
    expect(command.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('hint gives the hints of a task one by one, the weakest first; reset keeps the code it replaces', async () => {
    const dir = newDir();
    const task = first.tasks.find((x) => (first.hints.en[x.id]?.length ?? 0) > 1)!;
    const one = await run(['hint', first.id, '--dir', dir]);
    const two = await run(['hint', first.id, '--dir', dir]);
    expect(one.stdout).toContain(`Hint 1 of ${first.hints.en[task.id]!.length} for "${task.title.en}":`);
    expect(one.stdout).toContain(first.hints.en[task.id]![0]);
    expect(two.stdout).toContain(first.hints.en[task.id]![1]);

    const file = join(dir, `${first.id}.py`);
    writeFileSync(file, '# my attempt\n');
    const reset = await run(['reset', first.id.slice(0, 2), '--dir', dir]);
    expect(reset.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(first.starter);
    expect(readFileSync(join(dir, '.backup', `${first.id}.py`), 'utf8')).toBe('# my attempt\n');
  });

  itWithArchive('check: the starter fails with N passed, N failed and exit 1; the solution passes with exit 0; then solution opens', async () => {
    const dir = newDir();
    const locked = await run(['solution', first.id, '--dir', dir]);
    expect(locked.status).toBe(1);
    expect(locked.stderr).toMatch(/The solution opens once your own code passes/);

    const starter = await run(['check', first.id, '--dir', dir]);
    expect(starter.status).toBe(1);
    const counts = /^(\d+) passed, (\d+) failed$/m.exec(starter.stdout);
    expect(counts, starter.stdout).not.toBeNull();
    expect(Number(counts![2])).toBeGreaterThan(0);
    expect(starter.stdout).toMatch(/^ {2}✗ test_/m);

    writeFileSync(join(dir, `${first.id}.py`), first.solution);
    const solved = await run(['check', first.id, '--json', '--dir', dir]);
    expect(solved.status).toBe(0);
    const result = JSON.parse(solved.stdout) as { version: number; status: string; tests: { status: string }[] };
    expect(result.version).toBe(3);
    expect(result.status).toBe('pass');
    expect(result.tests.every((x) => x.status === 'pass')).toBe(true);

    const listed = JSON.parse((await run(['list', '--json', '--dir', dir])).stdout) as { exercises: { id: string; solved: boolean }[] };
    expect(listed.exercises.find((x) => x.id === first.id)?.solved).toBe(true);
    const shown = await run(['solution', first.id, '--dir', dir, '--lang', 'zh-CN']);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain(`${first.id} 的参考答案`);
    expect(shown.stdout).toContain(first.solution.trim());

    const zh = await run(['check', first.id, '--dir', dir, '--lang', 'zh-CN']);
    expect(zh.stdout).toMatch(/^\d+ 个通过，0 个未通过$/m);
  });

  itWithArchive('watch mode checks the current exercise, again on save, and answers h, n and q', async () => {
    const dir = newDir();
    const out = new Capture();
    const keys = keyboard();
    const firstCheck = out.next(/\d+ passed, \d+ failed\n/);
    const done = run(['--dir', dir], { stdout: out, stdin: keys.stdin });
    await firstCheck;
    expect(out.text).toContain(`${first.id} · ${first.title.en}`);
    expect(out.text).toContain('h hint · l list · n next · r reset · q quit');

    const solved = out.next(/Solved! Press n for the next exercise\./);
    writeFileSync(join(dir, `${first.id}.py`), first.solution);
    await solved;

    const hinted = out.next(/Hint 1 of/);
    keys.press('h');
    await hinted;
    const second = exercises[1]!;
    const moved = out.next(new RegExp(`${second.id} · .*\\n[\\s\\S]*\\d+ passed, \\d+ failed\\n`));
    keys.press('n');
    await moved;
    keys.press('q');
    const r = await done;
    expect(r.status).toBe(0);
    expect(out.text).toMatch(/Bye\. Your files stay in /);
  }, 120_000);
});

describe('npm run exercises without the archive', () => {
  it('check says what is missing and how to make it, in the learner\'s language, and exits 1', async () => {
    const missing = createRunner({ archivePath: join(scratch, 'no-archive.zip') });
    try {
      const dir = newDir();
      const r = await run(['check', first.id, '--dir', dir, '--lang', 'zh-CN'], { runner: missing });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/练习所用的 Flask 归档文件不存在：.*no-archive\.zip does not exist\n\s*生成方法：npm run runtime:archive/);
      const json = await run(['check', first.id, '--dir', dir, '--json'], { runner: missing });
      expect(json.status).toBe(1);
      const result = JSON.parse(json.stdout) as { status: string; message: string };
      expect(result.status).toBe('error');
      expect(result.message).toMatch(/^The Flask archive the exercises run on is missing: /);
    } finally {
      missing.dispose();
    }
  });
});

describe('the npm script', () => {
  it('runs list --json as its own process', () => {
    const dir = newDir();
    const r = spawnSync('npm', ['run', '--silent', 'exercises', '--', 'list', '--json', '--dir', dir], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { exercises: unknown[] }).exercises).toHaveLength(exercises.length);
    expect(existsSync(join(dir, `${first.id}.py`))).toBe(true);
  });
});
