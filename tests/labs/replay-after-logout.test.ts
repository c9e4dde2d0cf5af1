// Lab 2 (replay after logout): the victim's cookie copied before logout gets back in on the signed cookie (solved),
// and not on Flask-Session 0.8 whose logout deletes the record; wrong attempts stay unsolved; replayLab agrees.
import { describe, expect, it } from 'vitest';
import { LabInstance, replayLab } from '../../src/labs/runtime.ts';
import { Learner, setCookieValue } from './support.ts';

const T0 = 1_780_000_000;

async function victimCookie(lab: LabInstance, at: number): Promise<string> {
  const [login] = await lab.victim('login', undefined, at);
  return setCookieValue(login!, 'session')!;
}

describe('lab replay-after-logout', () => {
  it('vulnerable: replaying the cookie after logout reaches dana → solved; replayLab agrees; restart resets', async () => {
    const lab = await LabInstance.create('replay-after-logout', 'seed-1', 'vulnerable');
    const copied = await victimCookie(lab, T0);
    await lab.victim('logout', undefined, T0 + 60);
    const me = new Learner(lab);
    me.cookies.set('session', copied);
    const x = await me.get('/account', T0 + 120);
    expect([x.status, x.goal, lab.solvedAt]).toEqual([200, true, 2]);
    expect(x.body).toMatch(/Logged in as dana/);
    expect(await replayLab('replay-after-logout', 'seed-1', 'vulnerable', lab.log)).toEqual({ solved: true, solvedAt: 2, runtime: 'engine' });
    const fresh = await LabInstance.create('replay-after-logout', 'seed-1', 'vulnerable');
    expect([fresh.solved, fresh.log.length]).toEqual([false, 0]);
  });

  it('wrong attempts: the replay before logout, the guest account, a made-up cookie', async () => {
    const lab = await LabInstance.create('replay-after-logout', 'seed-2', 'vulnerable');
    const copied = await victimCookie(lab, T0);
    const me = new Learner(lab);
    me.cookies.set('session', copied);
    expect((await me.get('/account', T0 + 1)).status).toBe(200); // dana is still logged in: a hijack, not this lab's goal
    me.cookies.clear();
    expect((await me.get('/login?user=guest&password=guest', T0 + 2)).status).toBe(302);
    await lab.victim('logout', undefined, T0 + 3);
    expect((await me.get('/account', T0 + 4)).body).toMatch(/Logged in as guest/);
    expect((await me.get('/login?user=dana&password=guest', T0 + 5)).status).toBe(401);
    me.cookies.set('session', 'eyJ1c2VyIjoiZGFuYSJ9.aw7HrA.PWveGAytlGTaOdhEGYmBEei89n4');
    expect((await me.get('/account', T0 + 6)).status).toBe(401);
    expect(lab.solved).toBe(false);
    expect((await replayLab('replay-after-logout', 'seed-2', 'vulnerable', lab.log)).solved).toBe(false);
  });

  it('fixed (Flask-Session 0.8): logout deletes the record, so the same replay gets 401', async () => {
    const lab = await LabInstance.create('replay-after-logout', 'seed-1', 'fixed');
    const copied = await victimCookie(lab, T0);
    expect(copied).toMatch(/^[A-Za-z0-9_-]{43}$/); // a 0.8 session id, not data
    const me = new Learner(lab);
    me.cookies.set('session', copied);
    expect((await me.get('/account', T0 + 1)).status).toBe(200);
    await lab.victim('logout', undefined, T0 + 2);
    expect((await me.get('/account', T0 + 3)).status).toBe(401);
    expect(lab.solved).toBe(false);
    // The vulnerable run's solving log, replayed against the fixed app, does not solve it either.
    const vulnerable = await LabInstance.create('replay-after-logout', 'seed-1', 'vulnerable');
    const c = await victimCookie(vulnerable, T0);
    await vulnerable.victim('logout', undefined, T0 + 1);
    await vulnerable.request({ method: 'GET', url: '/account', headers: [['Cookie', `session=${c}`]] }, T0 + 2);
    expect(vulnerable.solved).toBe(true);
    expect((await replayLab('replay-after-logout', 'seed-1', 'fixed', vulnerable.log)).solved).toBe(false);
  });
});
