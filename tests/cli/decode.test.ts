import { describe, expect, it } from 'vitest';
import { itWithPeer, runPython } from '../support/peers.ts';
import { cli, lines } from './run.ts';

const PLAIN = 'eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk';
// Made by the real Flask: a value of every tag, compressed, signed with s3cr3t at 1700000000.
const TAGGED =
  '.eJyrVkpSsqpWUgCSSo4BFrZKtTpKKWARIKkUUpqqo2BgpOCVmKdgZGBkomBgbGVgYmVgquDuGwJSmg1RmgmmSuLjlawMa4HCuWA-kFSySbLLyLTRT7IDqS6BKFOyijbUUapQigUKlYKFgKSSoZGxiamZuQUuWqm2FgCm_yqq.ZVPxAA.vu8RRvPkIKScq7uC5RhQKYHhrnM';

describe('decode', () => {
  it('--json gives one JSON object with payload, repr, timestamp, compression and signature', async () => {
    const r = await cli(['decode', '--json', TAGGED]);
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toHaveLength(1);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({
      payload: '{"b":{" b":"AP8="},"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"},"k":{" di":{" t__":1}},"m":{" m":"<b>hi</b>"},"t":{" t":[1,"x"]},"u":{" u":"12345678123456781234567812345678"}}',
      compressed: true,
      json_length: 173,
      timestamp: 1700000000,
      signed_at: '2023-11-14T22:13:20Z',
      signature: 'vu8RRvPkIKScq7uC5RhQKYHhrnM',
      signature_length: 20,
      digest: 'sha1',
      verified: false,
    });
    expect(d.signature_hex).toMatch(/^[0-9a-f]{40}$/);
    expect(d.repr).toBe(
      "{'b': b'\\x00\\xff', 'd': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), 'k': {' t': 1}, 'm': Markup('<b>hi</b>'), 't': (1, 'x'), 'u': UUID('12345678-1234-5678-1234-567812345678')}",
    );
  });

  it('prints a readable summary by default', async () => {
    const r = await cli(['decode', PLAIN]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('payload:    {"a":1}');
    expect(r.stdout).toContain("as Python:  {'a': 1}");
    expect(r.stdout).toContain('compressed: no (7 bytes of JSON)');
    expect(r.stdout).toContain('signed at:  1700000000 (2023-11-14T22:13:20Z)');
    expect(r.stdout).toContain('0f7417308d194183590f139107ffe4559c93ee19 (20 bytes, the size of SHA-1)');
    expect(r.stdout).toMatch(/not verified/);
  });

  it('bad input: one line on stderr naming the part that failed, exit 1', async () => {
    const cases: [string, RegExp][] = [
      ['garbage', /no '\.' found/],
      ['eyJhIjoxfQ.D3QXMI0ZQYNZDxORB__kVZyT7hk', /no timestamp/],
      ['e.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk', /payload is not base64/],
      ['.eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk', /does not inflate: Error -3 while decompressing data: incorrect header check/],
      ['e30x.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk', /not Flask's tagged JSON: Extra data/],
      ['eyJhIjoxfQ.ZVPxAAAAAAAAAAA.D3QXMI0ZQYNZDxORB__kVZyT7hk', /malformed timestamp/],
    ];
    for (const [cookie, msg] of cases) {
      const r = await cli(['decode', cookie]);
      expect(r.status, cookie).toBe(1);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr), cookie).toHaveLength(1);
      expect(r.stderr).toMatch(/^session-lab decode: /);
      expect(r.stderr).toMatch(msg);
    }
  });

  itWithPeer('flask', "the repr and timestamp are what Python prints for Flask's own cookie", async () => {
    const py = JSON.parse(
      runPython(`
import json, uuid
from datetime import datetime, timezone
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner
TimestampSigner.get_timestamp = lambda self: 1234567890
app = Flask("d")
app.secret_key = "any"
v = {"t": (1, (2,), []), "s": "it's \\"q\\" \\u00e9\\n", "f": [1.0, 1e-05, 2.5], "n": None, "u": uuid.UUID(int=5), "big": -2**65, "x": {"y": True}}
with app.app_context():
    c = SecureCookieSessionInterface().get_signing_serializer(app).dumps(v)
    print(json.dumps({"cookie": c, "repr": repr(v)}))
`),
    ) as { cookie: string; repr: string };
    const d = JSON.parse((await cli(['decode', '--json', py.cookie])).stdout);
    expect(d.timestamp).toBe(1234567890);
    expect(d.signed_at).toBe('2009-02-13T23:31:30Z');
    // Python prints dict keys in insertion order; Flask sorted them when it wrote the cookie.
    expect(d.repr).toBe(
      runPython(`
import uuid
v = {"t": (1, (2,), []), "s": "it's \\"q\\" \\u00e9\\n", "f": [1.0, 1e-05, 2.5], "n": None, "u": uuid.UUID(int=5), "big": -2**65, "x": {"y": True}}
print(repr(dict(sorted(v.items()))))
`).trimEnd(),
    );
  });
});
