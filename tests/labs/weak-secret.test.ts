// Lab 1 (weak secret): cracking the guest cookie with the course's wordlist and signing {"user": "admin"} solves it;
// a wrong key, a tampered payload or the fixed mode leave it unsolved; replayLab agrees; the keys are in the wordlist.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crackWordlist } from '../../src/components/inspector/crack-loop.ts';
import { flaskSerializer } from '../../src/components/inspector/inspect.ts';
import { LabInstance, replayLab } from '../../src/labs/runtime.ts';
import { WEAK_KEYS } from '../../src/labs/weak-secret/keys.ts';
import { secretKeyFor } from '../../src/labs/weak-secret/app.ts';
import { Learner } from './support.ts';

const WORDLIST = readFileSync('public/wordlists/flask-secrets.txt');
const LINES = new Set(WORDLIST.toString('utf8').split('\n'));
const T0 = 1_780_000_000;

/** Finds the key with the inspector's own crack loop over the course wordlist; null when no line matches. */
function crack(cookie: string): string | null {
  let found: string | null = null;
  for (const p of crackWordlist(cookie, new Uint8Array(WORDLIST))) if (p.match !== null) found = p.match;
  return found;
}

/** Signs a session as the inspector's "Edit and re-sign" does. */
function forge(key: string, at: number, data: Record<string, string>): string {
  return flaskSerializer(key, () => at).dumps(new Map(Object.entries(data)));
}

describe('lab weak-secret', () => {
  it('every weak key is a line of the wordlist, and seeds pick different keys', () => {
    for (const k of WEAK_KEYS) expect(LINES.has(k), k).toBe(true);
    const picked = new Set(Array.from({ length: 40 }, (_, i) => secretKeyFor(`learner-${i}`, 'vulnerable')));
    expect(picked.size).toBeGreaterThan(10);
    expect(secretKeyFor('a', 'vulnerable')).toBe(secretKeyFor('a', 'vulnerable'));
    expect(secretKeyFor('a', 'fixed')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('crack the guest cookie, forge admin → solved; replayLab agrees; restart resets', async () => {
    const lab = await LabInstance.create('weak-secret', 'seed-1', 'vulnerable');
    const me = new Learner(lab);
    await me.get('/login', T0);
    expect((await me.get('/admin', T0 + 1)).status).toBe(403);
    const key = crack(me.cookies.get('session')!);
    expect(key).toBe(secretKeyFor('seed-1', 'vulnerable'));
    me.cookies.set('session', forge(key!, T0 + 5, { user: 'admin' }));
    const x = await me.get('/admin', T0 + 10);
    expect(x.status).toBe(200);
    expect(x.goal).toBe(true);
    expect(lab.solved).toBe(true);
    expect(lab.solvedAt).toBe(2);
    expect(await replayLab('weak-secret', 'seed-1', 'vulnerable', lab.log)).toEqual({ solved: true, solvedAt: 2, runtime: 'engine' });
    // The same log under another learner's seed (another key) is not a solve, nor in the fixed mode.
    expect((await replayLab('weak-secret', 'seed-2', 'vulnerable', lab.log)).solved).toBe(false);
    expect((await replayLab('weak-secret', 'seed-1', 'fixed', lab.log)).solved).toBe(false);
    // Restart: a new instance of the same seed and mode starts unsolved with an empty log.
    const again = await LabInstance.create('weak-secret', 'seed-1', 'vulnerable');
    expect([again.solved, again.log.length]).toEqual([false, 0]);
  });

  it('wrong attempts stay unsolved: a wrong key, an unsigned edit, a guest session', async () => {
    const lab = await LabInstance.create('weak-secret', 'seed-3', 'vulnerable');
    const me = new Learner(lab);
    await me.get('/login', T0);
    const guest = me.cookies.get('session')!;
    me.cookies.set('session', forge('not-the-key', T0, { user: 'admin' }));
    expect((await me.get('/admin', T0 + 1)).status).toBe(403);
    // The payload swapped for admin's but the old signature kept.
    const adminPayload = forge('x', T0, { user: 'admin' }).split('.')[0]!;
    me.cookies.set('session', [adminPayload, ...guest.split('.').slice(1)].join('.'));
    expect((await me.get('/admin', T0 + 2)).status).toBe(403);
    me.cookies.set('session', guest);
    expect((await me.get('/admin', T0 + 3)).status).toBe(403);
    expect(lab.solved).toBe(false);
    expect(await replayLab('weak-secret', 'seed-3', 'vulnerable', lab.log)).toEqual({ solved: false, solvedAt: null, runtime: 'engine' });
  });

  it('the fixed mode: the wordlist does not find the key', async () => {
    const lab = await LabInstance.create('weak-secret', 'seed-1', 'fixed');
    const me = new Learner(lab);
    await me.get('/login', T0);
    expect(crack(me.cookies.get('session')!)).toBeNull();
  });

  it('replayLab explains a log it cannot replay', async () => {
    expect((await replayLab('no-such-lab', 's', 'vulnerable', [])).error).toMatch(/unknown lab 'no-such-lab'/);
    expect((await replayLab('weak-secret', 's', 'other' as never, [])).error).toMatch(/mode must be/);
    expect((await replayLab('weak-secret', 's', 'vulnerable', [{ type: 'request', at: 1, method: 'GET', url: 'admin', headers: [] }])).error).toMatch(/must start with '\/'/);
    expect((await replayLab('weak-secret', 's', 'vulnerable', [{ type: 'victim', at: 1, action: 'login' }])).error).toMatch(/unknown victim action 'login'/);
    expect((await replayLab('weak-secret', 's', 'vulnerable', [{ type: 'nope' } as never])).error).toMatch(/type must be 'request' or 'victim'/);
    expect((await replayLab('weak-secret', 's', 'vulnerable', 'x' as never)).error).toMatch(/must be a list/);
  });
});
