// The Redis view's browser side: builds the lab (the engine's Flask app on an in-page Redis stand-in, or on
// the tutorials' in-process dict), restores the server-rendered state, and turns clicks into requests, clock
// jumps and redraws. Time is the page's virtual clock, shared with every other widget on the page: keys and
// cookies expire when it moves, never by themselves.
import { redisViewStrings, type RedisViewStrings } from './i18n.ts';
import { headingKind, memoryLabStore, SessionLab, type LabMode, type LabState } from './model.ts';
import { clockText, jarHtml, logEntryHtml, storeHtml } from './render.ts';
import { pageClock } from '../page-clock.ts';

interface View {
  el: HTMLElement;
  t: RedisViewStrings;
  workers: number;
  lab: Promise<SessionLab>;
  target: number | 'alternate';
}

const views = new WeakMap<HTMLElement, View>();

const slot = (el: HTMLElement, name: string) => el.querySelector<HTMLElement>(`[data-slot="${name}"]`)!;

async function buildLab(mode: LabMode, workers: number, state: LabState | null): Promise<SessionLab> {
  const clock = pageClock();
  const lab = await SessionLab.create({
    mode,
    workers,
    clock: () => clock.now(),
    makeStore: mode === 'custom' || mode === 'sql' || mode === 'files' ? () => Promise.reject(new Error(`mode ${mode} builds its own store`)) : memoryLabStore,
  });
  if (state && state.mode === mode) await lab.restore(state);
  return lab;
}

async function redraw(v: View): Promise<void> {
  const lab = await v.lab;
  const snap = await lab.snapshot();
  slot(v.el, 'store').innerHTML = storeHtml(snap.rows, snap.mode, snap.workers, v.t);
  slot(v.el, 'store-heading').textContent = v.t.storeHeading(headingKind(snap.mode));
  slot(v.el, 'jar').innerHTML = jarHtml(snap.jar, v.t);
  const clock = pageClock();
  slot(v.el, 'clock').textContent = clockText(v.t, clock.now(), clock.offset());
  const next = slot(v.el, 'next-worker');
  if (next) next.textContent = v.workers > 1 ? v.t.nextWorker(v.target === 'alternate' ? lab.nextWorker() : v.target) : '';
}

function status(v: View, text: string): void {
  slot(v.el, 'status').textContent = text;
}

async function run(v: View, work: (lab: SessionLab) => Promise<void>, button?: HTMLElement | null): Promise<void> {
  button?.setAttribute('aria-busy', 'true');
  try {
    const lab = await v.lab;
    status(v, '');
    await work(lab);
    await redraw(v);
  } catch (err) {
    status(v, `${v.t.failed} ${(err as Error).message}`);
  } finally {
    button?.removeAttribute('aria-busy');
  }
}

function requestUrl(el: HTMLElement, button: HTMLElement): string {
  const url = button.dataset.url!;
  const key = el.querySelector<HTMLInputElement>('[data-role="key"]')!.value;
  const value = el.querySelector<HTMLInputElement>('[data-role="value"]')!.value;
  const q = (s: string) => encodeURIComponent(s);
  if (button.dataset.needs === 'kv') return `${url}?key=${q(key)}&value=${q(value)}`;
  if (button.dataset.needs === 'k') return `${url}?key=${q(key)}`;
  return url;
}

function restart(v: View, mode: LabMode): void {
  // Starting over puts the page's clock back too: a fresh store at the epoch, like the build-time state.
  v.lab = buildLab(mode, v.workers, null);
  pageClock().reset();
  v.el.dataset.mode = mode;
  slot(v.el, 'log').innerHTML = '';
  slot(v.el, 'log-empty').hidden = false;
  status(v, v.t.loading);
  void run(v, async () => {});
}

function handle(v: View, event: Event): void {
  const target = event.target as HTMLElement;
  if (event.type === 'change' && target instanceof HTMLInputElement) {
    if (target.dataset.role === 'mode') restart(v, target.value as LabMode);
    else if (target.dataset.role === 'worker') {
      v.target = target.value === 'alternate' ? 'alternate' : Number(target.value);
      void run(v, async () => {});
    }
    return;
  }
  if (event.type !== 'click') return;
  const button = target.closest<HTMLElement>('button');
  if (!button || !v.el.contains(button)) return;
  if (button.dataset.url) {
    const url = requestUrl(v.el, button);
    void run(
      v,
      async (lab) => {
        const entry = await lab.send(url, v.target);
        const log = slot(v.el, 'log');
        log.insertAdjacentHTML('beforeend', logEntryHtml(entry, v.workers, v.t));
        slot(v.el, 'log-empty').hidden = true;
        const region = slot(v.el, 'log-region');
        region.scrollTop = region.scrollHeight;
      },
      button,
    );
  } else if (button.dataset.advance) {
    const seconds = Number(button.dataset.advance);
    void run(v, async () => pageClock().advance(seconds), button);
  } else if ('reset' in button.dataset) {
    const checked = v.el.querySelector<HTMLInputElement>('[data-role="mode"]:checked');
    restart(v, (checked?.value ?? v.el.dataset.mode) as LabMode);
  }
}

/** Takes over a server-rendered `<redis-view>`: builds its lab from the page's state and listens for input. */
export function attach(el: HTMLElement): void {
  if (views.has(el)) return;
  const state = JSON.parse(el.dataset.state ?? 'null') as LabState | null;
  const mode = (el.dataset.mode ?? '0.8') as LabMode;
  const workers = Number(el.dataset.workers ?? '1');
  // Several workers: requests take turns (a load balancer's round robin) unless the reader picks one.
  const v: View = { el, t: redisViewStrings(el.dataset.lang ?? 'en'), workers, lab: buildLab(mode, workers, state), target: workers > 1 ? 'alternate' : 1 };
  views.set(el, v);
  el.dataset.live = '';
  status(v, v.t.loading);
  v.lab.then(
    () => status(v, ''),
    (err: Error) => status(v, `${v.t.failed} ${err.message}`),
  );
  el.addEventListener('click', (e) => handle(v, e));
  el.addEventListener('change', (e) => handle(v, e));
  // Another widget on the page moved the clock: show the store and the jar as they are now.
  pageClock().subscribe(() => void run(v, async () => {}));
  void v.lab.then(() => {
    el.dataset.ready = '';
  });
}

/** Handles an event that arrived before {@link attach} (the one that woke the element). */
export function replay(el: HTMLElement, event: Event): void {
  const v = views.get(el);
  if (v) handle(v, event);
}
