import { describe, expect, it } from 'vitest';
import { itWithPeer, runPython } from '../support/peers.ts';
import { cli, lines } from './run.ts';

const T = 1700000000;

/** Signs with the CLI at the fixed time T and returns the cookie. */
async function sign(data: string, ...extra: string[]): Promise<string> {
  const r = await cli(['sign', '--timestamp', String(T), '--data', data, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(lines(r.stdout)).toHaveLength(1);
  return r.stdout.trimEnd();
}

describe('sign: tokens the real Flask produced (Debian Flask at T = 1700000000)', () => {
  it('example 1 and 3: plain data, keys sorted as inside a request', async () => {
    expect(await sign('{"a":1}', '--secret', 'dev')).toBe('eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk');
    expect(await sign('{"user_id":42,"csrf":"abc","_permanent":true}', '--secret', 'dev')).toBe(
      'eyJfcGVybWFuZW50Ijp0cnVlLCJjc3JmIjoiYWJjIiwidXNlcl9pZCI6NDJ9.ZVPxAA.53ywUsM16U3VhCkdqFy34yAqDHg',
    );
  });

  it('example 5: every tag, compressed', async () => {
    const data =
      '{"u":{" u":"12345678-1234-5678-1234-567812345678"},"t":{" t":[1,"x"]},"m":{" m":"<b>hi</b>"},"k":{" di":{" t__":1}},"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"},"b":{" b":"AP8="}}';
    expect(await sign(data, '--secret', 's3cr3t')).toBe(
      '.eJyrVkpSsqpWUgCSSo4BFrZKtTpKKWARIKkUUpqqo2BgpOCVmKdgZGBkomBgbGVgYmVgquDuGwJSmg1RmgmmSuLjlawMa4HCuWA-kFSySbLLyLTRT7IDqS6BKFOyijbUUapQigUKlYKFgKSSoZGxiamZuQUuWqm2FgCm_yqq.ZVPxAA.vu8RRvPkIKScq7uC5RhQKYHhrnM',
    );
  });

  it('example 11: SHA-256; example 8: a fallback key never signs', async () => {
    expect(await sign('{"a":1}', '--secret', 'dev', '--digest', 'sha256')).toBe('eyJhIjoxfQ.ZVPxAA.0eObDVXBA3yWI_ebb3lyW-bwVmSAwaLR-plEpBwKn60');
    expect(await sign('{"a":1}', '--secret', 'new-key', '--fallback', 'old-key')).toBe('eyJhIjoxfQ.ZVPxAA.fNp-mu8k33VRIvnZZJ1WV8yrWlo');
  });

  it('refuses data that is not a dict, not tagged JSON, or not serialisable, in one line with exit 2', async () => {
    for (const [data, msg] of [
      ['[1,2]', /--data must be a JSON object/],
      ['{"a":', /--data is not valid tagged JSON: Expecting value: line 1 column 6 \(char 5\)/],
      ['{"b":{" b":"eA"}}', /--data is not valid tagged JSON: Incorrect padding/],
    ] as const) {
      const r = await cli(['sign', '--secret', 'k', '--data', data]);
      expect(r.status, data).toBe(2);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });

  it('uses the current time without --timestamp', async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = (await cli(['sign', '--secret', 'k', '--data', '{"a":1}'])).stdout.trim();
    const decoded = JSON.parse((await cli(['decode', '--json', token])).stdout);
    expect(decoded.timestamp).toBeGreaterThanOrEqual(before);
    expect(decoded.timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });
});

describe('verify', () => {
  const token = 'eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk';

  it('prints the tagged JSON and exits 0 inside the max age, including exactly at it', async () => {
    for (const now of [T, T + 2678400]) {
      const r = await cli(['verify', '--secret', 'dev', '--now', String(now), token]);
      expect([r.status, r.stdout, r.stderr]).toEqual([0, '{"a":1}\n', '']);
    }
  });

  it('accepts a cookie signed with a fallback key', async () => {
    const old = 'eyJhIjoxfQ.ZVPxAA.a5CogzY9x-5RTptoUZicjZGVeh8';
    expect((await cli(['verify', '--secret', 'new-key', '--fallback', 'old-key', '--now', String(T), old])).stdout).toBe('{"a":1}\n');
    expect((await cli(['verify', '--secret', 'new-key', '--now', String(T), old])).status).toBe(1);
  });

  it('reports itsdangerous errors as ErrorClass: message and exits 1 (messages of the real itsdangerous)', async () => {
    const cases: [string[], string][] = [
      [['--secret', 'dev', '--now', String(T), token.slice(0, -1) + 'A'], "BadTimeSignature: Signature b'D3QXMI0ZQYNZDxORB__kVZyT7hA' does not match"],
      [['--secret', 'dev', '--now', String(T + 2678401), token], 'SignatureExpired: Signature age 2678401 > 2678400 seconds'],
      [['--secret', 'dev', '--now', String(T - 5), token], 'SignatureExpired: Signature age -5 < 0 seconds'],
      [['--secret', 'other', '--now', String(T), token], "BadTimeSignature: Signature b'D3QXMI0ZQYNZDxORB__kVZyT7hk' does not match"],
      [['--secret', 'dev', '--salt', 'itsdangerous', '--now', String(T), token], "BadTimeSignature: Signature b'D3QXMI0ZQYNZDxORB__kVZyT7hk' does not match"],
      [['--secret', 'dev', 'garbage'], "BadSignature: No b'.' found in value"],
    ];
    for (const [args, expected] of cases) {
      const r = await cli(['verify', ...args]);
      expect([r.status, r.stdout, r.stderr], args.join(' ')).toEqual([1, '', expected + '\n']);
    }
  });

  it('--max-age none skips the age check, as loads() without max_age does', async () => {
    expect((await cli(['verify', '--secret', 'dev', '--max-age', 'none', '--now', String(T + 10 ** 9), token])).stdout).toBe('{"a":1}\n');
  });
});

// ---- Against Debian's real Flask ----------------------------------------------------------------

const PY_PRELUDE = `
import hashlib, json, sys, uuid
from datetime import datetime, timezone
from flask import Flask
from flask.sessions import SecureCookieSessionInterface, session_json_serializer
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from markupsafe import Markup
TimestampSigner.get_timestamp = lambda self: ${T}
app = Flask("cli-test")
DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}
CASES = [
    {"a": 1},
    {"user_id": 42, "csrf": "abc", "_permanent": True},
    {"_flashes": [("message", "Saved!")]},
    {"b": b"\\x00\\xff'\\"", "t": (1, "x", (2,)), "m": Markup("<b>hi</b>"), "u": uuid.UUID(int=2**100 + 7),
     "d": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc), "k": {" t": 1}},
    {"name": "Jos\\u00e9 \\u2603 \\U0001d11e", "big": 2**70, "f": 1.0, "e": 1e16, "neg0": -0.0, "none": None,
     "yes": True, "nested": {"z": [1, {"y": 2.5}], "a": []}},
    {"cart": ["item-%d" % i for i in range(20)]},
    {"\\u00fc": 1, "Z": 2, "\\uffff": 3, "\\U0001f600": 4, " t": 5},
]
def serializer(key, salt="cookie-session", kd="hmac", digest="sha1"):
    return URLSafeTimedSerializer(key, salt=salt, serializer=session_json_serializer,
                                  signer_kwargs={"key_derivation": kd, "digest_method": DIGESTS[digest]})
`;

const SCHEMES: { args: string[]; py: string }[] = [
  { args: [], py: '' },
  { args: ['--salt', 'other-salt', '--key-derivation', 'django-concat', '--digest', 'sha256'], py: ', salt="other-salt", kd="django-concat", digest="sha256"' },
  { args: ['--key-derivation', 'concat', '--digest', 'sha512'], py: ', kd="concat", digest="sha512"' },
];

describe('sign and verify against the real Flask', () => {
  itWithPeer('flask', 'the CLI signs each tagged type exactly as Flask does, and Flask loads it back', async () => {
    // Flask gives the tagged text of each case and its own cookie; the CLI signs the text.
    const made = JSON.parse(
      runPython(`${PY_PRELUDE}
app.secret_key = "k3y"
with app.app_context():
    out = []
    for v in CASES:
        out.append({"data": session_json_serializer.dumps(v),
                    "cookie": SecureCookieSessionInterface().get_signing_serializer(app).dumps(v)})
    print(json.dumps(out))
`),
    ) as { data: string; cookie: string }[];
    expect(made).toHaveLength(7);
    const ours = await Promise.all(made.map(({ data }) => sign(data, '--secret', 'k3y')));
    expect(ours).toEqual(made.map((m) => m.cookie));
    expect(ours[5]!.startsWith('.')).toBe(true);
    // And Flask's own loads gives back the very values it started from.
    const back = runPython(
      `${PY_PRELUDE}
tokens = json.load(sys.stdin)
print(json.dumps([serializer("k3y").loads(t, max_age=60) == v for t, v in zip(tokens, CASES)]))
`,
      JSON.stringify(ours),
    );
    expect(JSON.parse(back)).toEqual(Array(7).fill(true));
  });

  itWithPeer('flask', 'a cookie from a real Flask request verifies with the CLI, which prints what Flask would write', async () => {
    const made = JSON.parse(
      runPython(`${PY_PRELUDE}
app.secret_key = "flask-made"
from flask import session
out = []
for i, v in enumerate(CASES):
    @app.route("/set/%d" % i, endpoint="set%d" % i)
    def view(v=v):
        session.update(v)
        return "ok"
for i, v in enumerate(CASES):
    r = app.test_client().get("/set/%d" % i)
    cookie = r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    with app.app_context():
        out.append({"cookie": cookie, "dump": session_json_serializer.dumps(dict(v))})
print(json.dumps(out))
`),
    ) as { cookie: string; dump: string }[];
    expect(made).toHaveLength(7);
    for (const { cookie, dump } of made) {
      const r = await cli(['verify', '--secret', 'flask-made', '--now', String(T + 5), cookie]);
      expect([r.status, r.stdout, r.stderr]).toEqual([0, dump + '\n', '']);
    }
  });

  itWithPeer('flask', 'other salts, derivations and digests match itsdangerous both ways', async () => {
    for (const { args, py } of SCHEMES) {
      const made = JSON.parse(
        runPython(`${PY_PRELUDE}
with app.app_context():
    v = CASES[3]
    print(json.dumps({"data": session_json_serializer.dumps(v), "cookie": serializer("sekrit"${py}).dumps(v)}))
`),
      ) as { data: string; cookie: string };
      expect(await sign(made.data, '--secret', 'sekrit', ...args), args.join(' ')).toBe(made.cookie);
      const r = await cli(['verify', '--secret', 'sekrit', '--now', String(T), ...args, made.cookie]);
      expect([r.status, r.stdout]).toEqual([0, made.data + '\n']);
    }
  });

  itWithPeer('flask', 'failure classes and messages are the ones itsdangerous raises', async () => {
    const good = await sign('{"a":1}', '--secret', 'k3y');
    const [payload, ts, sig] = good.split('.') as [string, string, string];
    const tokens = [
      `${payload}.${ts}.${sig.slice(0, -2)}zz`,
      `${payload}.ZVPxAB.${sig}`,
      `${payload}.${sig}`,
      `${payload}.${ts}`,
      'no-dot-here',
      good,
    ];
    // Python adds validly signed payloads that fail to load: not JSON, not zlib, not base64, a bad tag, no timestamp.
    const expected = JSON.parse(
      runPython(
        `${PY_PRELUDE}
from itsdangerous import BadData, Signer
tokens = json.load(sys.stdin)
TimestampSigner.get_timestamp = lambda self: ${T + 8}
signer = serializer("k3y").make_signer()
tokens += [signer.sign(p).decode() for p in ["e30x", ".e30x", "e", "eyIgYiI6ImVBIn0"]]
tokens.append(Signer(b"k3y", salt="cookie-session", key_derivation="hmac").sign(b"e30").decode())
# unsign measures the age against get_timestamp(): move the clock 10 s past the signing time.
TimestampSigner.get_timestamp = lambda self: ${T + 10}
out = []
for t in tokens:
    try:
        serializer("k3y").loads(t, max_age=5)
        out.append([t, "ok"])
    except BadData as e:
        out.append([t, "%s: %s" % (type(e).__name__, e)])
print(json.dumps(out))
`,
        JSON.stringify(tokens),
      ),
    ) as [string, string][];
    const classes = new Set(expected.map(([, e]) => e.split(':')[0]));
    expect([...classes].sort()).toEqual(['BadPayload', 'BadSignature', 'BadTimeSignature', 'SignatureExpired']);
    const ours = await Promise.all(
      expected.map(async ([t]) => {
        const r = await cli(['verify', '--secret', 'k3y', '--max-age', '5', '--now', String(T + 10), t]);
        expect(lines(r.stderr).length, t).toBeLessThanOrEqual(1);
        return [t, r.status === 0 ? 'ok' : r.stderr.trimEnd()];
      }),
    );
    expect(ours).toEqual(expected);
  });
});
