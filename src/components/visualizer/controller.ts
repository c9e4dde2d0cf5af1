// Brings a server-rendered visualizer to life. Reading and stepping through the trace needs only the
// state embedded in the page; the engine (the Flask app, itsdangerous, zlib) is imported the first time
// the learner does something that sends a request or touches the browser's cookies or clock.
import { STRINGS, toLang, type Strings } from './i18n.ts';
import { renderClock, renderHistory, renderJar, renderNotes, renderTrace, statusText } from './render.ts';
import type { LabState } from './types.ts';
import type { Lab } from './model.ts';
import type { PresetId } from './presets.ts';
import type { Initiator } from './jar.ts';
import { pageClock } from '../page-clock.ts';

const HOUR = 3600;
const DAY = 24 * HOUR;

/** Moves the active step, clamped to the shown exchange. Pure. */
export function withStep(state: LabState, index: number): LabState {
  const steps = state.history[state.selected]?.steps ?? [];
  if (!steps.length) return state;
  return { ...state, step: Math.max(0, Math.min(steps.length - 1, index)) };
}

/** Shows another request from the history, at its first step. Pure. */
export function withExchange(state: LabState, index: number): LabState {
  if (index < 0 || index >= state.history.length) return state;
  return { ...state, selected: index, step: 0 };
}

/** The step a key press leads to, or null when the key is not a stepping key. */
export function stepForKey(key: string, current: number, total: number): number | null {
  switch (key) {
    case 'ArrowDown':
    case 'ArrowRight':
      return Math.min(total - 1, current + 1);
    case 'ArrowUp':
    case 'ArrowLeft':
      return Math.max(0, current - 1);
    case 'Home':
      return 0;
    case 'End':
      return total - 1;
    default:
      return null;
  }
}

class Controller {
  private readonly root: HTMLElement;
  private readonly t: Strings;
  private readonly id: string;
  /** The heading level of the trace (data-level, set by Visualizer.astro). */
  private readonly level: number;
  private state: LabState;
  private lab: Promise<Lab> | null = null;
  private busy = Promise.resolve();

  constructor(root: HTMLElement, state: LabState) {
    this.root = root;
    this.t = STRINGS[toLang(root.dataset.lang)];
    this.id = root.dataset.id ?? 'viz';
    this.level = root.dataset.level === '2' ? 2 : 3;
    this.state = state;
  }

  private q<T extends Element>(selector: string): T | null {
    return this.root.querySelector<T>(selector);
  }

  /** Imports the engine and replays the current preset, once; later calls share the same lab. */
  private engine(): Promise<Lab> {
    this.lab ??= import('./model.ts').then((m) => m.Lab.open(this.state.preset, { clock: pageClock() }));
    return this.lab;
  }

  /** Runs an action against the lab, one at a time, then re-renders. */
  private act(fn: (lab: Lab) => unknown | Promise<unknown>): Promise<void> {
    this.busy = this.busy.then(async () => {
      this.root.setAttribute('aria-busy', 'true');
      try {
        const lab = await this.engine();
        lab.selected = this.state.selected;
        lab.step = this.state.step;
        await fn(lab);
        this.state = lab.snapshot();
        this.render();
      } catch (err) {
        this.root.dataset.state = 'failed';
        console.error(err);
      } finally {
        this.root.removeAttribute('aria-busy');
      }
    });
    return this.busy;
  }

  private setState(next: LabState, focusStep = false): void {
    if (next === this.state) return;
    this.state = next;
    this.render(focusStep ? `step-${next.step}` : undefined);
  }

  /** Re-renders every changing region and puts focus back where it was. */
  render(focusKey?: string): void {
    const active = document.activeElement as HTMLElement | null;
    const key = focusKey ?? (active && this.root.contains(active) ? active.dataset.focusKey : undefined);
    const t = this.t;
    const set = (region: string, html: string) => {
      const el = this.q<HTMLElement>(`[data-region="${region}"]`);
      if (el && el.innerHTML !== html) el.innerHTML = html;
    };
    set('notes', renderNotes(t, this.state));
    set('jar', renderJar(t, this.state));
    set('clock', renderClock(t, this.state));
    set('history', renderHistory(t, this.state));
    set('trace', renderTrace(t, this.state, this.id, this.level));
    const live = this.q<HTMLElement>('[data-live]');
    if (live) live.textContent = statusText(t, this.state);
    const address = this.q<HTMLInputElement>('[data-address-input]');
    if (address && document.activeElement !== address) address.value = this.state.path;
    const keep = this.q<HTMLInputElement>('[data-keep-expired]');
    if (keep) keep.checked = this.state.keepExpired;
    const select = this.q<HTMLSelectElement>('[data-preset-select]');
    if (select) select.value = this.state.preset;
    for (const block of this.root.querySelectorAll<HTMLElement>('[data-preset-block]')) block.hidden = block.dataset.presetBlock !== this.state.preset;
    for (const item of this.root.querySelectorAll<HTMLElement>('[data-example-for]')) item.hidden = item.dataset.exampleFor !== this.state.preset;
    const scheme = this.q<HTMLSelectElement>('[data-scheme]');
    if (scheme) scheme.value = this.state.scheme;
    const initiator = this.q<HTMLSelectElement>('[data-initiator]');
    if (initiator) initiator.value = this.state.initiator;
    if (key) this.q<HTMLElement>(`[data-focus-key="${key}"]`)?.focus();
  }

