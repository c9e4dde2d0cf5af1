import { describe, expect, it } from 'vitest';
import { createPickleStoreLab } from '../../src/labs/pickle-store/app.ts';
import { quoteBytes, splitArgs } from '../../src/labs/pickle-store/redis-cli.ts';
import { headerOf } from '../../src/labs/simulated.ts';
import { replaySimulatedLab } from '../../src/labs/simulated-labs.ts';
import { commandOf, loads, UnsafePickleError, type PickleCall } from '../../src/engine/flask_session/pickle.ts';

const enc = new TextEncoder();
/** What `pickle.dumps` writes for a class whose __reduce__ returns (os.system, ("id",)), protocol 4, on Linux. */
const P4 = '\\x80\\x04\\x95\\x1d\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x8c\\x05posix\\x94\\x8c\\x06system\\x94\\x93\\x94\\x8c\\x02id\\x94\\x85\\x94R\\x94.';

async function visit(lab: Awaited<ReturnType<typeof createPickleStoreLab>>) {
  const r = await lab.request({ method: 'GET', url: '/', headers: [] });
  return /^session=([^;]+)/.exec(headerOf(r.headers, 'Set-Cookie')!)![1]!;
}

describe('lab: pickle in a shared store', () => {
  it('a protocol-0 pickle of os.system written under the learner\'s own key: the next request records "would run: id", nothing runs', async () => {
    const lab = await createPickleStoreLab('seed-1', 'vulnerable');
    const sid = await visit(lab);
    expect(await lab.store(`GET session:${sid}`)).toMatch(/^"\\x80\\x04\\x95/);
    expect(await lab.store(`SET session:${sid} "cos\\nsystem\\n(S'id'\\ntR."`)).toBe('OK');
    expect(lab.solved).toBe(false);
    const r = await lab.request({ method: 'GET', url: '/account', headers: [['Cookie', `session=${sid}`]] });
    expect(r.status).toBe(200);
    expect(lab.solved).toBe(true);
    expect(lab.events.find((e) => e.solved)).toMatchObject({ key: 'would-run', params: { command: 'id', call: "os.system('id')", key: `session:${sid}` } });
    expect(await replaySimulatedLab('pickle-store', 'seed-1', 'vulnerable', lab.log)).toEqual({ solved: true, solvedAt: lab.solvedAt });
    expect(await replaySimulatedLab('pickle-store', 'seed-1', 'fixed', lab.log)).toEqual({ solved: false, solvedAt: null });
  });

  it('the protocol-4 bytes pickle.dumps writes (posix.system via STACK_GLOBAL), planted under the victim\'s key, run when the victim visits', async () => {
    const lab = await createPickleStoreLab('seed-1', 'vulnerable');
    const keys = await lab.store('KEYS session:*');
    const victimKey = /"(session:[^"]+)"/.exec(keys)![1]!;
    expect(await lab.store(`SET ${victimKey} "${P4}"`)).toBe('OK');
    await lab.victim('open-account');
    expect(lab.events.find((e) => e.solved)).toMatchObject({ key: 'would-run', params: { command: 'id', call: "posix.system('id')" } });
  });

  it('a call that runs no command is recorded but does not solve; plain data does nothing', async () => {
    const lab = await createPickleStoreLab('seed-1', 'vulnerable');
    const sid = await visit(lab);
    await lab.store(`SET session:${sid} "cbuiltins\\nprint\\n(S'hello'\\ntR."`);
    await lab.request({ method: 'GET', url: '/', headers: [['Cookie', `session=${sid}`]] });
    expect(lab.events.at(-1)).toMatchObject({ key: 'would-call', params: { call: "builtins.print('hello')" } });
    await lab.store(`SET session:${sid} "(dp0\\nS'user'\\np1\\nS'alice'\\np2\\ns."`);
    const r = await lab.request({ method: 'GET', url: '/account', headers: [['Cookie', `session=${sid}`]] });
    expect(r.body).toBe('Logged in as alice.\n');
    expect(lab.solved).toBe(false);
  });

  it('fixed: the safe reader refuses the pickle before anything in it could run', async () => {
    const lab = await createPickleStoreLab('seed-1', 'fixed');
    const sid = await visit(lab);
    await lab.store(`SET session:${sid} "cos\\nsystem\\n(S'id'\\ntR."`);
    const r = await lab.request({ method: 'GET', url: '/account', headers: [['Cookie', `session=${sid}`]] });
    expect(r.body).toBe('You are not logged in.\n');
    expect(lab.events.at(-1)).toMatchObject({ key: 'refused' });
    expect(String(lab.events.at(-1)!.params!.error)).toMatch(/^UnsafePickleError: refusing opcode GLOBAL/);
    expect(lab.solved).toBe(false);
  });

  it('redis-cli quoting, replies and errors', async () => {
    const lab = await createPickleStoreLab('seed-1', 'vulnerable');
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
