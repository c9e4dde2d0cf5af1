import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { it } from 'vitest';

/** Debian's interpreter, the one that has Flask 2.2.2, itsdangerous 2.1.2 and Flask-Session 0.3.2. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

const cache = new Map<string, string | null>();

/** Why a peer cannot be used, or null when it is there. */
export function peerMissing(peer: 'flask' | 'flask_session' | 'redis-server' | 'chromium'): string | null {
  if (cache.has(peer)) return cache.get(peer)!;
  let why: string | null = null;
  if (peer === 'flask' || peer === 'flask_session') {
    const mod = peer === 'flask' ? 'flask, itsdangerous' : 'flask_session, redis';
    const r = existsSync(DEBIAN_PYTHON) ? spawnSync(DEBIAN_PYTHON, ['-c', `import ${mod}`]) : null;
    if (!r || r.status !== 0) why = `${DEBIAN_PYTHON} cannot import ${mod}: run "bash scripts/peers.sh" (Debian packages python3-flask python3-flask-session python3-redis)`;
  } else if (peer === 'redis-server') {
    const r = spawnSync('redis-server', ['--version']);
    if (r.status !== 0) why = 'redis-server is not installed: run "bash scripts/peers.sh" (Debian package redis-server)';
  } else if (peer === 'chromium') {
    if (!existsSync('/usr/bin/chromium')) why = '/usr/bin/chromium is missing: run "bash scripts/peers.sh" (Debian package chromium)';
  }
  cache.set(peer, why);
  return why;
}

/**
 * `it`, for a test that needs a real peer. When the peer is missing the test is reported as skipped
 * with the reason in its name, and under CI=true it fails instead: a missing peer never passes quietly.
 */
export function itWithPeer(peer: Parameters<typeof peerMissing>[0], name: string, fn: () => unknown, timeout?: number): void {
  const why = peerMissing(peer);
  if (!why) {
    it(name, fn, timeout);
  } else if (process.env.CI) {
    it(name, () => {
      throw new Error(`peer missing under CI: ${why}`);
    });
  } else {
    console.warn(`[peer missing] ${name}: ${why}`);
    it(`${name} [peer missing: ${why}]`, (ctx) => ctx.skip(why));
  }
}

/** Runs a Python snippet with Debian's interpreter, feeding `input` on stdin; returns stdout. */
export function runPython(script: string, input = '', env: Record<string, string> = {}): string {
  return execFileSync(DEBIAN_PYTHON, ['-c', script], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PYTHONHASHSEED: '0', PYTHONIOENCODING: 'utf-8', ...env },
  });
}