  /** Wires every control. */
  start(): void {
    const root = this.root;
    root.addEventListener('click', (event) => {
      const target = (event.target as Element).closest<HTMLElement>('button');
      if (!target || !root.contains(target)) return;
      if (target.getAttribute('aria-disabled') === 'true') return;
      const d = target.dataset;
      if (d.step !== undefined) this.setState(withStep(this.state, Number(d.step)), true);
      else if (d.prev !== undefined) this.setState(withStep(this.state, this.state.step - 1));
      else if (d.next !== undefined) this.setState(withStep(this.state, this.state.step + 1));
      else if (d.exchange !== undefined) this.setState(withExchange(this.state, Number(d.exchange)));
      else if (d.example !== undefined) {
        const address = this.q<HTMLInputElement>('[data-address-input]');
        if (address) {
          address.value = d.example;
          address.focus();
        }
      }
      else if (d.action) void this.action(d.action);
    });
    root.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement;
      if (!target.closest('[data-steps]')) return;
      const steps = this.state.history[this.state.selected]?.steps.length ?? 0;
      const next = stepForKey(event.key, this.state.step, steps);
      if (next === null) return;
      event.preventDefault();
      this.setState(withStep(this.state, next), true);
    });
    this.q<HTMLFormElement>('[data-address]')?.addEventListener('submit', (event) => {
      event.preventDefault();
      const url = this.q<HTMLInputElement>('[data-address-input]')?.value ?? '/';
      void this.act((lab) => lab.send(url));
    });
    this.q<HTMLSelectElement>('[data-preset-select]')?.addEventListener('change', (event) => {
      const preset = (event.target as HTMLSelectElement).value as PresetId;
      void this.act((lab) => lab.selectPreset(preset));
    });
    const kind = () => {
      const scheme = (this.q<HTMLSelectElement>('[data-scheme]')?.value ?? 'https') as 'https' | 'http';
      const initiator = (this.q<HTMLSelectElement>('[data-initiator]')?.value ?? 'same-site') as Initiator;
      void this.act((lab) => lab.setRequestKind(scheme, initiator));
    };
    this.q<HTMLSelectElement>('[data-scheme]')?.addEventListener('change', kind);
    this.q<HTMLSelectElement>('[data-initiator]')?.addEventListener('change', kind);
    // One clock per page: when any widget moves it, this browser forgets expired cookies and shows the new time.
    pageClock().subscribe(() => void this.act(() => {}));
    this.q<HTMLInputElement>('[data-keep-expired]')?.addEventListener('change', (event) => {
      const keep = (event.target as HTMLInputElement).checked;
      void this.act((lab) => lab.setKeepExpired(keep));
    });
    // Warm the engine as soon as the learner reaches for a control that needs it.
    const warm = (event: Event) => {
      if ((event.target as Element).closest?.('[data-needs-engine]')) void this.engine();
    };
    root.addEventListener('pointerover', warm, { passive: true });
    root.addEventListener('focusin', warm);
    root.dataset.state = 'ready';
  }

  private action(name: string): Promise<void> {
    switch (name) {
      case 'tamper':
        return this.act((lab) => lab.tamper());
      case 'clear':
        return this.act((lab) => lab.clearCookies());
      case 'hour':
        return this.act((lab) => lab.advance(HOUR));
      case 'day':
        return this.act((lab) => lab.advance(DAY));
      case 'month':
        return this.act((lab) => lab.advance(31 * DAY));
      case 'reset-clock':
        return this.act((lab) => lab.resetClock());
      default:
        return Promise.resolve();
    }
  }
}

/** Hydrates one `<viz-lab>` element from the state the server embedded in it. */
export function hydrate(root: HTMLElement): void {
  const json = root.querySelector('script[data-state]')?.textContent;
  if (!json) return;
  const controller = new Controller(root, JSON.parse(json) as LabState);
  controller.start();
}
