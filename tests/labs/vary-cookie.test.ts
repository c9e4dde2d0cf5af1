import { describe, expect, it } from 'vitest';
import { apiKeyOf, MAX_AGE } from '../../src/labs/vary-cookie/app.ts';
import { header, Learner } from './support-b.ts';

describe('lab 4: missing Vary: Cookie', () => {
  it("the victim opens its account page at an uncached URL, the learner opens the same URL: the cache hands over the victim's page", async () => {
    const l = await Learner.start('vary-cookie', 'vulnerable');
    await l.victim('login');
    const [v] = await l.victim('open', '/account?x=1');
    expect(v!.responseHeaders.some(([k]) => k.toLowerCase() === 'vary')).toBe(false);
    const r = await l.send('GET', '/account?x=1');
    expect(r.status).toBe(200);
    expect(header(r, 'X-Cache')).toBe('HIT');
    expect(header(r, 'Set-Cookie')).toBeNull();
    expect(r.body).toContain(apiKeyOf('seed-1', 'dana'));
    expect(r.goal).toBe(true);
    expect(await l.replay()).toEqual({ solved: true, solvedAt: 2 });
    expect(await l.replay('fixed')).toEqual({ solved: false, solvedAt: null });
  });

  it("whoever caches a URL first decides what it shows: the learner's own page comes back, unsolved", async () => {
    const l = await Learner.start('vary-cookie', 'vulnerable');
    await l.victim('login');
    const first = await l.send('GET', '/account', { cookies: false });
    expect(first.status).toBe(302);
    expect(header(first, 'X-Cache')).toBe('MISS');
    await l.send('POST', '/login', { body: 'user=guest&password=guest' });
    const mine = await l.send('GET', '/account');
    expect(mine.body).toContain('user: guest');
    const [v] = await l.victim('open', '/account');
    expect(v!.body).toContain('user: guest'); // the victim is handed the learner's page
    const again = await l.send('GET', '/account', { cookies: false });
    expect(again.body).not.toContain(apiKeyOf('seed-1', 'dana'));
    expect(l.lab.solved).toBe(false);
  });

  it('a stored copy expires after max-age', async () => {
    const l = await Learner.start('vary-cookie', 'vulnerable');
    await l.victim('login');
    await l.victim('open', '/account');
    l.at += MAX_AGE;
    const r = await l.send('GET', '/account');
    expect(header(r, 'X-Cache')).toBe('MISS');
    expect(l.lab.solved).toBe(false);
  });

  it("fixed: the corrected interface sends Vary: Cookie, so the victim's copy is kept for the victim's cookie only", async () => {
    const l = await Learner.start('vary-cookie', 'fixed');
    await l.victim('login');
    const [v] = await l.victim('open', '/account?x=1');
    expect(header({ responseHeaders: v!.responseHeaders }, 'Vary')).toBe('Cookie');
    const r = await l.send('GET', '/account?x=1');
    expect(header(r, 'X-Cache')).toBe('MISS');
    expect(r.status).toBe(302);
    expect(l.lab.solved).toBe(false);
  });

  it('the victim opens only paths of this shop', async () => {
    const l = await Learner.start('vary-cookie', 'vulnerable');
    await expect(l.victim('open', 'https://elsewhere.example/')).rejects.toThrow(/starting with one '\/'/);
    await expect(l.victim('open')).rejects.toThrow(/needs a path/);
  });
});
