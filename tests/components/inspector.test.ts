import { describe as group, expect, it } from 'vitest';
import { crackWordlist, guessesPerSecond, MIN_RATE_WINDOW_MS, runRate, type CrackProgress } from '../../src/components/inspector/crack-loop.ts';
import {
  decodeCookie,
  extractCookieValue,
  flipPayloadChar,
  readTimestamp,
  signJson,
  splitCookie,
  verifyCookie,
  FLASK_SESSION,
  EXAMPLE_CHECKED_AT,
  EXAMPLE_SIGNED_AT,
  flaskSerializer,
  parseMaxAge,
  parseUtcMoment,
  utcMomentValue,
} from '../../src/components/inspector/inspect.ts';
import { jwtDecodedHtml, jwtVerdictHtml, verdictHtml } from '../../src/components/inspector/view.ts';
import { checkJwt, JWT_CRACK, looksLikeJwt } from '../../src/components/inspector/inspect.ts';
import { signHs256 } from '../../src/engine/jwt.ts';
import { durationText, inspectorStrings } from '../../src/i18n/inspector.ts';
import { forEachJudge, itWithJudge, runPythonUnder } from '../support/judges.ts';
import { describe, treeHtml } from '../../src/components/inspector/tree.ts';
import { itWithPeer, runPython } from '../support/peers.ts';

// Flask's own output for these inputs, produced by running the real Flask (Debian 12's, Flask 2.2.2) once, with the clock at T.
const T = 1700000000;
const TOKEN_1 = 'eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk'; // key "dev", {"a": 1}
const TOKEN_5 =
  '.eJyrVkpSsqpWUgCSSo4BFrZKtTpKKWARIKkUUpqqo2BgpOCVmKdgZGBkomBgbGVgYmVgquDuGwJSmg1RmgmmSuLjlawMa4HCuWA-kFSySbLLyLTRT7IDqS6BKFOyijbUUapQigUKlYKFgKSSoZGxiamZuQUuWqm2FgCm_yqq.ZVPxAA.vu8RRvPkIKScq7uC5RhQKYHhrnM'; // key "s3cr3t", tagged types

group('extractCookieValue', () => {
  it.each([
    [TOKEN_1, TOKEN_1],
    [`  ${TOKEN_1}\n`, TOKEN_1],
    [`session=${TOKEN_1}`, TOKEN_1],
    [`Cookie: theme=dark; session=${TOKEN_1}; lang=en`, TOKEN_1],
    [`Set-Cookie: session=${TOKEN_1}; HttpOnly; Path=/`, TOKEN_1],
    [`sid=${TOKEN_1}; Path=/`, TOKEN_1],
    [`session="${TOKEN_1}"`, TOKEN_1],
  ])('finds the value in %j', (input, expected) => {
    expect(extractCookieValue(input)).toBe(expected);
  });
});

group('splitCookie and readTimestamp', () => {
  it('splits at the last two dots, keeping the compression dot on the payload', () => {
    expect(splitCookie(TOKEN_5)).toEqual({ payload: TOKEN_5.split('.ZVPxAA.')[0], timestamp: 'ZVPxAA', signature: 'vu8RRvPkIKScq7uC5RhQKYHhrnM' });
    expect(splitCookie('no-dots')).toBeNull();
    expect(splitCookie('one.dot')).toBeNull();
  });
  it('reads the timestamp as Unix seconds and ISO', () => {
    expect(readTimestamp('ZVPxAA')).toEqual({ unix: T, iso: '2023-11-14T22:13:20Z' });
    expect(readTimestamp('')).toEqual({ unix: 0, iso: '1970-01-01T00:00:00Z' });
    expect(readTimestamp('Y')).toBeNull();
  });
});

