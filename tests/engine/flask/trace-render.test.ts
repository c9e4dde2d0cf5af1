// The trace holds values, not text: text is made on demand under a budget, so a cookie that inflates to a huge
// session costs the trace nothing, and a session no JSON can show (keys of mixed types) cannot break a request.
import { describe, expect, it } from 'vitest';
import { Flask } from '../../../src/engine/flask/app.ts';
import { sessionJsonSerializer } from '../../../src/engine/flask/json/tag.ts';
import { reasonText } from '../../../src/engine/flask/reasons.ts';
import { TRACE_RENDER_LIMIT, traceJson, traceRepr, withinRenderLimit } from '../../../src/engine/flask/trace-render.ts';
import { base64Encode } from '../../../src/engine/itsdangerous/index.ts';
import { TimestampSigner } from '../../../src/engine/itsdangerous/timed.ts';
import { zlibCompress } from '../../../src/engine/itsdangerous/url_safe.ts';
import { pyRepr } from '../../../src/engine/python/repr.ts';
import { PyTuple, type PyValue } from '../../../src/engine/python/values.ts';
import { formatExchange } from '../../../src/server/trace-text.ts';

const NOW = 1700000000;
const signer = new TimestampSigner('k', { salt: 'cookie-session', keyDerivation: 'hmac', digestMethod: 'sha1', now: () => NOW });
const cookieOver = (json: string, compress = false): string => {
  const bytes = new TextEncoder().encode(json);
  return new TextDecoder().decode(signer.sign(compress ? '.' + base64Encode(zlibCompress(bytes)) : base64Encode(bytes)));
};

function app(): Flask {
  const a = new Flask({ config: { SECRET_KEY: 'k' }, now: () => NOW });
  a.route('/', ({ session }) => String(session.get('n') ?? 'none'));
  return a;
}

describe('trace text on demand, under a budget', () => {
  it('small values render as before: the tagged JSON Flask would write, and Python’s repr', () => {
    const v = new Map<string, PyValue>([['b', new PyTuple([1, 'x'])], ['a', [1, null]]]);
    expect(traceJson(v)).toBe(sessionJsonSerializer.dumps(v, { sortKeys: true }));
    expect(traceRepr(v)).toBe(pyRepr(v));
  });

  it('a value over the budget is not rendered, and the check stops once the budget is spent (shared references too)', () => {
    const big = new Map([['a', Array.from({ length: TRACE_RENDER_LIMIT }, () => new Map())]]);
    expect(traceJson(big)).toBeNull();
    expect(traceRepr(big)).toBeNull();
    // 2^60 values if walked as a tree: the check must stop early to finish at all.
    let x: PyValue[] = [];
    for (let i = 0; i < 60; i++) x = [x, x];
    expect(withinRenderLimit(x)).toBe(false);
  });

  it('a cookie that inflates to 200 000 values: the trace event holds the loaded session, and no reader renders it', async () => {
    const json = `{"a":[${Array.from({ length: 200_000 }, () => '{}').join(',')}]}`;
    const { response, trace } = await app().handle({ url: '/', headers: [['Cookie', `session=${cookieOver(json, true)}`]] });
    expect(response.status).toBe(200);
    const decoded = trace.find((e) => e.type === 'payload-decoded')!;
    expect(Object.keys(decoded).sort()).toEqual(['at', 'compressed', 'data', 'stage', 'step', 'timestamp', 'type']);
    expect(decoded.type === 'payload-decoded' && ((decoded.data as Map<string, unknown[]>).get('a') ?? []).length).toBe(200_000);
    expect(formatExchange({ request: { method: 'GET', url: '/' } as never, response, trace })).toContain('<too large to show>');
  });

  it('keys of mixed types (1.5, true, null, bytes, tuple, UUID) open as Flask 3.1 opens them: a 200, and the trace says what it can', async () => {
    const json = `[[1.5,"a"],["s","b"],[true,"c"],[null,"d"],[{" b":"eA=="},"e"],[{" t":[1,2]},"f"],[{" u":"12345678123456781234567812345678"},"g"]]`;
    const { response, trace } = await app().handle({ url: '/', headers: [['Cookie', `session=${cookieOver(json)}`]] });
    expect([response.status, response.body]).toEqual([200, 'none']);
    const opened = trace.find((e) => e.type === 'session-opened');
    if (opened?.type !== 'session-opened') throw new Error('no session-opened event');
    expect(opened.kind).toBe('loaded');
    expect(opened.why).toEqual({ code: 'cookie.loaded', params: {} });
    expect(reasonText(opened.why)).toBe('the cookie verified; its data becomes the session');
    // No tagged JSON can hold these keys (Python's sort would refuse to compare them); the repr still shows them.
    expect(traceJson(opened.data)).toBeNull();
    expect(traceRepr(opened.data)).toContain("(1, 2): 'f'");
    expect(formatExchange({ request: { method: 'GET', url: '/' } as never, response, trace })).toContain('loaded session');
  });
});
