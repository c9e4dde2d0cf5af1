// <class-import>: reads students' files, checks each again (exercises in a pool of Python Workers, labs through
// their replay), draws the students × tasks table and its CSV. Student strings are only ever set as text.
import { parseClassCode, type Assignment } from '../../classroom/class-code.ts';
import { CLASS_STRINGS, describeRecordError, fill, toClassLang, type ClassStrings } from '../../classroom/i18n.ts';
import { MAX_FILE_BYTES, parseRecord, RecordError, type StudentFile } from '../../classroom/record.ts';
import { recheck, taskKey, tasksOf, type CurrentExercise, type ReplayLab, type RerunResult, type StudentRow, type Task } from '../../classroom/recheck.ts';
import { sortRows, toCsv, type SortDir, type SortKey } from '../../classroom/table.ts';
import type { Runner } from '../../exercises/runtime/client.ts';
import type { ExercisePayload } from '../exercises/model.ts';
import { exerciseFilesBase } from '../exercises/model.ts';
import { download } from './download.ts';
import type { SiteCatalog } from './catalog.ts';

// The labs' replay, as the class server finds it: the framework's replayLab (the first of its modules that exports
// it) for its labs, and replaySimulatedLab for the labs that run on simulated infrastructure. Loaded only when a
// file has labs.
const labModules = import.meta.glob<Record<string, unknown>>(['../../labs/runtime.ts', '../../labs/index.ts', '../../labs/replay.ts', '../../labs/simulated-labs.ts']);
const FRAMEWORK_MODULES = ['../../labs/runtime.ts', '../../labs/index.ts', '../../labs/replay.ts'];

async function findReplayLab(): Promise<ReplayLab | undefined> {
  let framework: ReplayLab | null = null;
  for (const path of FRAMEWORK_MODULES) {
    const mod = await labModules[path]?.();
    if (typeof mod?.replayLab === 'function') {
      framework = mod.replayLab as ReplayLab;
      break;
    }
  }
  const sim = await labModules['../../labs/simulated-labs.ts']?.();
  const simulated = typeof sim?.isSimulatedLab === 'function' && typeof sim.replaySimulatedLab === 'function' ? (sim as { isSimulatedLab: (slug: string) => boolean; replaySimulatedLab: ReplayLab }) : null;
  if (!framework && !simulated) return undefined;
  return (slug, seed, mode, log) => {
    if (simulated?.isSimulatedLab(slug)) return simulated.replaySimulatedLab(slug, seed, mode, log);
    if (framework) return framework(slug, seed, mode, log);
    return { solved: false, solvedAt: null, error: `this site cannot replay the lab "${slug}"` };
  };
}

/** How many Python Workers re-run code at once: two where the machine has cores to spare, else one. */
export function poolSize(cores = navigator.hardwareConcurrency || 2): number {
  return cores > 2 ? 2 : 1;
}

class RuntimeUnavailable extends Error {}

class ClassImport extends HTMLElement {
  private t!: ClassStrings;
  private pageLang: 'en' | 'zh-CN' = 'en';
  private catalog!: SiteCatalog;
  private files: { fileName: string; file: StudentFile }[] = [];
  private rows: StudentRow[] = [];
  private tasks: Task[] = [];
  private sort: { key: SortKey; dir: SortDir } = { key: 'name', dir: 'ascending' };
  private runners: Promise<Runner>[] = [];
  private payloads = new Map<string, Promise<ExercisePayload>>();
  private runs = new Map<string, Promise<RerunResult>>();
  private busy: Promise<void> = Promise.resolve();

