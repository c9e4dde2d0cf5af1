import { describe, expect, it } from 'vitest';
import { header, Learner } from './support-b.ts';

describe('lab 5: load balancer', () => {
  it('alone, the victim keeps its pages on one worker and stays logged in; one extra request makes the other worker answer it as logged out: solved, and replay agrees', async () => {
    const l = await Learner.start('load-balancer', 'vulnerable');
    const login = await l.victim('login');
    expect(login.map((x) => x.url)).toEqual(['/login', '/static/style.css']);
    const a1 = await l.victim('open-account');
    expect(a1[0]!.body).toBe('Logged in as dana.\n');
    expect(header({ responseHeaders: a1[0]!.responseHeaders }, 'X-Worker')).toBe('1');
    expect(l.lab.solved).toBe(false);
    const home = await l.send('GET', '/');
    expect(header(home, 'X-Worker')).toBe('1');
    const a2 = await l.victim('open-account');
    expect(a2[0]!.body).toBe('You are not logged in.\n');
    expect(header({ responseHeaders: a2[0]!.responseHeaders }, 'X-Worker')).toBe('2');
    expect(a2[0]!.goal).toBe(true);
    expect(l.lab.solvedAt).toBe(3);
    expect(await l.replay()).toEqual({ solved: true, solvedAt: 3 });
    expect((await l.replay('vulnerable', 'another seed')).solved).toBe(true);
    expect(await l.replay('fixed')).toEqual({ solved: false, solvedAt: null });
  });

  it('two extra requests shift the rotation back: still logged in, unsolved', async () => {
    const l = await Learner.start('load-balancer', 'vulnerable');
    await l.victim('login');
    await l.send('GET', '/');
    await l.send('GET', '/');
    const a = await l.victim('open-account');
    expect(a[0]!.body).toBe('Logged in as dana.\n');
    expect(l.lab.solved).toBe(false);
  });

  it('fixed: one store for both workers, the same sequence keeps the login on the other worker', async () => {
    const l = await Learner.start('load-balancer', 'fixed');
    await l.victim('login');
    await l.send('GET', '/');
    const a = await l.victim('open-account');
    expect(a[0]!.body).toBe('Logged in as dana.\n');
    expect(header({ responseHeaders: a[0]!.responseHeaders }, 'X-Worker')).toBe('2');
    expect(l.lab.solved).toBe(false);
  });

  it('the learner\'s own login is not the goal, even when the learner loses it', async () => {
    const l = await Learner.start('load-balancer', 'vulnerable');
    const r = await l.send('POST', '/login', { body: 'user=guest&password=guest' });
    expect(r.body).toBe('Logged in as guest.\n');
    const lost = await l.send('GET', '/account');
    expect(lost.body).toBe('You are not logged in.\n');
    expect(l.lab.solved).toBe(false);
    expect((await l.send('POST', '/login', { body: 'user=dana&password=guess' })).status).toBe(401);
  });
});
