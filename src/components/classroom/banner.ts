// <class-banner>: reads a class code from the page's fragment (`#class=…`), keeps it in this browser, shows the
// assignment with each task's progress, and exports the learner's file. Every student-facing string from a code
// (the class name) is set with textContent, never parsed as HTML.
import { classCodeFromHash, ClassCodeError, parseClassCode, type Assignment } from '../../classroom/class-code.ts';
import { CLASS_STRINGS, describeClassCodeError, describeRecordError, fill, toClassLang } from '../../classroom/i18n.ts';
import { buildRecord, readLabsProgress, recordFileName, RecordError } from '../../classroom/record.ts';
import { CLASS_KEY, STUDENT_NAME_KEY, storedLearnerKey } from '../../classroom/storage-keys.ts';
import { MAX_STUDENT_NAME, nameProblem } from '../../classroom/student-name.ts';
import { readProgress, statusOf } from '../exercises/progress.ts';
import type { SiteCatalog } from './catalog.ts';
import { download } from './download.ts';

export { CLASS_KEY, STUDENT_NAME_KEY };

function storedCode(): string | null {
  try {
    const raw = localStorage.getItem(CLASS_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as { code?: unknown };
    return typeof v.code === 'string' ? v.code : null;
  } catch {
    return null;
  }
}

/** The assignment open in this browser, or null (a stored code that no longer reads is dropped). */
export function openAssignment(): { code: string; assignment: Assignment } | null {
  const code = storedCode();
  if (code === null) return null;
  try {
    return { code, assignment: parseClassCode(code) };
  } catch {
    return null;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class ClassBanner extends HTMLElement {
  connectedCallback(): void {
    const lang = toClassLang(this.dataset.lang);
    const t = CLASS_STRINGS[lang];
    const catalog = JSON.parse(this.dataset.catalog ?? '{}') as SiteCatalog;
    const q = <T extends HTMLElement>(sel: string) => this.querySelector<T>(sel)!;
    const errorLine = q<HTMLElement>('[data-class-error]');
    const box = q<HTMLElement>('[data-assignment]');
    const forgetStatus = q<HTMLElement>('[data-forget-status]');

    const readHash = () => {
      const code = classCodeFromHash(location.hash);
      if (code === null) return;
      try {
        parseClassCode(code);
        localStorage.setItem(CLASS_KEY, JSON.stringify({ code, savedAt: new Date().toISOString() }));
        errorLine.hidden = true;
        errorLine.textContent = '';
      } catch (e) {
        errorLine.textContent = fill(t.badCode, { why: e instanceof ClassCodeError ? describeClassCodeError(t, e) : errorText(e) });
        errorLine.hidden = false;
      }
    };

    // The student's name, asked in the assignment before anything is sent or a lab set up for it.
    const nameForm = q<HTMLFormElement>('form[data-name-form]');
    const nameField = q<HTMLInputElement>('[data-name-input]');
    const nameError = q<HTMLElement>('[data-name-error]');
    const nameSaved = q<HTMLElement>('[data-name-saved]');
    const nameStatus = q<HTMLElement>('[data-name-status]');
    const nameChange = q<HTMLButtonElement>('[data-name-change]');
    const savedName = (): string | null => {
      try {
        return localStorage.getItem(STUDENT_NAME_KEY)?.trim() || null;
      } catch {
        return null;
      }
    };
    let editing = false;
    const showName = (wantEdit: boolean) => {
      const saved = savedName();
      const edit = wantEdit || !saved;
      nameForm.hidden = !edit;
      nameSaved.hidden = edit;
      this.dataset.studentName = saved ? 'saved' : 'missing';
      if (saved) q<HTMLElement>('[data-name-saved-text]').textContent = fill(t.nameSaved, { name: saved });
      if (edit && !nameField.value) nameField.value = saved ?? '';
    };
    /** The class server of the open assignment, when it is this page's own (the only one a page may send to). */
    const classServer = (a: Assignment | undefined) => {
      try {
        return a?.server && a.token && new URL(a.server).origin === location.origin ? { server: a.server, token: a.token } : null;
      } catch {
        return null;
      }
    };
    const register = async (a: Assignment, quiet: boolean) => {
      const link = classServer(a);
      const name = savedName();
      if (!link || !name || storedLearnerKey(localStorage, link.server)) return;
      const { registerLearner } = await import('../../classroom/server-link.ts');
      const got = await registerLearner(link, name);
      if (got) nameStatus.textContent = t.registered;
      else if (!quiet) nameStatus.textContent = t.registerFailed;
    };
    nameForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const problem = nameProblem(nameField.value);
      if (problem) {
        nameField.setAttribute('aria-invalid', 'true');
        nameError.textContent = fill(t.nameProblem[problem], { max: MAX_STUDENT_NAME });
        nameField.focus();
        return;
      }
      const name = nameField.value.trim();
      const before = savedName();
      nameField.removeAttribute('aria-invalid');
      nameError.textContent = '';
      try {
        localStorage.setItem(STUDENT_NAME_KEY, name);
      } catch {
        // Storage off: the name lasts for this page only.
      }
      // The export's name field follows, unless the learner typed another one there.
      const exportName = q<HTMLInputElement>('[data-student-name]');
      if (!exportName.value.trim() || exportName.value.trim() === before) exportName.value = name;
      editing = false;
      render();
      nameStatus.textContent = fill(t.nameSaved, { name });
      nameChange.focus();
      const open = openAssignment();
      if (open) void register(open.assignment, false);
    });
    nameChange.addEventListener('click', () => {
      editing = true;
      showName(true);
      nameStatus.textContent = '';
      nameField.focus();
    });

    const render = () => {
      const open = openAssignment();
      box.hidden = !open;
      this.dataset.assignment = open ? 'open' : 'none';
      if (!open) return;
      showName(editing);
      void register(open.assignment, true);
      const a = open.assignment;
      q<HTMLElement>('[data-assignment-title]').textContent = fill(t.assignmentFor, { name: a.name });
      q<HTMLElement>('[data-assignment-due]').textContent = a.due ? fill(t.dueOn, { date: new Date(`${a.due}T00:00:00`).toLocaleDateString(lang, { year: 'numeric', month: 'long', day: 'numeric' }) }) : t.noDue;
      const list = q<HTMLUListElement>('[data-assignment-tasks]');
      const progress = readProgress(localStorage);
      const labs = readLabsProgress(localStorage);
      const items: HTMLLIElement[] = [];
      const item = (kind: string, id: string, title: string | null, href: string | null, status: string, word: string) => {
        const li = document.createElement('li');
        li.dataset.task = `${kind}:${id}`;
        li.dataset.taskStatus = status;
        if (title && href) {
          const link = document.createElement('a');
          link.href = href;
          link.textContent = title;
          li.append(link);
        } else li.append(id);
        li.append(`${t.colon}${word}`);
        items.push(li);
      };
      for (const id of a.exercises) {
        const ex = catalog.exercises.find((e) => e.id === id);
        if (!ex) {
          item('exercise', id, null, null, 'unknown', t.taskUnknown);
          continue;
        }
        const s = statusOf(progress, id, ex.version);
        const status = s === 'solved' ? 'solved' : s === 'not-started' ? 'not-started' : 'started';
        item('exercise', id, ex.title, ex.href, status, status === 'solved' ? t.taskSolved : status === 'started' ? t.taskStarted : t.taskNotStarted);
      }
      for (const slug of a.labs) {
        const lab = catalog.labs.find((l) => l.slug === slug);
        if (!lab) {
          item('lab', slug, null, null, 'unknown', t.taskUnknown);
          continue;
        }
        const l = labs.labs[slug];
        const status = l?.solved ? 'solved' : l ? 'started' : 'not-started';
        item('lab', slug, `${t.labWord}${t.colon}${lab.title}`, lab.href, status, status === 'solved' ? t.taskSolved : status === 'started' ? t.taskStarted : t.taskNotStarted);
      }
      list.replaceChildren(...items);
      // A lab solved under another seed (before this class, or under another name) does not count here: said so.
      const solvedLabs = a.labs.filter((slug) => labs.labs[slug]?.solved);
      if (solvedLabs.length && savedName()) {
        void (async () => {
          const { classLabSeedFor } = await import('../../labs/progress.ts');
          for (const slug of solvedLabs) {
            const seed = await classLabSeedFor(slug);
            const li = list.querySelector<HTMLElement>(`li[data-task="lab:${slug}"]`);
            if (!seed || !li || (labs.labs[slug]!.seed ?? labs.learnerSeed) === seed) continue;
            li.dataset.taskStatus = 'elsewhere';
            li.lastChild!.textContent = `${t.colon}${t.taskSolvedElsewhere}`;
          }
        })();
      }
    };

    readHash();
    render();
    window.addEventListener('hashchange', () => {
      readHash();
      render();
    });
    // A panel on the same page saved progress.
    document.addEventListener('ex-progress', render);
    window.addEventListener('storage', render);

    q<HTMLButtonElement>('[data-forget]').addEventListener('click', () => {
      try {
        localStorage.removeItem(CLASS_KEY);
      } catch {
        // Nothing stored: nothing to forget.
      }
      if (classCodeFromHash(location.hash) !== null) history.replaceState(null, '', location.pathname + location.search);
      render();
      forgetStatus.textContent = t.forgotten;
    });

    const form = q<HTMLFormElement>('form[data-export]');
    const nameInput = q<HTMLInputElement>('[data-student-name]');
    const exportStatus = q<HTMLElement>('[data-export-status]');
    try {
      nameInput.value = localStorage.getItem(STUDENT_NAME_KEY) ?? '';
    } catch {
      // Storage off: the learner types the name each time.
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = nameInput.value.trim();
      if (!name) {
        nameInput.setAttribute('aria-invalid', 'true');
        exportStatus.textContent = t.exportNeedName;
        nameInput.focus();
        return;
      }
      nameInput.removeAttribute('aria-invalid');
      try {
        const open = openAssignment();
        const record = buildRecord({
          name,
          lang,
          siteVersion: catalog.siteVersion,
          classCode: open?.code ?? null,
          exercises: readProgress(localStorage),
          labs: readLabsProgress(localStorage),
        });
        const file = recordFileName(record);
        download(file, `${JSON.stringify(record, null, 2)}\n`, 'application/json');
        try {
          localStorage.setItem(STUDENT_NAME_KEY, name);
        } catch {
          // Not remembered: harmless.
        }
        exportStatus.textContent = fill(t.exported, { file, n: Object.keys(record.exercises).length, m: Object.keys(record.labs).length });
      } catch (e) {
        exportStatus.textContent = fill(t.exportFailed, { why: e instanceof RecordError ? describeRecordError(t, e) : errorText(e) });
      }
    });
  }
}

if (!customElements.get('class-banner')) customElements.define('class-banner', ClassBanner);