group('decodeCookie', () => {
  it('decodes an uncompressed cookie', () => {
    const d = decodeCookie(TOKEN_1);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.compressed).toBe(false);
    expect(d.json).toBe('{"a":1}');
    expect(describe(d.data).repr).toBe("{'a': 1}");
    expect(d.timestamp?.unix).toBe(T);
  });

  it('decodes a compressed cookie with every tagged type, shown as what it is', () => {
    const d = decodeCookie(TOKEN_5);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.compressed).toBe(true);
    expect(d.json).toBe(
      '{"b":{" b":"AP8="},"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"},"k":{" di":{" t__":1}},"m":{" m":"<b>hi</b>"},"t":{" t":[1,"x"]},"u":{" u":"12345678123456781234567812345678"}}',
    );
    const tree = describe(d.data);
    const types = Object.fromEntries(tree.children!.map((c) => [c.key, c.node.type]));
    expect(types).toEqual({ "'b'": 'bytes', "'d'": 'datetime', "'k'": 'dict', "'m'": 'Markup', "'t'": 'tuple', "'u'": 'UUID' });
    const reprs = Object.fromEntries(tree.children!.map((c) => [c.key, c.node.repr]));
    expect(reprs["'b'"]).toBe("b'\\x00\\xff'");
    expect(reprs["'k'"]).toBe("{' t': 1}");
    expect(reprs["'m'"]).toBe("Markup('<b>hi</b>')");
    expect(reprs["'t'"]).toBe("(1, 'x')");
    expect(reprs["'u'"]).toBe("UUID('12345678-1234-5678-1234-567812345678')");
  });

  it('names the stage and the itsdangerous error when the payload is broken', () => {
    expect(decodeCookie('garbage')).toMatchObject({ ok: false, stage: 'split', errorClass: 'BadSignature', message: "No b'.' found in value" });
    expect(decodeCookie('Y.ZVPxAA.sig')).toMatchObject({ ok: false, stage: 'base64', errorClass: 'BadPayload' });
    expect(decodeCookie('.eyJhIjoxfQ.ZVPxAA.sig')).toMatchObject({
      ok: false,
      stage: 'zlib',
      message: 'Could not zlib decompress the payload before decoding the payload',
    });
    const json = decodeCookie('e30x.ZVPxAA.sig');
    expect(json).toMatchObject({
      ok: false,
      stage: 'json',
      errorClass: 'BadPayload',
      message: 'Could not load the payload because an exception occurred on unserializing the data.',
    });
    expect(json.ok ? null : json.cause?.errorClass).toBe('JSONDecodeError');
  });
});

group('verifyCookie', () => {
  it('accepts the right key within max_age', () => {
    const v = verifyCookie(TOKEN_1, 'dev', { now: T + 10 });
    expect(v).toMatchObject({ verdict: 'valid', accepted: true, signatureOk: true, error: null });
    expect(v.expiresAt?.unix).toBe(T + FLASK_SESSION.maxAge);
  });

  it('refuses a wrong key with BadTimeSignature and Python’s message', () => {
    expect(verifyCookie(TOKEN_1, 'other', { now: T })).toMatchObject({
      verdict: 'mismatch',
      signatureOk: false,
      error: { errorClass: 'BadTimeSignature', message: "Signature b'D3QXMI0ZQYNZDxORB__kVZyT7hk' does not match" },
    });
  });

  it('refuses a tampered cookie', () => {
    const flipped = flipPayloadChar(TOKEN_1)!;
    expect(flipped.cookie).not.toBe(TOKEN_1);
    expect(flipped.cookie.length).toBe(TOKEN_1.length);
    expect(verifyCookie(flipped.cookie, 'dev', { now: T }).verdict).toBe('mismatch');
    const lastChar = TOKEN_1.slice(0, -1) + 'A';
    expect(verifyCookie(lastChar, 'dev', { now: T }).error?.message).toBe("Signature b'D3QXMI0ZQYNZDxORB__kVZyT7hA' does not match");
  });

  it('tells an expired cookie and a cookie from the future apart, with Python’s messages', () => {
    expect(verifyCookie(TOKEN_1, 'dev', { now: T + 2678401 })).toMatchObject({
      verdict: 'expired',
      signatureOk: true,
      accepted: false,
      error: { errorClass: 'SignatureExpired', message: 'Signature age 2678401 > 2678400 seconds' },
    });
    expect(verifyCookie(TOKEN_1, 'dev', { now: T + 2678400 }).verdict).toBe('valid');
    expect(verifyCookie(TOKEN_1, 'dev', { now: T - 5 })).toMatchObject({
      verdict: 'future',
      error: { errorClass: 'SignatureExpired', message: 'Signature age -5 < 0 seconds' },
    });
  });

  it('covers the other refusals', () => {
    expect(verifyCookie(TOKEN_1, '').verdict).toBe('no-secret');
    expect(verifyCookie('garbage', 'dev')).toMatchObject({ verdict: 'no-separator', error: { errorClass: 'BadSignature' } });
    const signedNoTimestamp = 'eyJhIjoxfQ.sig';
    expect(verifyCookie(signedNoTimestamp, 'dev').verdict).toBe('mismatch');
  });
});

