// An opened exercise: the editor, Check / Hint / Show solution / Reset, the results and the learner's progress.
// Loaded by <ex-panel> on the first press of Open, with the editor; the Python runtime starts loading at the same
// moment (with a progress line) so the first Check does not wait for all of it.
import { PANEL_STRINGS, fill, toPanelLang, type PanelLang, type PanelStrings } from './i18n.ts';
import { OUTPUT_CAP, type ExercisePayload, type SolutionPayload } from './model.ts';
import { hintsUsed, readProgress, recordCheck, recordOf, updateProgress, type ExerciseProgress } from './progress.ts';
import type { CheckResult } from './results.ts';
import { RuntimeMissing, onLoadProgress, pageRunner, versionsOf, type LoadProgress, type ReadyRunner } from './runner.ts';

/** Escapes text for HTML content and attribute values. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The task a Hint press is for: the first task with a failing test in the last check, else the first task that has hints left. */
export function hintTask(payload: Pick<ExercisePayload, 'tasks' | 'hints'>, record: Pick<ExerciseProgress, 'hints'>, last: CheckResult | null): string | null {
  const left = (task: string) => (payload.hints[task]?.length ?? 0) > (record.hints[task] ?? 0);
  const failing = (last?.tests ?? []).filter((t) => t.status !== 'pass' && t.task_id !== undefined && t.task_id !== null).map((t) => String(t.task_id));
  const order = payload.tasks.map((t) => t.id);
  for (const task of order) if (failing.includes(task) && left(task)) return task;
  for (const task of order) if (left(task)) return task;
  for (const task of Object.keys(payload.hints)) if (left(task)) return task;
  return null;
}

