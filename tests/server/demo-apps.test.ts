// The playground's /set?key=K&tagged=T without any peer: a value of any type from Flask's tagged JSON, /dump
// shows it back as tagged JSON, and bad input is a 400 that says why. (serve_interop.test.ts compares the same
// routes with the real Flask under both judges.)
import { describe, expect, it } from 'vitest';
import { createDemoApp, parseTagged } from '../../src/server/demo-apps.ts';
import { PyFloat } from '../../src/engine/python/values.ts';

async function body(r: { response: { status: number; body: Uint8Array | string } }): Promise<[number, string]> {
  const b = r.response.body;
  return [r.response.status, typeof b === 'string' ? b : new TextDecoder().decode(b)];
}

describe('/set?key=K&tagged=T', () => {
  it('stores typed values that /dump shows as Flask tagged JSON, keys sorted', async () => {
    const c = createDemoApp({ config: { SECRET_KEY: 'k' } }).testClient();
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
    const c = createDemoApp({ config: { SECRET_KEY: 'k' } }).testClient();
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
