// The Redis view's lab: requests take turns between workers by default (a load balancer's round robin, as the
// scaling lesson says), the turn survives the trip from the build to the browser, and the lab runs on the
// page's virtual clock, the same instant every other widget and the lessons start from.
import { describe, expect, it } from 'vitest';
import { memoryLabStore, prerender, SessionLab } from '../../src/components/redis-view/model.ts';
import { redisViewStrings } from '../../src/components/redis-view/i18n.ts';
import { PAGE_EPOCH, createClock } from '../../src/components/page-clock.ts';

describe('Redis view workers', () => {
  it('two workers take turns by default', async () => {
    const lab = await SessionLab.create({ mode: '0.8', workers: 2, clock: () => PAGE_EPOCH, makeStore: memoryLabStore });
    const workers: number[] = [];
    for (const url of ['/login', '/index', '/index', '/index']) workers.push((await lab.send(url)).worker);
    expect(workers).toEqual([1, 2, 1, 2]);
    // A worker chosen by hand does not move the turn.
    expect((await lab.send('/index', 2)).worker).toBe(2);
    expect(lab.nextWorker()).toBe(1);
  });

  it('one worker gets everything', async () => {
    const lab = await SessionLab.create({ mode: '0.8', clock: () => PAGE_EPOCH, makeStore: memoryLabStore });
    for (const url of ['/login', '/index', '/index']) expect((await lab.send(url)).worker).toBe(1);
  });

  it('the scaling lesson scene alternates, and the browser continues the turn where the build left it', async () => {
    const { snapshot, state } = await prerender('0.8', 2, ['/login', '/index', '/index']);
    expect(snapshot.log.map((e) => e.worker)).toEqual([1, 2, 1]);
    expect(state.turn).toBe(3);
    const browser = await SessionLab.create({ mode: '0.8', workers: 2, clock: () => PAGE_EPOCH, makeStore: memoryLabStore });
    await browser.restore(state);
    expect(browser.nextWorker()).toBe(2);
    const next = await browser.send('/index');
    expect(next.worker).toBe(2);
    // Both workers find the session in the shared store.
    expect(next.body).toContain('alex');
  });

  it('the tutorial dicts disagree across workers that take turns', async () => {
    const { snapshot } = await prerender('custom', 2, ['/login', '/index']);
    expect(snapshot.log.map((e) => e.worker)).toEqual([1, 2]);
    expect(snapshot.log[1]!.body).toContain('You are not logged in');
  });

  it('both languages say where the next request goes', () => {
    expect(redisViewStrings('en').nextWorker(2)).toContain('2');
    expect(redisViewStrings('zh-cn').nextWorker(2)).toContain('2');
    expect(redisViewStrings('zh-cn').nextWorker(2)).not.toBe(redisViewStrings('en').nextWorker(2));
  });
});

describe('Redis view clock', () => {
  it('the build renders at the page epoch, and keys expire when the page clock moves, not with real time', async () => {
    const { state } = await prerender('0.8', 1, ['/login']);
    const clock = createClock();
    const lab = await SessionLab.create({ mode: '0.8', clock: () => clock.now(), makeStore: memoryLabStore });
    await lab.restore(state);
    const before = await lab.snapshot();
    expect(before.rows).toHaveLength(1);
    const ttl = before.rows[0]!.ttl!;
    clock.advance(86400);
    const after = await lab.snapshot();
    expect(after.rows[0]!.ttl).toBe(ttl - 86400);
    expect(after.jar[0]!.expiresIn).toBe(before.jar[0]!.expiresIn! - 86400);
    clock.advance(ttl);
    expect((await lab.snapshot()).rows).toEqual([]);
    expect((await lab.snapshot()).jar).toEqual([]);
  });

  it('a Set-Cookie written in the page carries the page year, as the build did', async () => {
    const { snapshot } = await prerender('0.8', 1, ['/login']);
    const clock = createClock();
    const lab = await SessionLab.create({ mode: '0.8', clock: () => clock.now(), makeStore: memoryLabStore });
    const entry = await lab.send('/login');
    const year = (h: string) => /Expires=\w{3}, \d\d \w{3} (\d{4})/.exec(h)![1];
    expect(year(entry.setCookie[0]!)).toBe(year(snapshot.log[0]!.setCookie[0]!));
    expect(year(entry.setCookie[0]!)).toBe(String(new Date((PAGE_EPOCH + 31 * 86400) * 1000).getUTCFullYear()));
  });
});
