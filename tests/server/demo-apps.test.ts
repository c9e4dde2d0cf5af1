// The playground's /set?key=K&tagged=T without any peer: a value of any type from Flask's tagged JSON, /dump
// shows it back as tagged JSON, and bad input is a 400 that says why. (serve_interop.test.ts compares the same
// routes with the real Flask under both judges.)
import { describe, expect, it } from 'vitest';
import { addDemoRoutes, parseTagged } from '../../src/server/demo-apps.ts';
import { DEMO_ROUTES, routeLine } from '../../src/server/demo-routes.ts';
import { Flask } from '../../src/engine/flask/app.ts';
import { PyFloat } from '../../src/engine/python/values.ts';
import { BoundedContainer } from '../../src/server/bounded-container.ts';
import { createServedApp } from '../../src/server/interfaces.ts';

async function body(r: { response: { status: number; body: Uint8Array | string } }): Promise<[number, string]> {
  const b = r.response.body;
  return [r.response.status, typeof b === 'string' ? b : new TextDecoder().decode(b)];
}

describe('/set?key=K&tagged=T', () => {
  it('stores typed values that /dump shows as Flask tagged JSON, keys sorted', async () => {
    const c = addDemoRoutes(new Flask({ config: { SECRET_KEY: 'k' } })).testClient();
    for (const [k, t] of [
      ['f', '2.0'],
      ['b', '{" b":"AAEC/w=="}'],
      ['d', '{" d":"Mon, 01 Jan 2024 00:00:00 GMT"}'],
      ['t', '{" t":[1,"x"]}'],
      ['s', '"text"'],
    ]) {
      expect(await body(await c.get(`/set?key=${k}&tagged=${encodeURIComponent(t!)}`))).toEqual([200, 'ok']);
    }
    expect(await body(await c.get('/dump'))).toEqual([200, '{"b":{" b":"AAEC/w=="},"d":{" d":"Mon, 01 Jan 2024 00:00:00 GMT"},"f":2.0,"s":"text","t":{" t":[1,"x"]}}']);
  });

  it('bad input is a 400 with the reason; value and tagged together are refused', async () => {
    const c = addDemoRoutes(new Flask({ config: { SECRET_KEY: 'k' } })).testClient();
    const [status, text] = await body(await c.get('/set?key=a&tagged=%7B'));
    expect(status).toBe(400);
    expect(text).toMatch(/^tagged is not Flask's tagged JSON: \w+: .+\n$/);
    expect(await body(await c.get('/set?key=a&tagged=1&value=1'))).toEqual([400, 'give value or tagged, not both\n']);
    expect(await body(await c.get('/set?tagged=1'))).toEqual([400, 'missing query parameter: key\n']);
  });

  it('parseTagged gives the value or the error', () => {
    expect(parseTagged('2.0')).toEqual({ value: new PyFloat(2) });
    expect(parseTagged('')).toHaveProperty('error');
  });
});

describe('the live MySessionInterface demo', () => {
  it('keeps its flaws but caps its container: the oldest sessions go first, and the route list says so', async () => {
    const served = await createServedApp({ interface: 'custom', secret: 'k', customLimits: { maxSessions: 3, maxChars: 10_000 } });
    const browsers = Array.from({ length: 4 }, () => served.app.testClient());
    for (const [i, b] of browsers.entries()) expect(await body(await b.get(`/set?key=n&value=${i}`))).toEqual([200, 'ok']);
    // The first browser's session was dropped to make room; the other three are still held. (Reading them stores
    // nothing new; the first browser's read stores its fresh empty session, as the flawed save_session always does.)
    for (const i of [1, 2, 3]) expect(await body(await browsers[i]!.get('/get?key=n'))).toEqual([200, String(i)]);
    expect(await body(await browsers[0]!.get('/get?key=n'))).toEqual([404, 'missing']);
    const [, index] = await body(await browsers[1]!.get('/'));
    expect(index).toContain('at most 3 sessions and 10000 characters');
    expect(served.note).toContain('caps the container');
  });

  it('the container holds no more characters than its cap', () => {
    const c = new BoundedContainer({ maxSessions: 100, maxChars: 50 });
    for (let i = 0; i < 10; i++) c.set(`id${i}`, 'x'.repeat(10));
    expect(c.heldChars).toBeLessThanOrEqual(50);
    // Each entry costs 13 characters (id and value): three fit in 50.
    expect([...c.keys()]).toEqual(['id7', 'id8', 'id9']);
    expect(c.dropped).toBe(7);
    c.set('huge', 'y'.repeat(100));
    expect(c.has('huge')).toBe(false);
    c.delete('id9');
    c.clear();
    expect(c.heldChars).toBe(0);
  });
});

describe('the route list', () => {
  it('names every route of DEMO_ROUTES under the mount prefix, and each of them answers (none is a 404 of Flask)', async () => {
    const c = addDemoRoutes(new Flask({ config: { SECRET_KEY: 'k' } }), '/live/x').testClient();
    const [, listing] = await body(await c.get('/'));
    for (const r of DEMO_ROUTES) {
      expect(listing).toContain(routeLine(r, '/live/x'));
      const url = r.path + (r.query ? `?${r.query.replace(/=[A-Z]+/g, '=v')}` : '');
      const [, answer] = await body(await c.get(url));
      expect(answer, url).not.toContain('Not Found');
    }
  });
});
