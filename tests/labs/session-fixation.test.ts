// Lab 3 (session fixation): on Flask-Session 0.3 a planted id survives the victim's login (solved); on 0.8 with
// regenerate() at login it does not, whether the planted id is made up or a real one; the victim's cookies never
// reach the log; wrong attempts stay unsolved; replayLab agrees.
import { describe, expect, it } from 'vitest';
import { LabInstance, replayLab } from '../../src/labs/runtime.ts';
import { Learner, setCookieValue } from './support.ts';

const T0 = 1_780_000_000;

describe('lab session-fixation', () => {
  it('0.3: plant, victim logs in, read her session with the planted id → solved; replayLab agrees; restart resets', async () => {
    const lab = await LabInstance.create('session-fixation', 'seed-1', 'vulnerable');
    await lab.victim('plant', 'fixed-by-me', T0);
    await lab.victim('login', undefined, T0 + 1);
    const me = new Learner(lab);
    me.cookies.set('session', 'fixed-by-me');
    const x = await me.get('/account', T0 + 2);
    expect([x.status, x.goal, lab.solvedAt]).toEqual([200, true, 2]);
    expect(x.body).toMatch(/Logged in as dana/);
    // The learner's log shows the victim's requests, never her cookies.
    const victims = lab.exchanges.filter((e) => e.client === 'victim');
    expect(victims.length).toBe(2);
    for (const e of victims) {
      expect(e.cookiesHidden).toBe(true);
      expect([...e.requestHeaders, ...e.responseHeaders].filter(([k]) => /cookie/i.test(k))).toEqual([]);
    }
    expect(await replayLab('session-fixation', 'seed-1', 'vulnerable', lab.log)).toEqual({ solved: true, solvedAt: 2 });
    const fresh = await LabInstance.create('session-fixation', 'seed-1', 'vulnerable');
    expect([fresh.solved, fresh.log.length]).toEqual([false, 0]);
  });

  it('wrong attempts on 0.3: an id that was not planted, reading before the login, a bad id', async () => {
    const lab = await LabInstance.create('session-fixation', 'seed-2', 'vulnerable');
    await lab.victim('plant', 'planted-1', T0);
    const me = new Learner(lab);
    me.cookies.set('session', 'planted-1');
    expect((await me.get('/account', T0 + 1)).status).toBe(401); // she has not logged in yet
    await lab.victim('login', undefined, T0 + 2);
    // Log in as guest on some other id, then read: only guest.
    const other = new Learner(lab);
    await other.get('/login?user=guest&password=guest', T0 + 3);
    expect((await other.get('/account', T0 + 4)).body).toMatch(/guest/);
    await expect(lab.victim('plant', 'has space')).rejects.toThrow(/1 to 128 letters/);
    await expect(lab.victim('plant', 'has space')).rejects.toMatchObject({ key: 'bad-arg', params: { action: 'plant' } });
    await expect(lab.victim('plant')).rejects.toThrow(/needs a sid/);
    await expect(lab.victim('plant')).rejects.toMatchObject({ key: 'needs-arg', params: { action: 'plant' } });
    expect(lab.solvedAt).toBe(null);
    // The planted id read after the login is the solve (solvedAt counts the refused actions out: they are not logged).
    const x = await me.get('/account', T0 + 5);
    expect(x.goal).toBe(true);
    expect(lab.solvedAt).toBe(lab.log.length - 1);
  });

  it('0.8 with regenerate(): neither a made-up id nor a real planted one gets in', async () => {
    const lab = await LabInstance.create('session-fixation', 'seed-1', 'fixed');
    await lab.victim('plant', 'fixed-by-me', T0);
    await lab.victim('login', undefined, T0 + 1);
    const me = new Learner(lab);
    me.cookies.set('session', 'fixed-by-me');
    expect((await me.get('/account', T0 + 2)).status).toBe(401);
    // A real id: the learner's own, from logging in as guest.
    me.cookies.clear();
    const login = await me.get('/login?user=guest&password=guest', T0 + 3);
    const real = setCookieValue(login, 'session')!;
    expect(real).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await lab.victim('plant', real, T0 + 4);
    await lab.victim('login', undefined, T0 + 5);
    const x = await me.get('/account', T0 + 6);
    expect(x.status).toBe(401); // regenerate() deleted the planted record at her login
    expect(lab.solved).toBe(false);
    expect((await replayLab('session-fixation', 'seed-1', 'fixed', lab.log)).solved).toBe(false);
  });
});