group('signJson', () => {
  it('signs edited JSON the way Flask saves a session: sorted keys, timestamp now', () => {
    expect(signJson('{"a":1}', 'dev', T)).toEqual({ ok: true, cookie: TOKEN_1, data: new Map([['a', 1]]) });
    const unsorted = signJson('{"user_id":42,"csrf":"abc","_permanent":true}', 'dev', T);
    expect(unsorted.ok && unsorted.cookie).toBe('eyJfcGVybWFuZW50Ijp0cnVlLCJjc3JmIjoiYWJjIiwidXNlcl9pZCI6NDJ9.ZVPxAA.53ywUsM16U3VhCkdqFy34yAqDHg');
  });
  it('round-trips a compressed cookie with tagged types', () => {
    const d = decodeCookie(TOKEN_5);
    if (!d.ok) throw new Error('example did not decode');
    expect(signJson(d.json, 's3cr3t', T)).toMatchObject({ ok: true, cookie: TOKEN_5 });
  });
  it('reports bad JSON with the parser’s error', () => {
    expect(signJson('{"a":', 'dev', T)).toMatchObject({ ok: false, errorClass: 'JSONDecodeError' });
  });
});

group('tree', () => {
  it('marks tagged types and escapes HTML', () => {
    const d = decodeCookie(TOKEN_5);
    if (!d.ok) throw new Error('example did not decode');
    const html = treeHtml(describe(d.data));
    expect(html).toContain('<span class="ci-type ci-tagged">Markup</span> <code class="ci-repr">Markup(&#39;&lt;b&gt;hi&lt;/b&gt;&#39;)</code>');
    expect(html).not.toContain('<b>hi</b>');
    expect(treeHtml(describe(new Map()), 'leer')).toContain('leer');
  });
});

