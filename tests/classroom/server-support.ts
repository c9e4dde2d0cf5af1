// Shared by the class server's tests: a submission body, a fake runner (so most tests need no Python), and a
// reader of the server's event stream.
import type { Runner } from '../../src/exercises/runtime/node.ts';
import type { ExerciseResult } from '../../src/exercises/types.ts';

export const EXERCISE = '01-cookies-theme';

/** A pass as the page's check reports it. */
export const PASS_RESULT = { version: 3, status: 'pass', message: null, tests: [{ name: 'test_theme_is_kept', status: 'pass', message: null, output: null, task_id: null, test_code: '' }] };

export function submission(token: string, learner: string, name: string, code = 'print("hello")', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'flasklab-submission',
    formatVersion: 1,
    token,
    learner,
    name,
    lang: 'en',
    exercises: { [EXERCISE]: { version: 1, result: PASS_RESULT, code, hintsUsed: 0, solutionShown: false } },
    ...extra,
  };
}

export function post(url: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<Response> {
  return fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/**
 * A Runner that passes code containing `# SOLVED` and fails anything else, with a failure message carrying markup
 * (as a learner's exception text can), so the tests see a re-check overrule a claim without starting Python.
 */
export const MARKUP_MESSAGE = '<img src=x onerror=alert(1)> and </script><script>alert(2)</script>';
export function fakeRunner(): Runner & { calls: number } {
  const r = {
    calls: 0,
    ready: async () => ({ python: 'fake', pyodide: 'fake', packages: {}, timings: {}, extras: [] }),
    check: async (req: { learner: string }): Promise<ExerciseResult> => {
      r.calls += 1;
      return req.learner.includes('# SOLVED')
        ? { version: 3, status: 'pass', message: null, tests: [{ name: 'test_ok', status: 'pass', message: null, output: null, task_id: null, test_code: '' }] }
        : { version: 3, status: 'error', message: MARKUP_MESSAGE, tests: [] };
    },
    runSnippet: async () => ({ stdout: '', stderr: '', exception: null, exchanges: [] }),
    dispose: () => undefined,
  };
  return r;
}

/** An open event stream: wait until its text so far satisfies a condition, then read on or close it. */
export async function openEvents(url: string): Promise<{ waitFor(until: (text: string) => boolean): Promise<string>; close(): void }> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  if (!res.body) throw new Error('no event stream');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    async waitFor(until) {
      while (!until(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the event stream ended before the condition held; it said:\n${text}`);
        text += decoder.decode(value, { stream: true });
      }
      return text;
    },
    close: () => controller.abort(),
  };
}

/** Reads an event stream until `until` holds for the text so far; returns that text. */
export async function readEvents(url: string, until: (text: string) => boolean): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  if (!res.body) throw new Error('no event stream');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (!until(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    controller.abort();
  }
  return text;
}

/** The JSON data of each `event: name` in a stream's text. */
export function eventsNamed(text: string, name: string): unknown[] {
  const out: unknown[] = [];
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n');
    if (lines.includes(`event: ${name}`)) {
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      out.push(JSON.parse(data));
    }
  }
  return out;
}
