// The Redis view island's pure parts: the lab (workers, jar, store, virtual clock), the command formatter, the
// HTML renderers and the translations. The lab runs over MemoryStore and over ioredis-mock, as in the browser.
import { describe, expect, it } from 'vitest';
import { commandsOf, formatStoreOp, resultText, type StoreOp } from '../../src/components/redis-view/commands.ts';
import { redisViewStrings } from '../../src/components/redis-view/i18n.ts';
import { describeValue, encodeFor, ioredisLabStore, memoryLabStore, prerender, SessionLab, type IoredisLike, type LabMode } from '../../src/components/redis-view/model.ts';
import { esc, jarHtml, logEntryHtml, storeHtml, ttlText } from '../../src/components/redis-view/render.ts';
import { defaultToClientBytes } from '../../src/engine/flask_session/redis.ts';
import { poisonedPickle } from '../../src/lessons/server-side-security.ts';
import { loadRedisMock } from '../engine/flask_session/support.ts';
import { reason } from '../../src/engine/flask/reasons.ts';

const T = 1700000000;
const en = redisViewStrings('en');
const zh = redisViewStrings('zh-CN');
const op = (o: Partial<StoreOp>): StoreOp => ({ type: 'store-op', stage: 'store', step: 1, at: 0, command: 'GET', key: 'k', why: reason('fixed.get'), ...o }) as StoreOp;

describe('commands', () => {
  it('formats each store operation as redis-cli would show it', () => {
    expect(formatStoreOp(op({ command: 'GET', key: 'session:a', hit: false }))).toEqual({ kind: 'redis', text: 'GET session:a', result: { kind: 'nil' } });
    expect(formatStoreOp(op({ command: 'GET', key: 'session:a', hit: true, bytes: 9 }))!.result).toEqual({ kind: 'bytes', n: 9 });
    expect(formatStoreOp(op({ command: 'SET', key: 'session:a', ttl: 60, bytes: 3 }))!.text).toBe('SET session:a <3 bytes> EX 60');
    expect(formatStoreOp(op({ command: 'SETEX', key: 'session:a', ttl: 60, bytes: 3 }))!.text).toBe('SETEX session:a 60 <3 bytes>');
    expect(formatStoreOp(op({ command: 'DEL', key: 'k', hit: true }))!.result).toEqual({ kind: 'integer', n: 1 });
    expect(formatStoreOp(op({ command: 'container.setdefault', key: "it's", hit: true, bytes: 2 }))!.text).toBe("container.setdefault('it\\'s', <2 chars>)");
    expect(formatStoreOp(op({ command: 'DECODE' }))).toBeNull();
    const labels = { bytes: (n: number) => `<${n}>`, kept: 'kept', inserted: 'ins', found: 'found' };
    expect(['nil', 'ok', 'kept', 'none'].map((kind) => resultText({ kind } as never, labels))).toEqual(['(nil)', 'OK', 'kept', 'None']);
    expect(commandsOf([op({ command: 'GET' }), op({ command: 'DECODE' })])).toHaveLength(1);
  });
});