group('crackWordlist', () => {
  const enc = new TextEncoder();
  const list = (words: string[]) => enc.encode(words.join('\n') + '\n');
  const run = (cookie: string, bytes: Uint8Array, chunkBytes?: number) => {
    const steps: CrackProgress[] = [...crackWordlist(cookie, bytes, { chunkBytes })];
    return { steps, last: steps[steps.length - 1]! };
  };

  it('finds the key and counts the lines it tried', () => {
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`);
    words.splice(321, 0, 'dev');
    const { steps, last } = run(TOKEN_1, list(words), 64);
    expect(last).toEqual({ tried: 322, total: 501, match: 'dev', done: true });
    expect(steps.length).toBeGreaterThan(10);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.tried).toBeGreaterThan(steps[i - 1]!.tried);
  });

  it('tries every line, CRLF included, and reports no match', () => {
    const bytes = enc.encode('a\r\nb\r\nc');
    expect(run(TOKEN_1, bytes).last).toEqual({ tried: 3, total: 3, match: null, done: true });
    expect(run(TOKEN_1, enc.encode('x\r\ndev\r\n')).last.match).toBe('dev');
  });

  it('refuses a value that is not a signed cookie', () => {
    expect(() => [...crackWordlist('garbage', list(['dev']))]).toThrow();
  });

  it('computes guesses per second', () => {
    expect(guessesPerSecond(5000, 250)).toBe(20000);
    expect(guessesPerSecond(10, 0)).toBe(0);
  });
});

group('runRate: the speed of the whole run', () => {
  it('divides every guess so far by the time since the run started, not by the last batch', () => {
    // Two progress reports of one run: 1,000 guesses after 100 ms, 3,000 after 1,000 ms. The run's rate is
    // 3,000 / 1 s; the last batch alone (2,000 in 900 ms) would say 2,222.
    expect(runRate(3000, 0, 1000)).toEqual({ kind: 'rate', tried: 3000, perSecond: 3000 });
    expect(runRate(600_000, 1_000, 6_000)).toEqual({ kind: 'rate', tried: 600_000, perSecond: 120_000 });
  });
  it('gives no rate for a run too short to measure (3 guesses in 14 ms are not "217 guesses per second")', () => {
    expect(runRate(3, 0, 13.8)).toEqual({ kind: 'too-short', tried: 3, elapsedMs: 14 });
    expect(runRate(3, 50, 50)).toEqual({ kind: 'too-short', tried: 3, elapsedMs: 0 });
    expect(runRate(10, 0, MIN_RATE_WINDOW_MS - 1).kind).toBe('too-short');
    expect(runRate(10, 0, MIN_RATE_WINDOW_MS)).toEqual({ kind: 'rate', tried: 10, perSecond: Math.round((10 * 1000) / MIN_RATE_WINDOW_MS) });
    expect(runRate(10, 0, 1000, 0)).toEqual({ kind: 'rate', tried: 10, perSecond: 10 });
  });
});

group('the max-age and now controls', () => {
  it('reads max_age as whole seconds, or none', () => {
    expect(parseMaxAge('2678400')).toBe(FLASK_SESSION.maxAge);
    expect(parseMaxAge(' 0 ')).toBe(0);
    expect(parseMaxAge('3600', true)).toBeNull();
    for (const bad of ['', '-1', '1.5', '1e3', 'abc', '99999999999999999999']) expect(parseMaxAge(bad), bad).toBeUndefined();
  });
  it('reads a datetime-local value as UTC and writes one back', () => {
    expect(parseUtcMoment('2023-11-14T23:13:20')).toBe(EXAMPLE_CHECKED_AT);
    expect(parseUtcMoment('2023-11-14T23:13')).toBe(EXAMPLE_CHECKED_AT - 20);
    expect(parseUtcMoment('2023-11-14T23:13:20.5')).toBe(EXAMPLE_CHECKED_AT);
    expect(utcMomentValue(EXAMPLE_CHECKED_AT)).toBe('2023-11-14T23:13:20');
    for (const bad of ['', '2023-02-30T00:00', '2023-11-14 23:13', '2023-11-14T25:00']) expect(parseUtcMoment(bad), bad).toBeUndefined();
  });
  it('the built-in example is valid at the default moment with the default max_age, and the verdict follows the controls', () => {
    const cookie = flaskSerializer('GuHanZhe', () => EXAMPLE_SIGNED_AT).dumps(new Map([['user_id', 42]]));
    expect(verifyCookie(cookie, 'GuHanZhe', { now: EXAMPLE_CHECKED_AT, maxAge: FLASK_SESSION.maxAge }).verdict).toBe('valid');
    expect(verifyCookie(cookie, 'GuHanZhe', { now: EXAMPLE_CHECKED_AT, maxAge: 60 }).verdict).toBe('expired');
    expect(verifyCookie(cookie, 'GuHanZhe', { now: EXAMPLE_SIGNED_AT + 3600, maxAge: 3600 }).verdict).toBe('valid'); // age == max_age passes
    expect(verifyCookie(cookie, 'GuHanZhe', { now: EXAMPLE_SIGNED_AT + FLASK_SESSION.maxAge + 1 }).verdict).toBe('expired');
    const none = verifyCookie(cookie, 'GuHanZhe', { now: EXAMPLE_SIGNED_AT + 10 * 365 * 86400, maxAge: null });
    expect(none).toMatchObject({ verdict: 'valid', expiresAt: null });
    expect(verifyCookie(cookie, 'GuHanZhe', { now: EXAMPLE_SIGNED_AT - 60, maxAge: null }).verdict).toBe('valid');
  });
  it('says which moment and max_age the verdict used, in both languages', () => {
    const v = verifyCookie(TOKEN_1, 'dev', { now: T + 10, maxAge: FLASK_SESSION.maxAge });
    expect(verdictHtml(v, inspectorStrings.en, { now: T + 10, maxAge: FLASK_SESSION.maxAge, real: false })).toContain(
      'Checked at 2023-11-14T22:13:30Z with max_age 2678400 seconds (31 days).',
    );
    expect(verdictHtml(v, inspectorStrings['zh-cn'], { now: T + 10, maxAge: null, real: true })).toContain('检查时刻 2023-11-14T22:13:30Z（现在），没有 max_age：多旧都能通过。');
    expect(durationText(1, inspectorStrings.en)).toBe('1 second');
    expect(durationText(7200, inspectorStrings.en)).toBe('7200 seconds (2 hours)');
    expect(durationText(90, inspectorStrings['zh-cn'])).toBe('90 秒');
  });
});

group('against the real Flask', () => {
  itWithPeer('flask', 'decodes, verifies and re-signs what Flask 2.2 writes for tagged types', () => {
    const script = `
import sys, uuid, datetime, hashlib, json
from flask import Flask
from markupsafe import Markup
from itsdangerous import URLSafeTimedSerializer
from flask.sessions import session_json_serializer
app = Flask(__name__)
s = URLSafeTimedSerializer('GuHanZhe', salt='cookie-session', serializer=session_json_serializer,
                           signer_kwargs={'key_derivation': 'hmac', 'digest_method': hashlib.sha1})
s.default_signer.get_timestamp = lambda self: ${T}
data = {'user': 'José', 'roles': ('admin', 'ops'), 'raw': b'\\x00\\x01', 'note': Markup('<i>x</i>'),
        'id': uuid.UUID(int=42), 'seen': datetime.datetime(2024, 5, 6, 7, 8, 9), 'n': [1, 2.5, None, True]}
with app.app_context():
    print(json.dumps({'cookie': s.dumps(data), 'repr': {k: repr(v) for k, v in data.items()}}))
`;
    const { cookie, repr } = JSON.parse(runPython(script)) as { cookie: string; repr: Record<string, string> };
    const d = decodeCookie(cookie);
    if (!d.ok) throw new Error(`did not decode: ${d.message}`);
    const tree = describe(d.data);
    for (const child of tree.children!) {
      const key = child.key.slice(1, -1);
      if (key === 'seen') expect(child.node.type).toBe('datetime');
      else expect(child.node.repr, key).toBe(repr[key]);
    }
    expect(verifyCookie(cookie, 'GuHanZhe', { now: T + 60 }).verdict).toBe('valid');
    expect(signJson(d.json, 'GuHanZhe', T)).toMatchObject({ ok: true, cookie });
    expect([...crackWordlist(cookie, new TextEncoder().encode('dev\nsecret\nGuHanZhe\n'))].at(-1)?.match).toBe('GuHanZhe');
  });
});

group('max_age against the real itsdangerous', () => {
  // The verdicts the inspector gives for one cookie at several moments and max_age values (None included) are
  // the ones itsdangerous gives inside each judge, with its clock set to the same moment.
  const cases: [number, number | null][] = [
    [T + 10, 2678400],
    [T + 2678400, 2678400],
    [T + 2678401, 2678400],
    [T - 5, 2678400],
    [T + 3600, 3600],
    [T + 3601, 3600],
    [T + 10 * 365 * 86400, null],
    [T - 5, null],
    [T, 0],
    [T + 1, 0],
  ];
  forEachJudge((j) => {
    itWithJudge(j.id, 'accepts and refuses at the same moments', () => {
      const script = `
import json, hashlib
from itsdangerous import URLSafeTimedSerializer, TimestampSigner, SignatureExpired, BadSignature
from flask.sessions import session_json_serializer
s = URLSafeTimedSerializer('dev', salt='cookie-session', serializer=session_json_serializer,
                           signer_kwargs={'key_derivation': 'hmac', 'digest_method': hashlib.sha1})
out = []
for now, max_age in ${JSON.stringify(cases).replace(/null/g, 'None')}:
    TimestampSigner.get_timestamp = lambda self, now=now: now
    try:
        s.loads('${TOKEN_1}', max_age=max_age)
        out.append('valid')
    except SignatureExpired as e:
        out.append('SignatureExpired: ' + str(e))
print(json.dumps(out))
`;
      const python = JSON.parse(runPythonUnder(j.id, script)) as string[];
      const ours = cases.map(([now, maxAge]) => {
        const v = verifyCookie(TOKEN_1, 'dev', { now, maxAge });
        return v.verdict === 'valid' ? 'valid' : `${v.error!.errorClass}: ${v.error!.message}`;
      });
      expect(ours).toEqual(python);
      expect(python).toContain('valid');
      expect(python.some((p) => p.startsWith('SignatureExpired'))).toBe(true);
    });
  });
});

group('JSON Web Tokens in the inspector', () => {
  const jwt = signHs256('{"user_id":42,"exp":1800000000}', 'dev');
  it('recognises a JWT and never a Flask cookie', () => {
    expect(looksLikeJwt(jwt)).toBe(true);
    expect(looksLikeJwt(TOKEN_1)).toBe(false);
    expect(looksLikeJwt(TOKEN_5)).toBe(false);
    expect(looksLikeJwt('a.b.c')).toBe(false);
  });
  it('checks it as HS256 with each verdict, and the view says it is another format in both languages', () => {
    expect(checkJwt(jwt, '', T).verdict).toBe('no-secret');
    expect(checkJwt(jwt, 'dev', T).verdict).toBe('valid');
    expect(checkJwt(jwt, 'nope', T).verdict).toBe('bad-signature');
    expect(checkJwt(jwt, 'dev', 1800000000).verdict).toBe('expired');
    for (const lang of ['en', 'zh-cn'] as const) {
      const t = inspectorStrings[lang];
      const html = jwtDecodedHtml(jwt, checkJwt(jwt, 'dev', T), t);
      expect(html).toContain(t.jwt.notice);
      expect(html).toContain('{&quot;user_id&quot;:42,&quot;exp&quot;:1800000000}');
      expect(jwtVerdictHtml(checkJwt(jwt, 'dev', T), t)).toContain(t.jwt.verdict.valid);
    }
  });
  it('the same wordlist loop finds its key with the JWT settings', () => {
    const words = new TextEncoder().encode('secret\npassword\ndev\nflask\n');
    let last: CrackProgress | undefined;
    for (const p of crackWordlist(jwt, words, JWT_CRACK)) last = p;
    expect(last?.match).toBe('dev');
  });
});
