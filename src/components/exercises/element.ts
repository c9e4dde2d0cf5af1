// <ex-panel>: the only exercise code a lesson page loads before the learner opens an exercise. It shows the stored
// progress line and, on the first press of Open, imports the workspace (editor, runtime client, results view).
// Its few words arrive from the page (data-strings), so no translation table ships before opening.
import { hintsUsed, readProgress, statusOf } from './progress.ts';
import { fill } from '../../i18n/fill.ts';

interface ElementStrings {
  solved: string;
  solvedWithSolution: string;
  notSolved: string;
  notStarted: string;
  hintsUsed: string;
  versionChanged: string;
  opening: string;
  openFailed: string;
}

const fillIn = fill;

class ExPanel extends HTMLElement {
  connectedCallback(): void {
    const t = JSON.parse(this.dataset.strings ?? '{}') as ElementStrings;
    const id = this.dataset.id ?? '';
    const version = Number(this.dataset.version);
    let file;
    try {
      file = readProgress(window.localStorage);
    } catch {
      file = { format: 1 as const, exercises: {} };
    }
    const status = statusOf(file, id, version);
    const line = this.querySelector<HTMLElement>('[data-progress]');
    if (line) {
      const r = file.exercises[id];
      const parts = [status === 'solved' ? (r?.solutionShown ? t.solvedWithSolution : t.solved) : status === 'not-started' ? t.notStarted : t.notSolved];
      if (r && hintsUsed(r) > 0) parts.push(fillIn(t.hintsUsed, { n: hintsUsed(r) }));
      if (status === 'changed' && r) parts.push(fillIn(t.versionChanged, { old: r.version, now: version }));
      line.textContent = parts.join(' · ');
      line.dataset.status = status;
    }
    const open = this.querySelector<HTMLButtonElement>('[data-open]');
    const opening = this.querySelector<HTMLElement>('[data-opening]');
    open?.addEventListener('click', () => {
      if (this.dataset.state === 'opening' || this.dataset.state === 'open') return;
      this.dataset.state = 'opening';
      if (opening) opening.textContent = t.opening;
      import('./controller.ts')
        .then((m) => m.openPanel(this))
        .then(() => {
          this.dataset.state = 'open';
        })
        .catch((error: unknown) => {
          this.dataset.state = 'failed';
          if (opening) opening.textContent = `${t.openFailed} (${error instanceof Error ? error.message : String(error)})`;
        });
    });
  }
}

if (!customElements.get('ex-panel')) customElements.define('ex-panel', ExPanel);

export {};
