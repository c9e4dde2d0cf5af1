// When no view function runs (no route, a method the route refuses, or a before_request that answers), every
// place that words a trace says so, instead of "the view /cart returns".
import { describe, expect, it } from 'vitest';
import { Flask } from '../../src/engine/flask/app.ts';
import type { TraceEvent } from '../../src/engine/flask/trace.ts';
import { describeEvent } from '../../src/lessons/describe.ts';
import { formatExchange } from '../../src/server/trace-text.ts';
import { stepView } from '../../src/components/visualizer/model.ts';
import { STRINGS, summary } from '../../src/components/visualizer/i18n.ts';

function app(): Flask {
  const a = new Flask({ config: { SECRET_KEY: 'k' } });
  a.route('/whoami', ({ session }) => String(session.get('user', 'nobody')));
  a.route('/login', ({ session }) => (session.set('user', 'alice'), 'ok'), { methods: ['POST'] });
  return a;
}

function returned(trace: TraceEvent[]): Extract<TraceEvent, { type: 'view-returned' }> {
  const e = trace.find((t) => t.type === 'view-returned');
  if (!e || e.type !== 'view-returned') throw new Error('no view-returned event');
  return e;
}

const texts = (e: TraceEvent) => [
  describeEvent(e, 'en'),
  describeEvent(e, 'zh-cn'),
  summary(STRINGS.en, stepView(e).key, stepView(e).vars),
  summary(STRINGS['zh-CN'], stepView(e).key, stepView(e).vars),
];

describe('a trace where no view ran', () => {
  it('a path without a route: 404, and no text says a view returned', async () => {
    const x = await app().testClient().request('GET', '/cart');
    const e = returned(x.trace);
    expect(x.response.status).toBe(404);
    expect(e.noView).toBe('no-route');
    const [en, zh, vizEn, vizZh] = texts(e);
    expect(en).toBe('no route matches /cart, no view runs: 404');
    expect(zh).toContain('没有视图运行');
    expect(vizEn).toBe('No route matches /cart, so no view runs: Flask answers 404 Not Found.');
    expect(vizZh).toContain('没有视图运行');
    expect(formatExchange(x)).toContain('no route for /cart: 404, no view ran');
    for (const t of [en, vizEn, formatExchange(x)]) expect(t).not.toMatch(/view \/cart returns|\/cart returned/i);
  });

  it('a method the route does not accept: 405, no view ran', async () => {
    const x = await app().testClient().request('GET', '/login');
    const e = returned(x.trace);
    expect(x.response.status).toBe(405);
    expect(e.noView).toBe('method-not-allowed');
    expect(texts(e)[2]).toMatch(/^The route \/login does not accept this method, so no view runs/);
  });

  it('OPTIONS: Flask answers itself with Allow, no view ran; HEAD runs the view as GET does', async () => {
    const x = await app().testClient().request('OPTIONS', '/login');
    const e = returned(x.trace);
    expect([x.response.status, x.response.body, x.response.header('Allow')]).toEqual([200, '', 'OPTIONS, POST']);
    expect(e.noView).toBe('automatic-options');
    const [en, zh, vizEn, vizZh] = texts(e);
    expect(en).toBe('Flask answers OPTIONS itself (Allow lists the methods /login accepts), no view runs: 200');
    expect(zh).toContain('没有视图运行');
    expect(vizEn).toMatch(/^Flask answers OPTIONS itself/);
    expect(vizZh).toContain('没有视图运行');
    expect(formatExchange(x)).toContain('OPTIONS answered by Flask itself');
    const head = await app().testClient().request('HEAD', '/whoami');
    expect([head.response.status, head.response.body, returned(head.trace).noView]).toEqual([200, 'nobody', undefined]);
    const refused = await app().testClient().request('GET', '/login');
    expect(refused.response.header('Allow')).toBe('OPTIONS, POST');
  });

  it('a before_request that answers: the view is not called', async () => {
    const a = app();
    a.beforeRequest(() => 'closed for maintenance');
    const x = await a.testClient().request('GET', '/whoami');
    expect(x.response.body).toBe('closed for maintenance');
    expect(returned(x.trace).noView).toBe('before-request');
    expect(x.trace.some((t) => t.type === 'session-op')).toBe(false);
  });

  it('a view that ran has no such mark and keeps the old wording', async () => {
    const x = await app().testClient().request('GET', '/whoami');
    const e = returned(x.trace);
    expect(e.noView).toBeUndefined();
    expect(describeEvent(e, 'en')).toBe('view /whoami returns 200');
  });
});