  connectedCallback(): void {
    this.pageLang = toClassLang(this.dataset.lang);
    this.t = CLASS_STRINGS[this.pageLang];
    this.catalog = JSON.parse(this.dataset.catalog ?? '{}') as SiteCatalog;
    const input = this.q<HTMLInputElement>('[data-files]');
    input.addEventListener('change', () => {
      const list = [...(input.files ?? [])];
      input.value = '';
      this.enqueue(list);
    });
    const drop = this.q<HTMLElement>('[data-drop]');
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.dataset.over = '';
    });
    drop.addEventListener('dragleave', () => delete drop.dataset.over);
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      delete drop.dataset.over;
      this.enqueue([...(e.dataTransfer?.files ?? [])]);
    });
    this.q<HTMLButtonElement>('[data-csv]').addEventListener('click', () => this.downloadCsv());
    this.q<HTMLButtonElement>('[data-clear]').addEventListener('click', () => {
      this.files = [];
      this.rows = [];
      this.q<HTMLElement>('[data-refused]').replaceChildren();
      this.drawTable();
      this.status(this.t.noFilesYet);
    });
  }

  private q<T extends HTMLElement>(sel: string): T {
    return this.querySelector<T>(sel)!;
  }

  private status(text: string): void {
    this.q<HTMLElement>('[data-import-status]').textContent = text;
  }

  /** Imports run one after another (a second drop waits for the first). */
  private enqueue(list: File[]): void {
    if (!list.length) return;
    this.busy = this.busy.then(() => this.importFiles(list)).catch((e: unknown) => this.status(e instanceof Error ? e.message : String(e)));
  }

  private async importFiles(list: File[]): Promise<void> {
    const t = this.t;
    this.dataset.state = 'reading';
    this.status(fill(t.reading, { n: list.length }));
    const refused: { file: string; why: string }[] = [];
    for (const f of list) {
      if (!/\.json$/i.test(f.name)) {
        refused.push({ file: f.name, why: t.notJsonName });
        continue;
      }
      if (f.size > MAX_FILE_BYTES) {
        refused.push({ file: f.name, why: describeRecordError(t, new RecordError('too-big', '', `${f.size} > ${MAX_FILE_BYTES} bytes`)) });
        continue;
      }
      try {
        const file = parseRecord(await f.text(), f.size);
        // The same file dropped again replaces its row.
        this.files = this.files.filter((x) => !(x.fileName === f.name && x.file.name === file.name));
        this.files.push({ fileName: f.name, file });
      } catch (e) {
        refused.push({ file: f.name, why: e instanceof RecordError ? describeRecordError(t, e) : fill(t.unreadable, { why: e instanceof Error ? e.message : String(e) }) });
      }
    }
    this.drawRefused(refused);
    await this.checkAll();
    this.status(fill(t.doneSummary, { ok: this.files.length, bad: refused.length }));
    this.dataset.state = 'done';
  }

  private drawRefused(refused: { file: string; why: string }[]): void {
    const box = this.q<HTMLElement>('[data-refused]');
    if (!refused.length) {
      box.replaceChildren();
      return;
    }
    const h = document.createElement('h3');
    h.textContent = this.t.refusedHeading;
    const ul = document.createElement('ul');
    ul.className = 'class-refused';
    for (const r of refused) {
      const li = document.createElement('li');
      li.dataset.refused = r.file;
      li.textContent = fill(this.t.refused, { file: r.file, why: r.why });
      ul.append(li);
    }
    box.replaceChildren(h, ul);
  }

  /** The assignment all files share (their class code), or null when they differ or have none. */
  private sharedAssignment(): Assignment | null {
    const codes = new Set(this.files.map((f) => f.file.classCode));
    const [code] = [...codes];
    if (codes.size !== 1 || !code) return null;
    try {
      return parseClassCode(code);
    } catch {
      return null;
    }
  }

  private payload(id: string): Promise<ExercisePayload> {
    let p = this.payloads.get(id);
    if (!p) {
      p = fetch(`${exerciseFilesBase(id)}${this.pageLang}.json`).then(async (res) => {
        if (!res.ok) throw new Error(`${exerciseFilesBase(id)}${this.pageLang}.json: HTTP ${res.status}`);
        return (await res.json()) as ExercisePayload;
      });
      p.catch(() => this.payloads.delete(id));
      this.payloads.set(id, p);
    }
    return p;
  }

  private runner(slot: number): Promise<Runner> {
    this.runners[slot] ??= (async () => {
      const client = await import('../../exercises/runtime/client.ts');
      const manifest = await client.fetchManifest();
      if (!manifest || manifest.missing || !manifest.archive) {
        throw new RuntimeUnavailable(fill(this.t.runtimeMissing, { why: manifest?.missing ?? '/runtime/manifest.json', howto: manifest?.howto ?? 'npm run build' }));
      }
      const r = client.createRunner({ lang: this.pageLang });
      await r.ready();
      return r;
    })();
    this.runners[slot].catch(() => {
      delete this.runners[slot];
    });
    return this.runners[slot];
  }

  private async runCheck(slot: number, id: string, code: string): Promise<RerunResult> {
    const key = `${id}\u0000${code}`;
    let run = this.runs.get(key);
    if (!run) {
      run = (async () => {
        const [payload, runner] = await Promise.all([this.payload(id), this.runner(slot)]);
        // Twice the learner's limit (at least 10 s): the teacher's page runs a whole class, and a busy machine must
        // not turn a correct answer into a timeout.
        return runner.check({ learner: code, tests: payload.tests, messages: payload.messages, lang: this.pageLang, output_cap: 2000 }, { timeLimitMs: Math.max(payload.timeLimitMs * 2, 10_000) });
      })();
      this.runs.set(key, run);
      run.catch(() => this.runs.delete(key));
    }
    return run;
  }

  private async checkAll(): Promise<void> {
    const t = this.t;
    this.tasks = tasksOf(
      this.files.map((f) => f.file),
      this.sharedAssignment(),
    );
    const known = new Map(this.catalog.exercises.map((e) => [e.id, e]));
    const exercises: CurrentExercise[] = [];
    for (const task of this.tasks) {
      if (task.kind !== 'exercise' || !known.has(task.id)) continue;
      try {
        exercises.push({ id: task.id, version: known.get(task.id)!.version, starter: (await this.payload(task.id)).starter });
      } catch {
        // The exercise's files cannot be fetched: its cells say "not on this site".
      }
    }
    const replayLab = this.files.some((f) => Object.keys(f.file.labs).length > 0) ? await findReplayLab() : undefined;
    const progress = this.q<HTMLProgressElement>('[data-import-progress]');
    const slots = poolSize();
    let runtimeNote = '';
    const needsRuntime = this.files.some((f) => Object.keys(f.file.exercises).length > 0);
    if (needsRuntime && !this.runners.length) this.status(fill(t.loadingRuntime, { n: slots }));
    this.dataset.state = 'checking';
    this.rows = await recheck(this.files, this.tasks, {
      exercises,
      labs: this.catalog.labs.map((l) => l.slug),
      slots,
      replayLab,
      runCheck: async (slot, id, code) => {
        try {
          return await this.runCheck(slot, id, code);
        } catch (e) {
          if (e instanceof RuntimeUnavailable) runtimeNote = e.message;
          throw e;
        }
      },
      onProgress: (done, total) => {
        progress.hidden = total === 0 || done === total;
        progress.max = Math.max(total, 1);
        progress.value = done;
        if (total > 0 && done > 0) this.status(fill(t.progress, { done, total }));
      },
    });
    progress.hidden = true;
    this.drawTable();
    if (runtimeNote) this.status(runtimeNote);
  }

  private taskTitle(task: Task): string {
    if (task.kind === 'exercise') return this.catalog.exercises.find((e) => e.id === task.id)?.title ?? task.id;
    const lab = this.catalog.labs.find((l) => l.slug === task.id);
    return `${this.t.labWord}${this.t.colon}${lab?.title ?? task.id}`;
  }

  private drawTable(): void {
    const t = this.t;
    const wrap = this.q<HTMLElement>('[data-table-wrap]');
    const table = this.q<HTMLTableElement>('[data-table]');
    this.q<HTMLButtonElement>('[data-csv]').disabled = this.rows.length === 0;
    this.q<HTMLButtonElement>('[data-clear]').disabled = this.rows.length === 0;
    wrap.hidden = this.rows.length === 0;
    if (!this.rows.length) {
      table.replaceChildren();
      return;
    }
    const caption = document.createElement('caption');
    caption.textContent = t.tableCaption;
    const headRow = document.createElement('tr');
    const header = (key: SortKey, text: string, title?: string) => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.dataset.sortKey = key;
      if (this.sort.key === key) th.setAttribute('aria-sort', this.sort.dir);
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'class-sort';
      b.textContent = text + (this.sort.key === key ? (this.sort.dir === 'ascending' ? ' ▲' : ' ▼') : '');
      b.setAttribute('aria-label', fill(t.sortBy, { column: title ?? text }));
      b.addEventListener('click', () => {
        this.sort = { key, dir: this.sort.key === key && this.sort.dir === 'ascending' ? 'descending' : 'ascending' };
        this.drawTable();
        this.q<HTMLButtonElement>(`th[data-sort-key="${CSS.escape(key)}"] button`).focus();
      });
      th.append(b);
      headRow.append(th);
    };
    header('name', t.student);
    header('solved', t.solvedColumn);
    header('flagged', t.flagsColumn);
    for (const task of this.tasks) header(`task:${taskKey(task)}`, this.taskTitle(task));
    const thead = document.createElement('thead');
    thead.append(headRow);
    const tbody = document.createElement('tbody');
    for (const row of sortRows(this.rows, this.sort.key, this.sort.dir, this.pageLang)) {
      const tr = document.createElement('tr');
      tr.dataset.student = row.name;
      const th = document.createElement('th');
      th.scope = 'row';
      const name = document.createElement('span');
      name.textContent = row.name;
      const file = document.createElement('small');
      file.textContent = row.fileName;
      th.append(name, document.createElement('br'), file);
      const solved = document.createElement('td');
      solved.dataset.solved = String(row.solved);
      solved.textContent = `${row.solved}/${this.tasks.length}`;
      const flagged = document.createElement('td');
      flagged.textContent = String(row.flagged);
      tr.append(th, solved, flagged);
      for (const task of this.tasks) {
        const c = row.cells[taskKey(task)]!;
        const td = document.createElement('td');
        td.dataset.task = taskKey(task);
        td.dataset.state = c.state;
        td.dataset.flags = c.flags.join(' ');
        const state = document.createElement('span');
        state.className = 'class-state';
        state.textContent = t.state[c.state];
        td.append(state);
        if (c.flags.length) {
          const ul = document.createElement('ul');
          ul.className = 'class-flags';
          for (const f of c.flags) {
            const li = document.createElement('li');
            li.dataset.flag = f;
            li.textContent = fill(t.flagShort[f], { version: c.version ?? '?', current: c.currentVersion ?? '?', n: c.hintsUsed });
            ul.append(li);
          }
          td.append(ul);
        }
        // What the re-run reported, as text: the runner's message, or how many tests did not pass (named in the title).
        const said = c.message ?? (c.failedTests.length ? fill(t.failedTests, { n: c.failedTests.length, total: c.testCount }) : '');
        const small = document.createElement('small');
        if (said) {
          small.className = 'class-said';
          small.textContent = said.length > 160 ? `${said.slice(0, 159)}…` : said;
          if (c.failedTests.length) small.title = c.failedTests.join(', ');
        }
        if (said) td.append(small);
        tr.append(td);
      }
      tbody.append(tr);
    }
    table.replaceChildren(caption, thead, tbody);
  }

  private downloadCsv(): void {
    const t = this.t;
    const csv = toCsv(sortRows(this.rows, this.sort.key, this.sort.dir, this.pageLang), this.tasks, {
      student: t.student,
      file: t.file,
      solved: t.solvedColumn,
      state: t.state,
      flag: t.flag,
      taskTitle: (task) => this.taskTitle(task),
    });
    download(`class-results-${new Date().toISOString().slice(0, 10)}.csv`, csv, 'text/csv;charset=utf-8');
  }
}

if (!customElements.get('class-import')) customElements.define('class-import', ClassImport);