describe('lab over MemoryStore', () => {
  const lab = (mode: LabMode, workers = 1) => SessionLab.create({ mode, workers, clock: () => T, makeStore: memoryLabStore });

  it('0.8: the cookie holds the id, Redis holds msgpack with a 31-day TTL, and the clock ages both', async () => {
    const l = await lab('0.8');
    const e = await l.send('/set?key=user&value=alice');
    expect(e.commands.map((c) => c.text.split(' ')[0])).toEqual(['SET']);
    let s = await l.snapshot();
    expect(s.rows).toHaveLength(1);
    expect(s.rows[0]!.key).toBe(`session:${s.jar[0]!.value}`);
    expect(s.rows[0]!.repr).toBe("{'_permanent': True, 'user': 'alice'}");
    expect(s.rows[0]!.format).toBe('msgpack');
    expect(s.rows[0]!.ttl).toBe(2678400);
    await l.advance(86400);
    s = await l.snapshot();
    expect(s.rows[0]!.ttl).toBe(2678400 - 86400);
    expect(s.jar[0]!.expiresIn).toBe(2678400 - 86400);
    expect((await l.send('/get?key=user')).body).toBe('alice');
    await l.advance(2678400);
    s = await l.snapshot();
    expect(s.rows).toEqual([]);
    expect(s.jar).toEqual([]);
    expect(s.offset).toBe(2678400 + 86400);
  });

  it('0.3: pickle, SETEX on every request, and a key for a visitor who never wrote', async () => {
    const l = await lab('0.3');
    const e = await l.send('/index');
    expect(e.commands[0]!.text).toMatch(/^SETEX session:[0-9a-f-]{36} 2678400 <\d+ bytes>$/);
    const s = await l.snapshot();
    expect(s.rows[0]!.format).toBe('pickle');
    expect(s.rows[0]!.repr).toBe("{'_permanent': True}");
  });

  it('custom: setdefault keeps the first value; two workers keep two dicts', async () => {
    const l = await lab('custom', 2);
    await l.send('/set?key=n&value=1', 1);
    await l.send('/set?key=n&value=2', 1);
    expect((await l.send('/get?key=n', 1)).body).toBe('1');
    expect((await l.send('/get?key=n', 2)).status).toBe(404);
    const s = await l.snapshot();
    expect(s.rows.map((r) => [r.worker, r.repr, r.ttl])).toEqual([
      [1, `'{"n": "1"}'`, null],
      [2, "'{}'", null],
    ]);
    expect(s.log.map((e) => e.worker)).toEqual([1, 1, 1, 2]);
  });

  it('alternate sends to worker 1, 2, 1, …', async () => {
    const l = await lab('0.8', 2);
    const ws = [];
    for (let i = 0; i < 3; i++) ws.push((await l.send('/index', 'alternate')).worker);
    expect(ws).toEqual([1, 2, 1]);
  });

  it('exportState → restore rebuilds the same store, jar and log in a new lab', async () => {
    for (const mode of ['0.8', '0.3', 'custom'] as const) {
      const { snapshot, state } = await prerender(mode, 1, ['/login', '/set?key=a&value=b']);
      const l = await lab(mode);
      await l.restore(JSON.parse(JSON.stringify(state)));
      const again = await l.snapshot();
      expect(again.rows).toEqual(snapshot.rows);
      expect(again.jar).toEqual(snapshot.jar);
      expect(again.log).toEqual(snapshot.log);
      expect((await l.send('/get?key=a')).body).toBe(mode === 'custom' ? 'missing' : 'b'); // the tutorial never saved the second write
    }
  });

  it('a refused pickle shows as an error row, not a crash', () => {
    expect(describeValue('0.3', poisonedPickle()).format).toBe('error');
    expect(describeValue('0.3', poisonedPickle()).repr).toMatch(/STACK_GLOBAL/);
    expect(describeValue('0.8', encodeFor('0.8', new Map([['a', 1]]))).repr).toBe("{'a': 1}");
  });
});

describe('lab over ioredis-mock (the browser setup)', () => {
  it('stores, lists, ages and expires keys', async () => {
    const RedisMock = await loadRedisMock();
    const client = new RedisMock({ port: 41999 }) as unknown as IoredisLike;
    const l = await SessionLab.create({ mode: '0.8', clock: () => Date.now() / 1000, makeStore: () => ioredisLabStore(client, defaultToClientBytes) });
    await l.send('/login');
    let s = await l.snapshot();
    expect(s.rows[0]!.repr).toBe("{'_permanent': True, 'username': 'alex'}");
    expect(s.rows[0]!.ttl).toBeGreaterThan(2678400 - 5);
    await l.advance(31 * 86400 - 100);
    s = await l.snapshot();
    expect(s.rows[0]!.ttl).toBeLessThanOrEqual(100);
    await l.advance(200);
    expect((await l.snapshot()).rows).toEqual([]);
    expect((await l.send('/index')).body).toBe('You are not logged in');
  });
});

describe('render and i18n', () => {
  it('escapes everything it prints', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = storeHtml([{ key: '<k>', ttl: 5, bytes: 1, format: 'msgpack', repr: "'<b>'", worker: null }], '0.8', 1, en);
    expect(html).not.toContain('<k>');
    expect(html).toContain('&lt;k&gt;');
  });

  it('TTLs read as seconds plus a human duration, in both languages', () => {
    expect(ttlText(2678400, en)).toBe('2678400 s · 31 d');
    expect(ttlText(3661, en)).toBe('3661 s · 1 h 1 min');
    expect(ttlText(42, zh)).toBe('42 秒');
    expect(ttlText(90000, zh)).toBe('90000 秒 · 1 天 1 小时');
    expect(ttlText(null, zh)).toBe('永不过期');
  });

  it('every English string has a Chinese one', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    expect(redisViewStrings('zh-cn')).toBe(zh);
  });

  it('the log entry lists the request, the commands and the Set-Cookie; the jar its cookies', async () => {
    const { snapshot } = await prerender('0.8', 2, ['/login']);
    const html = logEntryHtml(snapshot.log[0]!, 2, en);
    expect(html).toContain('GET /login');
    expect(html).toContain('(worker 1)');
    expect(html).toMatch(/SET session:[\w-]{43} &lt;27 bytes&gt; EX 2678400/);
    expect(html).toContain('Set-Cookie: session=');
    expect(jarHtml(snapshot.jar, zh)).toContain('31 天后过期');
    expect(jarHtml([], en)).toContain('No cookies.');
  });
});
