import { describe, expect, it } from 'vitest';
import { createVaryCookieLab, LEARNER, MAX_AGE } from '../../src/labs/vary-cookie/app.ts';
import { headerOf, Jar } from '../../src/labs/simulated.ts';
import { replaySimulatedLab } from '../../src/labs/simulated-labs.ts';

describe('lab: missing Vary: Cookie', () => {
  it('the victim opens a personal page at an uncached URL, the learner opens the same URL: the cache hands over the victim\'s page', async () => {
    const lab = await createVaryCookieLab('seed-1', 'vulnerable');
    await lab.victim('open', '/account?cb=1');
    const victimCopy = lab.cache.entries.find((e) => e.url === '/account?cb=1')!;
    expect(victimCopy.vary).toEqual([]);
    expect(victimCopy.headers.some(([k]) => k.toLowerCase() === 'set-cookie')).toBe(false);
    const r = await lab.request({ method: 'GET', url: '/account?cb=1', headers: [] });
    expect(r.status).toBe(200);
    expect(headerOf(r.headers, 'X-Cache')).toBe('HIT');
    expect(r.body).toContain(lab.victimApiKey);
    expect(lab.solved).toBe(true);
    expect(lab.events.find((e) => e.solved)).toMatchObject({ key: 'leaked', params: { url: '/account?cb=1' } });
    expect(await replaySimulatedLab('vary-cookie', 'seed-1', 'vulnerable', lab.log)).toEqual({ solved: true, solvedAt: lab.solvedAt });
    expect(await replaySimulatedLab('vary-cookie', 'seed-1', 'fixed', lab.log)).toEqual({ solved: false, solvedAt: null });
  });

  it('the learner who caches a URL first gets their own copy back, and the victim gets the learner\'s page: unsolved', async () => {
    const lab = await createVaryCookieLab('seed-1', 'vulnerable');
    // Before anyone cached /account, the learner's anonymous visit is a redirect (not stored).
    const first = await lab.request({ method: 'GET', url: '/account', headers: [] });
    expect(first.status).toBe(302);
    expect(headerOf(first.headers, 'X-Cache')).toBe('MISS');
    const jar = new Jar(lab.clock.now);
    const send = (r: Parameters<typeof lab.request>[0]) => lab.request(r);
    await jar.send({ method: 'POST', url: '/login', body: `user=${LEARNER.user}&password=${LEARNER.password}` }, send);
    const mine = await jar.send({ method: 'GET', url: '/account' }, send);
    expect(mine.body).toContain('user: guest');
    await lab.victim('open', '/account');
    const again = await lab.request({ method: 'GET', url: '/account', headers: [] });
    expect(again.body).toContain('user: guest');
    expect(again.body).not.toContain(lab.victimApiKey);
    expect(lab.solved).toBe(false);
  });

  it('a stored copy expires after max-age', async () => {
    const lab = await createVaryCookieLab('seed-1', 'vulnerable');
    await lab.victim('open', '/account');
    lab.clock.tick(MAX_AGE);
    const r = await lab.request({ method: 'GET', url: '/account', headers: [] });
    expect(headerOf(r.headers, 'X-Cache')).toBe('MISS');
    expect(lab.solved).toBe(false);
  });

  it('fixed: the corrected interface sends Vary: Cookie, the cache keeps the victim\'s copy for the victim\'s cookie only', async () => {
    const lab = await createVaryCookieLab('seed-1', 'fixed');
    await lab.victim('open', '/account?cb=1');
    const copy = lab.cache.entries.find((e) => e.url === '/account?cb=1')!;
    expect(copy.vary.map(([n]) => n)).toEqual(['cookie']);
    const r = await lab.request({ method: 'GET', url: '/account?cb=1', headers: [] });
    expect(headerOf(r.headers, 'X-Cache')).toBe('MISS');
    expect(r.status).toBe(302);
    expect(lab.solved).toBe(false);
  });

  it('the victim only follows paths of this site', async () => {
    const lab = await createVaryCookieLab('seed-1', 'vulnerable');
    await expect(lab.victim('open', 'https://elsewhere.example/')).rejects.toThrow(/single "\/"/);
    await expect(lab.victim('open')).rejects.toThrow(/single "\/"/);
    await expect(lab.victim('log-in', '/x')).rejects.toThrow(/takes no argument/);
  });
});
