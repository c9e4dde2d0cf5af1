// The two real judges the engine is compared with, and how to start a Python program under either.
//
// - "flask-2.2": Debian 12's packages on this machine, run by /usr/bin/python3 (Flask 2.2.2, Werkzeug 2.2.2,
//   itsdangerous 2.1.2, Flask-Session 0.3.2).
// - "flask-3.1": Debian 13's packages in a root built by scripts/peers.sh with debootstrap, run with
//   `chroot ROOT /usr/bin/python3` (Flask 3.1.1, Werkzeug 3.1.3, itsdangerous 2.2.0, Flask-Session 0.8.0,
//   msgspec 0.19). A chroot shares the network, so both reach the same redis-server on 127.0.0.1.
//
// A script that lives in this repository is copied into the root at the same absolute path before it runs
// there (with the other files of its folder, which it may import), so `__file__` and sibling imports work alike
// under both judges.
import { execFileSync, spawn, spawnSync, type ChildProcessWithoutNullStreams, type SpawnOptions } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';

export type JudgeId = 'flask-2.2' | 'flask-3.1';

export interface Judge {
  readonly id: JudgeId;
  /** Versions as the Debian packages give them; checked against the running interpreter by `versions`. */
  readonly flask: string;
  readonly werkzeug: string;
  readonly itsdangerous: string;
  readonly flaskSession: string;
  /** A short human label: "Flask 2.2.2 / Flask-Session 0.3.2 (Debian 12)". */
  readonly label: string;
}

export const OLD_PYTHON = '/usr/bin/python3';

/** chroot lives in /usr/sbin, which the environment given to a judge does not have on its PATH. */
const CHROOT = existsSync('/usr/sbin/chroot') ? '/usr/sbin/chroot' : 'chroot';

/** Where scripts/peers.sh builds the Debian 13 root; FLASK_SESSION_LAB_TRIXIE overrides it (same variable there). */
export const TRIXIE_ROOT = process.env.FLASK_SESSION_LAB_TRIXIE || '/var/cache/flask-session-lab/trixie';

export const JUDGES: readonly Judge[] = [
  { id: 'flask-2.2', flask: '2.2.2', werkzeug: '2.2.2', itsdangerous: '2.1.2', flaskSession: '0.3.2', label: 'Flask 2.2.2 / Flask-Session 0.3.2 (Debian 12)' },
  { id: 'flask-3.1', flask: '3.1.1', werkzeug: '3.1.3', itsdangerous: '2.2.0', flaskSession: '0.8.0', label: 'Flask 3.1.1 / Flask-Session 0.8.0 (Debian 13)' },
];

export function judge(id: JudgeId): Judge {
  return JUDGES.find((j) => j.id === id)!;
}

const IMPORTS: Record<JudgeId, string> = {
  'flask-2.2': 'import flask, itsdangerous, flask_session, redis, msgpack',
  'flask-3.1': 'import flask, itsdangerous, flask_session, redis, msgspec, msgpack',
};

const missingCache = new Map<JudgeId, string | null>();

/** Why a judge cannot run here, or null when it can. */
export function judgeMissing(id: JudgeId): string | null {
  if (missingCache.has(id)) return missingCache.get(id)!;
  let why: string | null = null;
  if (id === 'flask-2.2') {
    const r = existsSync(OLD_PYTHON) ? spawnSync(OLD_PYTHON, ['-c', IMPORTS[id]]) : null;
    if (!r || r.status !== 0) why = `${OLD_PYTHON} cannot import Debian 12's Flask stack: run "bash scripts/peers.sh" as root`;
  } else {
    if (!existsSync(path.join(TRIXIE_ROOT, 'usr/bin/python3'))) {
      why = `no Debian 13 root at ${TRIXIE_ROOT}: run "bash scripts/peers.sh" as root (it builds one with debootstrap)`;
    } else if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      why = `the Debian 13 root at ${TRIXIE_ROOT} needs chroot, which needs root`;
    } else {
      const r = spawnSync(CHROOT, [TRIXIE_ROOT, '/usr/bin/python3', '-c', IMPORTS[id]], { env: judgeEnv() });
      if (r.status !== 0) why = `the Debian 13 root at ${TRIXIE_ROOT} cannot import its Flask stack (${String(r.stderr ?? r.error).trim().split('\n').pop()}): run "bash scripts/peers.sh" as root`;
    }
  }
  missingCache.set(id, why);
  return why;
}

function judgeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOME: '/root',
    PYTHONIOENCODING: 'utf-8',
    PYTHONHASHSEED: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    ...extra,
  };
}

const synced = new Set<string>();

/**
 * Copies the files of a folder of this repository (not its subfolders) into the Debian 13 root at the same
 * absolute path. Each file is written beside its target and renamed over it, so parallel test files racing
 * on the same copy never see half a file.
 */
export function syncIntoTrixie(dir: string): void {
  const abs = path.resolve(dir);
  if (synced.has(abs)) return;
  const target = path.join(TRIXIE_ROOT, abs);
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(abs)) {
    const from = path.join(abs, name);
    if (!statSync(from).isFile()) continue;
    const tmp = path.join(target, `.${name}.${process.pid}.tmp`);
    copyFileSync(from, tmp);
    renameSync(tmp, path.join(target, name));
  }
  synced.add(abs);
}

/** The command and arguments that run `python3 ARGS...` under a judge (a script path in ARGS is synced first). */
export function pythonCommand(id: JudgeId, args: readonly string[]): [string, string[]] {
  if (id === 'flask-2.2') return [OLD_PYTHON, [...args]];
  for (const a of args) {
    if (a.endsWith('.py') && path.isAbsolute(a) && existsSync(a)) syncIntoTrixie(path.dirname(a));
  }
  return [CHROOT, [TRIXIE_ROOT, '/usr/bin/python3', ...args]];
}

/** Starts a long-running Python program under a judge. */
export function spawnPython(id: JudgeId, args: readonly string[], env: Record<string, string> = {}, options: SpawnOptions = {}): ChildProcessWithoutNullStreams {
  const [cmd, argv] = pythonCommand(id, args);
  return spawn(cmd, argv, { ...options, env: judgeEnv(env), stdio: ['pipe', 'pipe', 'pipe'] }) as ChildProcessWithoutNullStreams;
}

/** Runs a Python snippet under a judge, feeding `input` on stdin; returns stdout. */
export function runPythonUnder(id: JudgeId, script: string, input = '', env: Record<string, string> = {}): string {
  const [cmd, argv] = pythonCommand(id, ['-c', script]);
  return execFileSync(cmd, argv, { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: judgeEnv(env) });
}

/** Runs a Python file of this repository under a judge; returns stdout. */
export function runPythonFile(id: JudgeId, file: string, args: readonly string[] = [], input = '', env: Record<string, string> = {}): string {
  const [cmd, argv] = pythonCommand(id, [path.resolve(file), ...args]);
  return execFileSync(cmd, argv, { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: judgeEnv(env) });
}

/**
 * `it`, for a test that needs a judge. A missing judge is reported as skipped with the reason in the test's
 * name, and under CI=true the test fails instead: a missing judge never passes quietly.
 */
export function itWithJudge(id: JudgeId, name: string, fn: () => unknown, timeout?: number): void {
  const why = judgeMissing(id);
  if (!why) {
    it(name, fn, timeout);
  } else if (process.env.CI) {
    it(name, () => {
      throw new Error(`judge ${id} missing under CI: ${why}`);
    });
  } else {
    console.warn(`[judge missing] ${id} ${name}: ${why}`);
    it(`${name} [judge ${id} missing: ${why}]`, (ctx) => ctx.skip(why));
  }
}

/** Runs `body` once per judge inside a `describe` named after it. */
export function forEachJudge(body: (j: Judge) => void): void {
  for (const j of JUDGES) describe(j.label, () => body(j));
}
