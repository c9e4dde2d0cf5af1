// Lessons 5–8 (server-side sessions): each build-time demo must show what its lesson says it shows.
import { describe, expect, it } from 'vitest';
import { setCookies, type ExchangeView } from '../../src/lessons/exchange.ts';
import { commandLines, seededBytes } from '../../src/lessons/demo-common.ts';
import { contract, counterFixed, counterTutorial, fixedFlow, neverForgets, twoWorkers, withoutSecret } from '../../src/lessons/custom-interface.ts';
import { compareVersions, configuredExample, nonPermanent, sessionIds, sessionTypeMissing, signedId, storedBytes, unknownId } from '../../src/lessons/flask-session-redis.ts';
import { fixationCases, poisoned, poisonedPickle, revocation } from '../../src/lessons/server-side-security.ts';
import { anonymousTraffic, cookieVsStore, rotateKey, roundRobin, slots } from '../../src/lessons/scaling.ts';
import { crc16, hashedPart, keySlot, nodeOf } from '../../src/lessons/scaling-crc16.ts';
import { loads as pickleLoads } from '../../src/engine/flask_session/pickle.ts';
import { MsgSpecSerializer } from '../../src/engine/flask_session/serializers.ts';

const bodies = (xs: ExchangeView[]) => xs.map((x) => x.body);
const enc = new TextEncoder();

describe('common helpers', () => {
  it('seededBytes is reproducible and differs by seed', () => {
    expect(seededBytes(1)(8)).toEqual(seededBytes(1)(8));
    expect(seededBytes(1)(8)).not.toEqual(seededBytes(2)(8));
  });
});

