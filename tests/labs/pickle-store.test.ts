import { describe, expect, it } from 'vitest';
import { quoteBytes, splitArgs } from '../../src/labs/pickle-store/redis-cli.ts';
import { headers, Learner } from './support-b.ts';
import { commandOf, loads, type PickleCall } from '../../src/engine/flask_session/pickle.ts';
import { UnsafePickleError } from '../../src/engine/python/errors.ts';

const enc = new TextEncoder();
/** What `pickle.dumps` writes for a class whose __reduce__ returns (os.system, ("id",)), protocol 4, on Linux. */
const P4 = '\\x80\\x04\\x95\\x1d\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x8c\\x05posix\\x94\\x8c\\x06system\\x94\\x93\\x94\\x8c\\x02id\\x94\\x85\\x94R\\x94.';

const sidOf = (l: Learner) => l.jar.get('session')!;
const redis = async (l: Learner, command: string) => (await l.send('POST', '/_redis', { body: command, headers: [['Content-Type', 'text/plain']], cookies: false })).body.trimEnd();

describe('lab 6: pickle in a shared store', () => {
  it("a protocol-0 pickle of os.system written under the learner's own key: the next request records \"would run: id\", nothing runs", async () => {
    const l = await Learner.start('pickle-store', 'vulnerable');
    await l.send('GET', '/');
    const sid = sidOf(l);
    expect(await redis(l, `GET session:${sid}`)).toMatch(/^"\\x80\\x04\\x95/);
    expect(await redis(l, `SET session:${sid} "cos\\nsystem\\n(S'id'\\ntR."`)).toBe('OK');
    expect(l.lab.solved).toBe(false);
    const r = await l.send('GET', '/account');
    expect(r.status).toBe(200);
    expect(r.body).toBe('You are not logged in.\n');
    expect(headers(r, 'X-Lab-Record')).toEqual(["would run: id (os.system('id'))"]);
    expect(r.goal).toBe(true);
    expect(await l.replay()).toEqual({ solved: true, solvedAt: 3 });
    expect(await l.replay('fixed')).toEqual({ solved: false, solvedAt: null });
  });

  it("the protocol-4 bytes pickle.dumps writes (posix.system via STACK_GLOBAL), planted under the victim's key, run when the victim visits", async () => {
    const l = await Learner.start('pickle-store', 'vulnerable');
    await l.victim('login');
    const keys = await redis(l, 'KEYS session:*');
    const victimKey = /"(session:[^"]+)"/.exec(keys)![1]!;
    expect(await redis(l, `SET ${victimKey} "${P4}"`)).toBe('OK');
    const [x] = await l.victim('open-account');
    expect(x!.goal).toBe(true);
    expect(headers({ responseHeaders: x!.responseHeaders }, 'X-Lab-Record')).toEqual(["would run: id (posix.system('id'))"]);
  });

  it('a call that runs no command is recorded but does not solve; plain data is just data', async () => {
    const l = await Learner.start('pickle-store', 'vulnerable');
    await l.send('GET', '/');
    const sid = sidOf(l);
    await redis(l, `SET session:${sid} "cbuiltins\\nprint\\n(S'hello'\\ntR."`);
    const p = await l.send('GET', '/');
    expect(headers(p, 'X-Lab-Record')).toEqual(["would call: builtins.print('hello')"]);
    await redis(l, `SET session:${sid} "(dp0\\nS'user'\\np1\\nS'dana'\\np2\\ns."`);
    const r = await l.send('GET', '/account');
    expect(r.body).toBe('Logged in as dana.\n');
    expect(l.lab.solved).toBe(false);
  });

  it('fixed: the safe reader refuses the pickle before anything in it could run', async () => {
    const l = await Learner.start('pickle-store', 'fixed');
    await l.send('GET', '/');
    await redis(l, `SET session:${sidOf(l)} "cos\\nsystem\\n(S'id'\\ntR."`);
    const r = await l.send('GET', '/account');
    expect(r.body).toBe('You are not logged in.\n');
    expect(headers(r, 'X-Lab-Record')[0]).toMatch(/^refused: UnsafePickleError: refusing opcode GLOBAL/);
    expect(l.lab.solved).toBe(false);
  });

  it('redis-cli quoting, replies and errors; the console also takes ?command= and a form field', async () => {
    const l = await Learner.start('pickle-store', 'vulnerable');
    const lab = { store: (c: string) => redis(l, c) };
    expect(splitArgs(`SET k "a\\x00b" 'it\\'s'`)!.map((b) => quoteBytes(b))).toEqual(['"SET"', '"k"', '"a\\x00b"', '"it\'s"']);
    expect(splitArgs('SET k "open')).toBeNull();
    expect(await lab.store('SET k "open')).toBe('Invalid argument(s)');
    expect(await lab.store('GET')).toBe("(error) ERR wrong number of arguments for 'get' command");
    expect(await lab.store('FLUSHALL')).toMatch(/^\(error\) ERR unknown command 'FLUSHALL'/);
    expect(await lab.store('SET k v EX 0')).toBe("(error) ERR invalid expire time in 'set' command");
    expect(await lab.store('SET k v EX 10')).toBe('OK');
    // Every action moves the lab's clock one second.
    expect(await lab.store('TTL k')).toBe('(integer) 9');
    expect(await lab.store('GET nothing')).toBe('(nil)');
    expect(await lab.store('DEL k nothing')).toBe('(integer) 1');
    expect(await lab.store('KEYS zzz*')).toBe('(empty array)');
    expect((await l.send('GET', `/_redis?command=${encodeURIComponent('EXISTS nothing')}`)).body).toBe('(integer) 0\n');
    expect((await l.send('POST', '/_redis', { body: `command=${encodeURIComponent('DBSIZE')}` })).body).toMatch(/^\(integer\) \d+\n$/);
    expect((await l.send('GET', '/_redis')).status).toBe(400);
  });

  it('the reader describes GLOBAL + REDUCE without importing or calling, and still refuses them unless asked', () => {
    const bytes = enc.encode("cos\nsystem\n(S'touch /tmp/x'\ntR.");
    expect(() => loads(bytes)).toThrow(UnsafePickleError);
    const calls: PickleCall[] = [];
    expect(loads(bytes, { describeCalls: calls })).toBeNull();
    expect(calls).toEqual([{ module: 'os', name: 'system', args: ['touch /tmp/x'], offset: 29 }]);
    expect(commandOf(calls[0]!)).toBe('touch /tmp/x');
    // BUILD, NEWOBJ and friends stay refused even when describing.
    expect(() => loads(Uint8Array.from('cbuiltins\nobject\n)\x81}b.', (c) => c.charCodeAt(0)), { describeCalls: [] })).toThrow(/NEWOBJ/);
  });
});