/** A hint's text as HTML: escaped, with its `backtick` spans as code (hints are written in Markdown's inline style). */
export function hintHtml(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** A hint's text as plain words, for the live region (no backticks read aloud). */
export function hintText(text: string): string {
  return text.replace(/`([^`]+)`/g, '$1');
}

/** The hints shown so far, in task order, as HTML. */
export function renderHints(t: PanelStrings, payload: Pick<ExercisePayload, 'tasks' | 'hints'>, record: Pick<ExerciseProgress, 'hints'>): string {
  const items: string[] = [];
  for (const task of payload.tasks) {
    const shown = Math.min(record.hints[task.id] ?? 0, payload.hints[task.id]?.length ?? 0);
    const total = payload.hints[task.id]?.length ?? 0;
    for (let i = 0; i < shown; i++) {
      items.push(`<li data-hint-task="${esc(task.id)}" data-hint-level="${i + 1}"><p class="ex-x-label">${esc(fill(t.hintFor, { level: i + 1, total, task: task.title }))}</p><p>${hintHtml(payload.hints[task.id]![i]!)}</p></li>`);
    }
  }
  return items.length ? `<h4 class="ex-h">${esc(t.hintHeading)}</h4><ol class="ex-hints">${items.join('')}</ol>` : '';
}

/** The line saying which Flask runs, from the versions the running Python reported. */
export function versionLine(t: PanelStrings, v: Record<string, string>): string {
  return fill(t.flaskVersion, { flask: v.flask ?? '?', werkzeug: v.werkzeug ?? '?', itsdangerous: v.itsdangerous ?? '?', python: v.python ?? '?' });
}

/** A byte count as the progress line shows it (KB below a megabyte, else MB with one decimal). */
export function formatBytes(n: number): string {
  return n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** The progress line while the runtime loads: the phase, and the bytes when the phase downloads something. */
export function progressText(t: PanelStrings, p: LoadProgress): string {
  const phase = (p.phase && t.loadPhase[p.phase]) || t.loadingRuntime;
  const bytes = p.done !== undefined && p.total !== undefined && p.total > 0 ? fill(t.loadBytes, { done: formatBytes(p.done), total: formatBytes(p.total) }) : '';
  if (!p.phase || !t.loadPhase[p.phase]) return t.loadingRuntime;
  return bytes ? fill(t.loadingPhaseBytes, { phase, bytes }) : fill(t.loadingPhase, { phase });
}

/** The "missing runtime" notice: what is missing and how to get it. */
export function missingHtml(t: PanelStrings, m: { missing: string; howto: string }): string {
  return `<div class="ex-missing" data-runtime-missing role="alert"><p><strong>${esc(t.runtimeMissing)}</strong></p><p>${esc(fill(t.runtimeMissingWhy, { why: m.missing }))}</p><p>${esc(t.runtimeMissingHow).replace(esc('{howto}'), `<code>${esc(m.howto)}</code>`)}</p></div>`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Opens the workspace of one <ex-panel>: fetches the exercise, starts the editor, wires the buttons. */
export async function openPanel(root: HTMLElement): Promise<void> {
  const lang: PanelLang = toPanelLang(root.dataset.lang);
  const t = PANEL_STRINGS[lang];
  const id = root.dataset.id ?? '';
  const version = Number(root.dataset.version);
  const files = root.dataset.files ?? '';
  const title = root.dataset.title ?? id;
  const workspace = root.querySelector<HTMLElement>('[data-workspace]');
  if (!workspace) throw new Error('ex-panel: no workspace');

  const [payload, { createEditor }] = await Promise.all([fetchJson<ExercisePayload>(`${files}${lang}.json`), import('./editor.ts')]);
  const key = `ex-${id}`;
  workspace.innerHTML = `
    <p class="ex-runtime" data-runtime aria-live="polite"></p>
    <progress class="ex-loading" data-loading hidden></progress>
    <p class="ex-notice" data-notice role="status"></p>
    <p class="ex-help" id="${key}-help">${esc(t.editorHelp)}</p>
    <p class="ex-tabmode" data-tabmode aria-live="polite"></p>
    <div class="ex-editor" data-editor></div>
    <div class="ex-buttons" role="group" aria-label="${esc(title)}">
      <button type="button" class="ex-primary" data-action="check">${esc(t.check)}</button>
      <button type="button" data-action="hint">${esc(t.hint)}</button>
      <button type="button" data-action="solution">${esc(t.showSolution)}</button>
      <button type="button" data-action="reset">${esc(t.reset)}</button>
    </div>
    <p class="ex-status" data-status role="status" aria-live="polite" aria-atomic="true"></p>
    <div data-hints></div>
    <section class="ex-results" data-results aria-labelledby="${key}-results-h" hidden><h4 class="ex-h" id="${key}-results-h" tabindex="-1">${esc(t.resultsHeading)}</h4><div data-result-body></div></section>
    <dialog class="ex-dialog" data-dialog aria-labelledby="${key}-dialog-text"><p id="${key}-dialog-text" data-dialog-text></p><form method="dialog" class="ex-buttons"><button value="cancel" data-dialog-cancel>${esc(t.cancel)}</button><button value="ok" class="ex-primary" data-dialog-ok></button></form></dialog>`;
  workspace.hidden = false;
  // The Open button and its line go in the same task as the workspace appears, so nothing moves under a pointer later.
  const openButton = root.querySelector<HTMLElement>('[data-open]');
  if (openButton) openButton.hidden = true;
  const openingLine = root.querySelector<HTMLElement>('[data-opening]');
  if (openingLine) openingLine.textContent = '';
  const q = <T extends HTMLElement>(sel: string) => workspace.querySelector<T>(sel)!;
  const notice = q<HTMLElement>('[data-notice]');
  const status = q<HTMLElement>('[data-status]');
  const runtimeLine = q<HTMLElement>('[data-runtime]');
  const loading = q<HTMLProgressElement>('[data-loading]');
  const results = q<HTMLElement>('[data-results]');
  const resultBody = q<HTMLElement>('[data-result-body]');
  const hintsBox = q<HTMLElement>('[data-hints]');
  const dialog = q<HTMLDialogElement>('[data-dialog]');
  const button = (action: string) => q<HTMLButtonElement>(`button[data-action="${action}"]`);

  const storage = window.localStorage;
  const save = (change: (r: ExerciseProgress) => void): ExerciseProgress => {
    try {
      record = updateProgress(storage, id, version, change);
    } catch (e) {
      change(record);
      notice.textContent = fill(t.storageFailed, { why: errorText(e) });
    }
    refreshProgressLine();
    // The overview table on the same page follows.
    root.dispatchEvent(new CustomEvent('ex-progress', { bubbles: true }));
    return record;
  };
  const stored = readProgress(storage).exercises[id];
  let record: ExerciseProgress = recordOf(readProgress(storage), id, version);
  const progressLine = root.querySelector<HTMLElement>('[data-progress]');
  const refreshProgressLine = () => {
    if (!progressLine) return;
    const solved = record.version === version && record.solved;
    const parts = [solved ? (record.solutionShown ? t.solvedWithSolution : t.solved) : t.notSolved];
    if (hintsUsed(record) > 0) parts.push(fill(t.hintsUsed, { n: hintsUsed(record) }));
    progressLine.textContent = parts.join(' · ');
    progressLine.dataset.status = solved ? 'solved' : 'started';
  };
  const notes: string[] = [];
  if (stored && stored.version !== version) {
    notes.push(fill(t.versionChanged, { old: stored.version, now: version }));
    record = save(() => undefined);
  } else if (stored?.code) notes.push(t.restored);
  notice.textContent = notes.join(' ');

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let pending: string | null = null;
  const flush = () => {
    clearTimeout(saveTimer);
    if (pending === null) return;
    const code = pending;
    pending = null;
    save((r) => {
      r.code = code === payload.starter ? null : code;
    });
  };
  window.addEventListener('pagehide', flush);

  const tabmode = q<HTMLElement>('[data-tabmode]');
  const editor = createEditor({
    parent: q<HTMLElement>('[data-editor]'),
    doc: record.code ?? payload.starter,
    lang,
    label: fill(t.editorLabel, { title }),
    describedBy: `${key}-help`,
    onChange: (code) => {
      pending = code;
      clearTimeout(saveTimer);
      saveTimer = setTimeout(flush, 400);
    },
    onTabMode: (indents) => {
      tabmode.textContent = indents ? '' : t.editorEscaped;
    },
  });

  // The whole text, for scripts driving the page (CodeMirror draws only the lines in view).
  Object.defineProperty(root, 'code', { get: () => editor.getCode(), configurable: true });

  hintsBox.innerHTML = renderHints(t, payload, record);
  let last: CheckResult | null = null;

  // The runtime starts loading now, with a progress line; a missing archive is said here, once.
  let versionText = '';
  onLoadProgress((p) => {
    if (p.phase === 'ready') {
      // A Worker started again after a time limit: back to the version line once it is ready.
      if (versionText) {
        loading.hidden = true;
        runtimeLine.textContent = versionText;
      }
      return;
    }
    loading.hidden = false;
    if (p.total !== undefined && p.done !== undefined && p.total > 0) {
      loading.max = p.total;
      loading.value = Math.min(p.done, p.total);
    } else loading.removeAttribute('value');
    runtimeLine.textContent = progressText(t, p);
  });
  const showMissing = (m: { missing: string; howto: string }) => {
    loading.hidden = true;
    runtimeLine.innerHTML = missingHtml(t, m);
    button('check').disabled = true;
  };
  const startRuntime = (): Promise<ReadyRunner> => {
    runtimeLine.textContent = `${t.loadingRuntime}`;
    loading.hidden = false;
    loading.removeAttribute('value');
    return pageRunner(lang).then(
      (r) => {
        loading.hidden = true;
        versionText = versionLine(t, versionsOf(r.info));
        runtimeLine.textContent = versionText;
        root.dataset.runtime = 'ready';
        return r;
      },
      (e: unknown) => {
        if (e instanceof RuntimeMissing) showMissing({ missing: e.what, howto: e.howto });
        else {
          loading.hidden = true;
          runtimeLine.textContent = fill(t.runtimeFailed, { why: errorText(e) });
        }
        throw e;
      },
    );
  };
  let runner = startRuntime();
  runner.catch(() => undefined);

  const lineLabel = (n: number) => fill(t.goToLine, { n });
  resultBody.addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('button[data-line]');
    if (target) editor.goToLine(Number(target.dataset.line));
  });

  const confirmWith = (text: string, yes: string): Promise<boolean> =>
    new Promise((resolve) => {
      q<HTMLElement>('[data-dialog-text]').textContent = text;
      q<HTMLButtonElement>('[data-dialog-ok]').textContent = yes;
      dialog.returnValue = '';
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.showModal();
      // The safe answer has the focus, so Enter or Space does not throw away the learner's code.
      q<HTMLButtonElement>('[data-dialog-cancel]').focus();
    });

  button('check').addEventListener('click', async () => {
    const check = button('check');
    if (check.disabled) return;
    flush();
    check.disabled = true;
    check.setAttribute('aria-busy', 'true');
    status.textContent = t.running;
    try {
      let r;
      try {
        r = await runner;
      } catch {
        runner = startRuntime();
        r = await runner;
      }
      // The results view (with the visualizer's cookie anatomy and the engine's decoder) loads with the first result.
      const [{ renderResult, summaryLine }, result] = await Promise.all([import('./results.ts'), r.runner.check({ learner: editor.getCode(), tests: payload.tests, messages: payload.messages, lang, output_cap: OUTPUT_CAP }, { timeLimitMs: payload.timeLimitMs })]);
      last = result;
      // A page opened from a class link naming this server sends the check there (src/classroom/server-link.ts).
      void import('../../classroom/server-link.ts').then((m) => m.submitCheck({ id, version, lang, result, code: editor.getCode(), hintsUsed: hintsUsed(record), solutionShown: record.solutionShown }), () => undefined);
      resultBody.innerHTML = renderResult(t, lang, result, lineLabel);
      results.hidden = false;
      results.dataset.result = result.status;
      status.textContent = summaryLine(t, result);
      root.dataset.checks = String(Number(root.dataset.checks ?? '0') + 1);
      save((rec) => recordCheck(rec, result));
    } catch (e) {
      status.textContent = e instanceof RuntimeMissing ? t.runtimeMissing : fill(t.runtimeFailed, { why: errorText(e) });
    } finally {
      check.removeAttribute('aria-busy');
      check.disabled = runtimeLine.querySelector('[data-runtime-missing]') !== null;
    }
  });

  button('hint').addEventListener('click', () => {
    const task = hintTask(payload, record, last);
    if (task === null) {
      const anyHints = Object.values(payload.hints).some((h) => h.length > 0);
      const lastTask = payload.tasks.at(-1);
      status.textContent = anyHints && lastTask ? fill(t.noMoreHints, { task: lastTask.title }) : t.noHints;
      return;
    }
    save((r) => void (r.hints[task] = (r.hints[task] ?? 0) + 1));
    hintsBox.innerHTML = renderHints(t, payload, record);
    const level = record.hints[task]!;
    const total = payload.hints[task]!.length;
    const taskTitle = payload.tasks.find((x) => x.id === task)?.title ?? task;
    status.textContent = `${fill(t.hintFor, { level, total, task: taskTitle })}${lang === 'zh-CN' ? '：' : ': '}${hintText(payload.hints[task]![level - 1]!)}${level === total ? `${lang === 'zh-CN' ? '' : ' '}${fill(t.noMoreHints, { task: taskTitle })}` : ''}`;
  });

  button('solution').addEventListener('click', async () => {
    if (!(await confirmWith(t.confirmSolution, t.confirmSolutionYes))) return;
    try {
      const solution = await fetchJson<SolutionPayload>(`${files}solution.json`);
      editor.setCode(solution.code);
      pending = null;
      save((r) => {
        r.solutionShown = true;
        r.code = solution.code;
      });
      status.textContent = t.solutionShown;
      editor.focus();
    } catch (e) {
      status.textContent = fill(t.solutionFailed, { why: errorText(e) });
    }
  });

  button('reset').addEventListener('click', async () => {
    if (!(await confirmWith(t.confirmReset, t.confirmResetYes))) return;
    editor.setCode(payload.starter);
    pending = null;
    save((r) => void (r.code = null));
    status.textContent = t.resetDone;
    editor.focus();
  });

  refreshProgressLine();
  editor.focus();
}
