import { describe, expect, it } from 'vitest';
import { createLoadBalancerLab, LEARNER } from '../../src/labs/load-balancer/app.ts';
import { Jar, LabInputError, headerOf } from '../../src/labs/simulated.ts';
import { replaySimulatedLab } from '../../src/labs/simulated-labs.ts';

describe('lab: load balancer', () => {
  it('alone, the victim always lands on worker 1 and stays logged in; one extra request makes worker 2 answer it as logged out: solved, and replay agrees', async () => {
    const lab = await createLoadBalancerLab('seed-1', 'vulnerable');
    await lab.victim('open-account');
    await lab.victim('open-account');
    expect(lab.events.filter((e) => e.key === 'victim-logged-in').map((e) => e.params?.worker)).toEqual([1, 1]);
    expect(lab.solved).toBe(false);
    const home = await lab.request({ method: 'GET', url: '/', headers: [] });
    expect(headerOf(home.headers, 'X-Worker')).toBe('1');
    await lab.victim('open-account');
    expect(lab.solved).toBe(true);
    const lost = lab.events.find((e) => e.solved)!;
    expect(lost).toMatchObject({ key: 'victim-lost', params: { worker: 2, other: 1 } });
    expect(lab.log[lab.solvedAt!]).toMatchObject({ type: 'request', client: 'victim', url: '/account' });
    expect(await replaySimulatedLab('load-balancer', 'seed-1', 'vulnerable', lab.log)).toEqual({ solved: true, solvedAt: lab.solvedAt });
    // The same log under another seed replays to the same outcome (the attack does not depend on secrets) …
    expect((await replaySimulatedLab('load-balancer', 'seed-2', 'vulnerable', lab.log)).solved).toBe(true);
    // … and under the fix it does not reach the goal.
    expect(await replaySimulatedLab('load-balancer', 'seed-1', 'fixed', lab.log)).toEqual({ solved: false, solvedAt: null });
  });

  it('two extra requests shift the rotation back: still logged in, unsolved', async () => {
    const lab = await createLoadBalancerLab('seed-1', 'vulnerable');
    await lab.request({ method: 'GET', url: '/', headers: [] });
    await lab.request({ method: 'GET', url: '/', headers: [] });
    await lab.victim('open-account');
    expect(lab.solved).toBe(false);
    expect(lab.events.at(-1)).toMatchObject({ key: 'victim-logged-in', params: { worker: 1 } });
  });

  it('fixed: sessions in one shared store, the same sequence keeps the login on either worker', async () => {
    const lab = await createLoadBalancerLab('seed-1', 'fixed');
    await lab.request({ method: 'GET', url: '/', headers: [] });
    await lab.victim('open-account');
    await lab.victim('open-account');
    expect(lab.solved).toBe(false);
    expect(lab.events.filter((e) => e.key === 'victim-logged-in').map((e) => e.params?.worker)).toEqual([2, 2]);
  });

  it('the learner logs in as guest; the victim password comes from the seed', async () => {
    const a = await createLoadBalancerLab('seed-1', 'vulnerable');
    const b = await createLoadBalancerLab('seed-2', 'vulnerable');
    expect(a.victimPassword).not.toBe(b.victimPassword);
    const jar = new Jar(a.clock.now);
    const send = (r: Parameters<typeof a.request>[0]) => a.request(r);
    const r = await jar.send({ method: 'POST', url: '/login', body: `user=${LEARNER.user}&password=${LEARNER.password}` }, send);
    expect(r.status).toBe(302);
    const wrong = await jar.send({ method: 'POST', url: '/login', body: 'user=alice&password=guess' }, send);
    expect(wrong.status).toBe(403);
  });

  it('refuses bad input with a clear error', async () => {
    const lab = await createLoadBalancerLab('seed-1', 'vulnerable');
    await expect(lab.request({ method: 'GET', url: 'http://elsewhere/', headers: [] })).rejects.toThrow(/must start with a single "\/"/);
    await expect(lab.victim('dance')).rejects.toThrow(LabInputError);
    await expect(createLoadBalancerLab('', 'vulnerable')).rejects.toThrow(/seed/);
    await expect(createLoadBalancerLab('s', 'open' as never)).rejects.toThrow(/unknown mode "open"/);
    await expect(replaySimulatedLab('load-balancer', 's', 'vulnerable', [{ type: 'nope' } as never])).rejects.toThrow(/log entry 0/);
  });
});