describe('lesson 5 demos (custom interface)', () => {
  it('the walk-through calls open_session, the view, then save_session, which writes the container and the cookie', async () => {
    const { first, second } = await contract();
    const types = first.trace.map((e) => e.type);
    expect(types.indexOf('session-opened')).toBeLessThan(types.indexOf('session-op'));
    expect(types.indexOf('session-op')).toBeLessThan(types.indexOf('store-op'));
    expect(setCookies(first)[0]).toMatch(/^session=[0-9a-f-]{36}\.[\w-]{27}; HttpOnly; Path=\/$/);
    expect(second.body).toBe('alex');
  });

  it('the tutorial counts 1, 2, 2, 2 and keeps {"n": 1}; the fixed one counts 1, 2, 3, 4 with a TTL', async () => {
    const t = await counterTutorial();
    expect(bodies(t.exchanges)).toEqual(['1', '2', '2', '2']);
    expect(t.stored).toEqual(['{"n": 1}', '{"n": 1}', '{"n": 1}', '{"n": 1}']);
    expect(commandLines(t.exchanges[3]!).at(-1)).toMatch(/^container\.setdefault\('.*'\)?.*kept the old value/);
    const f = await counterFixed();
    expect(bodies(f.exchanges)).toEqual(['1', '2', '3', '4']);
    expect(f.stored.at(-1)).toBe('{"n": 4}');
    expect(f.ttl).toBe(31 * 86400);
  });

  it('the tutorial forgets nothing and stores every visitor; the fixed one deletes on logout and stores no visitor', async () => {
    const n = await neverForgets();
    expect(n.afterLogout).toEqual(['{"user": "alex"}']);
    expect(n.afterTenYears).toEqual(['{"user": "alex"}']);
    expect(n.entries).toBe(4);
    for (const v of n.visitors) expect(setCookies(v)).toHaveLength(1);
    expect(n.fixed.keys).toEqual([]);
    expect(setCookies(n.fixed.logout)[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
    for (const v of n.fixed.visitors) expect(setCookies(v)).toEqual([]);
  });

  it('a second process does not know the tutorial session; with a shared store it does', async () => {
    const w = await twoWorkers();
    expect(bodies(w.tutorial)).toEqual(['logged in as alex', 'nobody', 'alex']);
    expect(bodies(w.shared)).toEqual(['logged in as alex', 'alex', 'alex']);
    expect(w.containers).toEqual([1, 1]);
  });

  it('without a secret key the tutorial crashes in save_session; the fixed one raises Flask’s clear RuntimeError', async () => {
    const s = await withoutSecret();
    expect(s.tutorial.status).toBe(500);
    expect(s.tutorialError).toMatch(/^TypeError: .*sign/);
    expect(s.fixed.status).toBe(500);
    expect(s.fixedError).toMatch(/^RuntimeError: The session is unavailable because no secret key was set/);
  });

  it('the fixed flow stores nothing for a visitor and nothing after logout', async () => {
    const f = await fixedFlow();
    expect(bodies(f.exchanges)).toEqual(['hello', 'logged in as alex', 'alex', 'logged out']);
    expect(f.keys).toEqual([]);
  });
});

describe('lesson 6 demos (Flask-Session and Redis)', () => {
  it('the configured example stores under myapp: with a one-hour TTL, msgpack on 0.8 and pickle on 0.3.2', async () => {
    const v08 = await configuredExample('0.8');
    const v03 = await configuredExample('0.3');
    for (const r of [v08, v03]) {
      expect(bodies(r.steps.map((s) => s.exchange))).toEqual(['hello stranger', 'logged in', 'hello guhanzhe', 'logged out']);
      expect(r.key.startsWith('myapp:')).toBe(true);
      expect(r.ttl).toBe(3600);
      expect(r.after).toEqual([]);
      expect(r.steps[0]!.commands).toEqual([]);
    }
    expect(v08.key).toMatch(/^myapp:[\w-]{43}$/);
    expect(v03.key).toMatch(/^myapp:[0-9a-f-]{36}$/);
    expect(new MsgSpecSerializer('msgpack').decode(fromHex(v08.valueHex))).toEqual(new Map([['user', 'guhanzhe']]));
    expect(pickleLoads(fromHex(v03.valueHex))).toEqual(new Map([['user', 'guhanzhe']]));
    expect(setCookies(v08.steps[1]!.exchange)[0]).toMatch(/^hello_session=[\w-]{43}; HttpOnly; Path=\/; SameSite=Lax$/);
    expect(setCookies(v03.steps[1]!.exchange)[0]).toMatch(/^hello_session=[0-9a-f-]{36}; HttpOnly; Path=\/$/); // 0.3.2: no SameSite
    expect(setCookies(v08.steps[2]!.exchange)).toEqual([]); // non-permanent and unchanged: no cookie, but the TTL is refreshed
    expect(v08.steps[2]!.commands.map((c) => c.split(' ')[0])).toEqual(['GET', 'SET']);
  });

  it('0.3.2 writes SETEX and a cookie on every request, even for a visitor; 0.8 writes nothing until the session has data', async () => {
    const c = await compareVersions();
    expect(c.v03[0]!.commands).toHaveLength(1);
    expect(c.v03[0]!.commands[0]).toMatch(/^SETEX session:[0-9a-f-]{36} 2678400 /);
    expect(c.v08[0]!.commands).toEqual([]);
    for (const r of c.v03.slice(0, 3)) expect(setCookies(r.exchange)).toHaveLength(1);
    expect(c.v03.every((r) => !r.exchange.responseHeaders.some(([k]) => k === 'Vary'))).toBe(true);
    expect(c.v08.every((r) => r.exchange.responseHeaders.some(([k, v]) => k === 'Vary' && v === 'Cookie'))).toBe(true);
    expect(c.v03Keys).toBe(3);
    expect(c.v08Keys).toBe(0);
    expect(c.v08[3]!.commands.map((l) => l.split(' ')[0])).toEqual(['GET', 'DEL']);
  });

  it('ids: 43 characters for 32 bytes, uuid4 on 0.3.2; stored bytes match what msgspec and pickle write', () => {
    const ids = sessionIds();
    expect(ids.v08).toHaveLength(43);
    expect(ids.v03).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.lengths).toEqual([{ bytes: 16, chars: 22 }, { bytes: 24, chars: 32 }, { bytes: 32, chars: 43 }, { bytes: 48, chars: 64 }, { bytes: 64, chars: 86 }]);
    const s = storedBytes();
    expect(s.msgpack).toBe('83aa5f7065726d616e656e74c3a46e616d65a178a16101'); // msgspec's MessagePack of {_permanent: true, name: 'x', a: 1}, keys in insertion order
    expect(s.pickle.startsWith('80049524')).toBe(true);
  });

  it('a non-permanent session still gets EX 2678400 in Redis, and no Expires on the cookie', async () => {
    const [login, read] = await nonPermanent();
    expect(login!.commands[0]).toMatch(/ EX 2678400 /);
    expect(setCookies(login!.exchange)[0]).not.toContain('Expires');
    expect(setCookies(read!.exchange)).toEqual([]);
    expect(read!.commands).toHaveLength(2);
  });

  it('use_signer signs the id and warns; SESSION_TYPE unset fails on 0.8 and misleads on 0.3.2', async () => {
    const s = await signedId();
    expect(s.cookie).toMatch(/^[\w-]{43}\.[\w-]{27}$/);
    expect(s.warnings[0]).toMatch(/^DeprecationWarning: The 'use_signer' option is deprecated/);
    const m = await sessionTypeMissing();
    expect(m.v08).toBe('ValueError: Unrecognized value for SESSION_TYPE: null');
    expect(m.v03Interface).toBe('NullSessionInterface');
    expect(m.v03Error).toMatch(/no secret key was set/);
  });

  it('an id the server never issued is replaced by 0.8 and adopted by 0.3.2', async () => {
    const u = await unknownId();
    expect(u.v03Keys).toEqual(['session:chosen-by-attacker']);
    expect(u.v08Keys).toHaveLength(1);
    expect(u.v08Keys[0]).not.toContain('chosen-by-attacker');
  });
});

describe('lesson 7 demos (security)', () => {
  it('fixation: 0.3.2 adopts a made-up id, 0.8 does not, but a real planted id works until regenerate()', async () => {
    const f = await fixationCases();
    expect(f.legacyMadeUp.attackerSees).toBe('alice');
    expect(f.currentMadeUp.attackerSees).toBe('nobody');
    expect(f.currentReal.attackerSees).toBe('alice');
    expect(f.currentRegenerate.attackerSees).toBe('nobody');
    const login = f.currentRegenerate.steps.find((s) => s.who === 'victim')!;
    expect(login.commands.map((c) => c.split(' ')[0])).toEqual(['GET', 'DEL', 'SET']);
  });

  it('the poisoned pickle is refused at its STACK_GLOBAL, before anything runs; the engine answers 500', async () => {
    const p = await poisoned();
    expect(p.opcode).toBe('STACK_GLOBAL');
    expect(p.hex.slice(p.offset * 2, p.offset * 2 + 2)).toBe('93');
    expect(p.safe.error).toMatch(/^UnsafePickleError/);
    expect(p.safe.exchange.status).toBe(500);
    expect(p.safe.commands).toHaveLength(1); // one GET: nothing was written back
    expect(() => pickleLoads(poisonedPickle('os', 'system'))).toThrow(/STACK_GLOBAL/);
  });

  it('logout revokes a copied id on Redis but not a copied signed cookie', async () => {
    const r = await revocation();
    expect(bodies(r.cookie)).toEqual(['logged in', 'logged out', 'alice']);
    expect(bodies(r.redis)).toEqual(['logged in', 'logged out', 'nobody']);
    expect(r.redisCommands[1]!.at(-1)).toMatch(/^DEL .* \(integer\) 1$/);
  });
});

describe('lesson 8 demos (scaling)', () => {
  it('CRC16/XMODEM check value and Redis key slots, hash tags included', () => {
    expect(crc16(enc.encode('123456789'))).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('123456789')).toBe(12739);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(new TextDecoder().decode(hashedPart(enc.encode('a{}b')))).toBe('a{}b'); // an empty tag hashes the whole key
    expect([0, 5460, 5461, 10922, 10923, 16383].map((s) => nodeOf(s))).toEqual([0, 0, 1, 1, 2, 2]);
    const s = slots();
    expect(s.at(-1)!.slot).toBe(s.at(-2)!.slot);
  });

  it('round robin: the tutorial loses the user on worker 2, the shared store does not', async () => {
    const r = await roundRobin();
    expect(r.tutorial.map((x) => x.exchange.body)).toEqual(['logged in as alex', 'nobody', 'alex', 'nobody']);
    expect(r.shared.map((x) => x.exchange.body)).toEqual(['logged in as alex', 'alex', 'alex', 'alex']);
    expect(r.shared.map((x) => x.worker)).toEqual([1, 2, 1, 2]);
  });

  it('anonymous traffic: 0.3.2 keeps a key per visitor, 0.8 none', async () => {
    const a = await anonymousTraffic(50);
    expect(a).toEqual([{ version: '0.3', keys: 50, bytes: expect.any(Number) }, { version: '0.8', keys: 0, bytes: 0 }]);
  });

  it('the signed cookie grows with the cart; the Redis cookie stays 43 characters and costs two commands a request', async () => {
    const rows = await cookieVsStore([0, 100]);
    expect(rows[1]!.signedCookie).toBeGreaterThan(rows[0]!.signedCookie * 10);
    // A browser drops a cookie whose name + value passes 4096 bytes: 'session' is 7 of them.
    expect(rows.map((r) => r.browserDrops)).toEqual(rows.map((r) => 'session'.length + r.signedCookie > 4096));
    expect(rows.map((r) => r.redisCookie)).toEqual([43, 43]);
    expect(rows.map((r) => r.roundTrips)).toEqual([2, 2]);
  });

  it('rotating SECRET_KEY loses sessions with SESSION_USE_SIGNER (no fallbacks) and not without', async () => {
    const k = await rotateKey();
    expect(bodies(k.signed)).toEqual(['logged in as alex', 'nobody']);
    expect(bodies(k.unsigned)).toEqual(['logged in as alex', 'alex']);
  });
});

function fromHex(h: string): Uint8Array {
  return new Uint8Array(h.match(/../g)!.map((x) => parseInt(x, 16)));
}
