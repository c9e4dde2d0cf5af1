// A class of 60 students submitting at once to `npm run classroom` (the real command, in its own process, on
// port 0), then the process killed with SIGKILL while submissions are still arriving, and started again on the
// same database: every submission that was answered 201 is still there, counted one by one. The figures (time,
// rate, what was in flight at the kill) are printed, never compared with a threshold.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { post, submission } from './server-support.ts';

const STUDENTS = 60;
const ROUNDS = 5;

interface Started {
  child: ChildProcess;
  url: string;
  submitUrl: string;
  token: string;
  id: string;
}

const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'class-restart-'));
const db = join(dir, 'class.db');

/** Starts the command and reads its address, class id and token from what it prints. */
function startCommand(): Promise<Started> {
  const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', 'src/cli/classroom.ts', '--port', '0', '--db', db, '--no-recheck', '--name', 'Room 60', '--site', join(dir, 'no-site')], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /^Class server: (\S+)$/m.exec(out)?.[1];
      const id = /^Class: .* \(id (\S+)\)$/m.exec(out)?.[1];
      const token = /^Class token: (\S+)$/m.exec(out)?.[1];
      if (url && id && token && /^Database: /m.test(out)) resolve({ child, url, id, token, submitUrl: `${url}class/${id}/submit` });
    });
    child.once('exit', (code) => reject(new Error(`the class server exited (${code}) before it listened:\n${out}\n${err}`)));
  });
}

function storedSubmissions(): Set<number> {
  const conn = new DatabaseSync(db, { readOnly: true });
  try {
    return new Set((conn.prepare('SELECT seq FROM submission').all() as { seq: number }[]).map((r) => Number(r.seq)));
  } finally {
    conn.close();
  }
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('class server under a class of 60, killed and restarted', () => {
  it('answers every student, and after kill -9 and a restart every accepted submission is still in the database', async () => {
    const first = await startCommand();
    const learner = (i: number) => `student-${String(i).padStart(4, '0')}`;
    const code = (i: number, round: number) => `# student ${i}, attempt ${round}\n${'x = 1\n'.repeat(200)}`;
    const accepted: number[] = [];
    const send = async (i: number, round: number, token: string, url: string): Promise<number> => {
      const res = await post(url, submission(token, learner(i), `Student ${i} 学生`, code(i, round)));
      const body = (await res.json()) as { submission?: number };
      if (res.status === 201 && typeof body.submission === 'number') accepted.push(body.submission);
      return res.status;
    };

    // 1. Sixty students, five submissions each, all at once.
    const t0 = performance.now();
    const statuses = (await Promise.all(Array.from({ length: STUDENTS }, async (_, i) => {
      const mine: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) mine.push(await send(i, round, first.token, first.submitUrl));
      return mine;
    }))).flat();
    const loadMs = performance.now() - t0;
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    expect(accepted.length).toBe(STUDENTS * ROUNDS);

    // 2. The class goes on submitting; once 60 more are answered, the server is killed mid-stream.
    const beforeKill = accepted.length;
    let inFlightErrors = 0;
    let killed = false;
    const exited = new Promise<void>((resolve) => first.child.once('exit', () => resolve()));
    await Promise.all(
      Array.from({ length: STUDENTS }, async (_, i) => {
        for (let round = ROUNDS + 1; !killed; round++) {
          try {
            await send(i, round, first.token, first.submitUrl);
          } catch {
            inFlightErrors += 1;
            return;
          }
          if (!killed && accepted.length >= beforeKill + STUDENTS) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      }),
    );
    await exited;
    expect(first.child.signalCode).toBe('SIGKILL');

    // 3. Every accepted submission is in the file, read straight from it with the server dead.
    const acceptedInAll = accepted.length;
    const stored = storedSubmissions();
    const missing = accepted.filter((seq) => !stored.has(seq));
    expect(missing).toEqual([]);
    expect(new Set(accepted).size).toBe(accepted.length);

    // 4. Started again on the same file: same class, same token; everything is served, and students carry on.
    const t1 = performance.now();
    const second = await startCommand();
    const restartMs = performance.now() - t1;
    expect(second.id).toBe(first.id);
    expect(second.token).toBe(first.token);
    const state = (await (await fetch(`${second.url}class/api/state`)).json()) as { seq: number; rows: { learner: string }[] };
    expect(state.seq).toBe(stored.size);
    expect(new Set(state.rows.map((r) => r.learner)).size).toBe(STUDENTS);
    expect(await send(0, 999, second.token, second.submitUrl)).toBe(201);
    second.child.kill('SIGTERM');
    await new Promise<void>((resolve) => second.child.once('exit', () => resolve()));
    expect(second.child.exitCode).toBe(0);
    console.log(
      `class server: ${STUDENTS} students × ${ROUNDS} submissions = ${STUDENTS * ROUNDS} in ${Math.round(loadMs)} ms ` +
        `(${Math.round((STUDENTS * ROUNDS * 1000) / loadMs)}/s); killed after ${acceptedInAll} accepted in all, ` +
        `${inFlightErrors} requests cut off in flight, ${stored.size} stored (${stored.size - acceptedInAll} committed but unanswered), ` +
        `0 accepted lost; restart to listening ${Math.round(restartMs)} ms`,
    );
  }, 180_000);
});
