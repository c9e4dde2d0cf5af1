// The supervisor's spare Python (spareAfterTimeout, what the page asks for): none before a time limit is hit; after
// the first, a second one is started once the replacement is ready, and the next time limit promotes it, so the
// check after it runs without a new start. Fake Workers (no Python) on fake timers: what is counted is starts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSupervisor, INTERRUPT_GRACE_MS, type StartWorker } from '../../src/exercises/runtime/supervisor.ts';
import type { FromWorker, Progress, ToWorker } from '../../src/exercises/runtime/protocol.ts';
import { runtimeText } from '../../src/exercises/runtime/messages.ts';

const PASS = JSON.stringify({ version: 3, status: 'pass', message: null, tests: [{ name: 'test_it', status: 'pass', message: null, output: null, task_id: null, test_code: '' }] });

interface Fake {
  n: number;
  terminated: boolean;
  ready(): void;
}

/**
 * Workers that get ready when told to, answer every call at once except code containing `while True`, and never
 * heed the interrupt word (as Python stuck inside C code would not): past the limit and its grace they are terminated.
 */
function fakes() {
  const started: Fake[] = [];
  const start: StartWorker = ({ message }) => {
    const fake: Fake = {
      n: started.length + 1,
      terminated: false,
      ready: () => {
        message({ type: 'progress', progress: { phase: 'ready' } });
        message({ type: 'ready', info: { python: '3', pyodide: 'x', packages: {}, timings: {}, extras: [] } });
      },
    };
    started.push(fake);
    message({ type: 'progress', progress: { phase: 'runtime' } });
    return {
      post(msg: ToWorker) {
        if (msg.type !== 'call' || fake.terminated) return;
        if (msg.request.includes('while True')) return;
        queueMicrotask(() => message({ type: 'answer', id: msg.id, text: PASS } as FromWorker));
      },
      terminate() {
        fake.terminated = true;
      },
    };
  };
  return { started, start };
}

/** Lets queued promise jobs run (the calls are chained one after another). */
const tick = () => vi.advanceTimersByTimeAsync(0);
const request = (learner: string) => ({ learner, tests: '', messages: {}, lang: 'en' as const, output_cap: 100 });

describe('a spare Python after a time limit', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is started only after a time limit, once the replacement is ready; the next limit promotes it and its loading is not shown', async () => {
    const { started, start } = fakes();
    const progress: (Progress['phase'] | number)[] = [];
    const runner = createSupervisor(start, { spareAfterTimeout: true, timeLimitMs: 1000, onProgress: (p) => progress.push(p.phase) });
    const first = runner.check(request('x = 1'));
    await tick();
    started[0]!.ready();
    expect((await first).status).toBe('pass');
    expect(started).toHaveLength(1);

    // The first endless loop: stopped at the limit, a replacement starts at once, no spare yet.
    const loop1 = runner.check(request('while True: pass'));
    await tick();
    await vi.advanceTimersByTimeAsync(1000 + INTERRUPT_GRACE_MS);
    expect((await loop1).status).toBe('error');
    expect(started[0]!.terminated).toBe(true);
    expect(started).toHaveLength(2);
    // The replacement's loading is shown (the learner waits for it); once it is ready the spare starts, unseen.
    started[1]!.ready();
    await tick();
    expect(started).toHaveLength(3);
    started[2]!.ready();
    await tick();
    expect(progress).toEqual(['runtime', 'ready', 'runtime', 'ready']);

    // The second: the spare takes over at once (it is ready: the check after the loop needs no start), and a new
    // spare starts behind it.
    const loop2 = runner.check(request('while True: pass'));
    await tick();
    await vi.advanceTimersByTimeAsync(1000 + INTERRUPT_GRACE_MS);
    expect((await loop2).status).toBe('error');
    expect(started[1]!.terminated).toBe(true);
    const after = runner.check(request('x = 2'));
    expect((await after).status).toBe('pass');
    expect(started).toHaveLength(4);
    expect(started[2]!.terminated).toBe(false);
    // No loading was shown for the spare that took over.
    expect(progress).toEqual(['runtime', 'ready', 'runtime', 'ready']);

    runner.dispose();
    expect(started.every((f) => f.terminated)).toBe(true);
  });

  it('is never started without the option (the command line keeps one Python)', async () => {
    const { started, start } = fakes();
    const runner = createSupervisor(start, { timeLimitMs: 1000 });
    const loop = runner.check(request('while True: pass'));
    await tick();
    started[0]!.ready();
    await tick();
    await vi.advanceTimersByTimeAsync(1000 + INTERRUPT_GRACE_MS);
    expect((await loop).status).toBe('error');
    started[1]!.ready();
    await tick();
    expect(started).toHaveLength(2);
    runner.dispose();
  });
});

describe('the interrupt at a time limit', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stops a loop that heeds it without terminating the Worker; the next check runs on the same Python', async () => {
    const started: { terminated: boolean }[] = [];
    const start: StartWorker = ({ message }, interrupt) => {
      const fake = { terminated: false };
      started.push(fake);
      queueMicrotask(() => message({ type: 'ready', info: { python: '3', pyodide: 'x', packages: {}, timings: {}, extras: [] } }));
      return {
        post(msg: ToWorker) {
          if (msg.type !== 'call' || fake.terminated) return;
          if (!msg.request.includes('while True')) {
            queueMicrotask(() => message({ type: 'answer', id: msg.id, text: PASS } as FromWorker));
            return;
          }
          // Python looks at the word between bytecodes: here, every 10 ms of the fake clock.
          const poll = setInterval(() => {
            if (interrupt && Atomics.load(interrupt, 0) === 2) {
              clearInterval(poll);
              message({ type: 'broken', id: msg.id, detail: 'KeyboardInterrupt' });
            }
          }, 10);
        },
        terminate() {
          fake.terminated = true;
        },
      };
    };
    const runner = createSupervisor(start, { timeLimitMs: 1000 });
    const looping = runner.check(request('while True:\n    pass'));
    await vi.advanceTimersByTimeAsync(1000 + 20);
    const r = await looping;
    expect(r.status).toBe('error');
    expect(r.message).toBe(runtimeText('en', 'timeout', { seconds: 1 }));
    expect(started).toHaveLength(1);
    expect(started[0]!.terminated).toBe(false);
    const next = runner.check(request('x = 1'));
    await tick();
    expect((await next).status).toBe('pass');
    expect(started).toHaveLength(1);
    runner.dispose();
  });
});
