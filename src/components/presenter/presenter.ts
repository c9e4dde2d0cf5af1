// Presenter mode on a page that offers it (see PresenterToggle.astro): the toggle button, the keys, and the state
// kept in localStorage and in the address. The look is all CSS on `html[data-present]`; PresenterEarly.astro sets
// that attribute before the first paint, and this script keeps it, the button, the storage and the address in step.
import { moveFor, paramState, STORAGE_KEY, withParam } from './keys.ts';

/** Widgets that step with the keys: the visualizer, and any widget marked with data-present-steps that has
 * [data-prev] / [data-next] buttons (aria-disabled at either end). */
const STEPPABLE = 'viz-lab, [data-present-steps]';
/** Where "next section" stops: the lesson's h2 headings and its demos. */
const STOPS = `.sl-markdown-content h2, .sl-markdown-content :is(${STEPPABLE}, redis-view, cookie-inspector, lab-panel, .wide-widget)`;
/** Focus in any of these keeps its own keys: typing, choosing, editing, and widgets that use the arrows themselves. */
const OWN_KEYS = [
  'input',
  'textarea',
  'select',
  '[contenteditable]:not([contenteditable="false"])',
  '.cm-editor',
  'dialog[open]',
  ...['tab', 'tablist', 'listbox', 'menu', 'menubar', 'radiogroup', 'slider', 'spinbutton', 'grid', 'tree', 'combobox'].map((r) => `[role="${r}"]`),
].join(', ');

const root = document.documentElement;
const button = document.querySelector<HTMLButtonElement>('[data-present-toggle]');
const status = document.querySelector<HTMLElement>('[data-present-status]');

const presenting = (): boolean => root.hasAttribute('data-present');

/** True when the focused element has its own use for the key. */
function keysTaken(target: Element | null): boolean {
  if (document.querySelector('dialog[open]')) return true;
  if (!target || target === document.body || !(target instanceof HTMLElement)) return false;
  if (target.closest(OWN_KEYS)) return true;
  // A focusable box that scrolls (a wide table, a long listing) scrolls with the arrows.
  const scrolls = target.scrollWidth > target.clientWidth || target.scrollHeight > target.clientHeight;
  return scrolls && target.tabIndex >= 0 && !target.matches('a, button, summary');
}

/** The top of the visible page below the fixed header, as the browser uses it when scrolling to a heading. */
function topEdge(): number {
  return parseFloat(getComputedStyle(root).scrollPaddingTop) || 0;
}

/** The steppable widget that fills most of the screen, if one fills at least half of it (or half of itself). */
function widgetInView(): HTMLElement | null {
  const top = topEdge();
  const bottom = window.innerHeight;
  let best: HTMLElement | null = null;
  let bestShare = 0.5;
  for (const el of document.querySelectorAll<HTMLElement>(STEPPABLE)) {
    const r = el.getBoundingClientRect();
    const seen = Math.min(r.bottom, bottom) - Math.max(r.top, top);
    const share = seen / Math.max(1, Math.min(r.height, bottom - top));
    if (share >= bestShare) {
      best = el;
      bestShare = share;
    }
  }
  return best;
}

function scrollTo(el: Element): void {
  const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
  el.scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' });
}

/** The next (or previous) stop: after `from` in the document when given, else below (above) the top of the screen. */
function moveSection(forward: boolean, from?: HTMLElement): void {
  const stops = [...document.querySelectorAll<HTMLElement>(STOPS)].filter((s) => !s.parentElement?.closest(STEPPABLE) && s.getClientRects().length > 0);
  const top = topEdge();
  let target: HTMLElement | undefined;
  if (from) {
    const after = (s: HTMLElement) => !from.contains(s) && (from.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    target = forward ? stops.find(after) : stops.filter((s) => !from.contains(s) && !after(s)).pop();
  } else {
    target = forward ? stops.find((s) => s.getBoundingClientRect().top > top + 4) : stops.filter((s) => s.getBoundingClientRect().top < top - 4).pop();
  }
  if (target) scrollTo(target);
  else if (!forward) window.scrollTo({ top: 0 });
}

/** Resolves once a visualizer has loaded its controls (asking it to start if it has not yet). */
function whenReady(widget: HTMLElement): Promise<boolean> {
  if (widget.localName !== 'viz-lab' || widget.dataset.state === 'ready') return Promise.resolve(true);
  if (widget.dataset.state === 'failed') return Promise.resolve(false);
  return new Promise((done) => {
    const watch = new MutationObserver(() => {
      if (widget.dataset.state === 'ready' || widget.dataset.state === 'failed') {
        watch.disconnect();
        done(widget.dataset.state === 'ready');
      }
    });
    watch.observe(widget, { attributes: true, attributeFilter: ['data-state'] });
    // The visualizer starts on focus as well as on scrolling near: a synthetic focusin starts it without moving focus.
    widget.dispatchEvent(new FocusEvent('focusin'));
  });
}

const usable = (b: HTMLElement | null): b is HTMLElement => b !== null && b.getAttribute('aria-disabled') !== 'true' && b.getClientRects().length > 0;

/** Widgets stepped by the keys since the page opened. */
const stepped = new WeakSet<HTMLElement>();

/** One step of a widget: its own next/previous step, else (visualizer) the next/previous request. False at the end. */
function stepWidget(widget: HTMLElement, forward: boolean): boolean {
  const step = widget.querySelector<HTMLElement>(forward ? '[data-next]' : '[data-prev]');
  const requests = [...widget.querySelectorAll<HTMLElement>('[data-exchange]')];
  const first = !stepped.has(widget);
  stepped.add(widget);
  // A visualizer opens on the last step of its last request (the demo's outcome). The first press forward on it
  // plays it from the start instead of leaving it: the first request, its first step.
  if (forward && first && !usable(step) && requests.at(-1)?.getAttribute('aria-current') === 'true') {
    if (requests.length > 1) requests[0]!.click();
    const start = widget.querySelector<HTMLElement>('[data-steps] [data-step]');
    if (start && (requests.length > 1 || start.closest('[aria-current="step"]') === null)) {
      start.click();
      return reveal(widget);
    }
  }
  if (usable(step)) {
    step.click();
  } else {
    const at = requests.findIndex((r) => r.getAttribute('aria-current') === 'true');
    const other = at === -1 ? null : (requests[forward ? at + 1 : at - 1] ?? null);
    if (!usable(other)) return false;
    other.click();
    // Going back lands on the previous request's last step, where going forward left it.
    if (!forward) [...widget.querySelectorAll<HTMLElement>('[data-steps] [data-step]')].pop()?.click();
  }
  return reveal(widget);
}

/** Keeps the step just shown on screen (a tall widget may have it below the fold). */
function reveal(widget: HTMLElement): true {
  const current = widget.querySelector('[aria-current="step"]');
  if (current) {
    const r = current.getBoundingClientRect();
    if (r.top < topEdge() || r.bottom > window.innerHeight) current.scrollIntoView({ block: 'nearest' });
  }
  return true;
}

async function move(forward: boolean): Promise<void> {
  const widget = widgetInView();
  if (widget && (await whenReady(widget)) && stepWidget(widget, forward)) return;
  moveSection(forward, widget ?? undefined);
}

/** Where the button sits: under the title, or while presenting in the header bar, in the place of the search box
 * (hidden then), so that leaving is one click away wherever the page is scrolled. */
const home = button?.parentElement ?? null;
const headerSlot = document.querySelector('header site-search')?.parentElement ?? null;

function place(on: boolean): void {
  const into = on ? headerSlot : home;
  if (!button || !into || button.parentElement === into) return;
  const focused = document.activeElement === button;
  into.prepend(button);
  if (focused) button.focus();
}

/** Turns the mode on or off, keeping what is at the top of the screen in place. */
function set(on: boolean, announce: boolean): void {
  const anchor = document.elementFromPoint(window.innerWidth / 2, topEdge() + 8);
  const before = anchor?.getBoundingClientRect().top ?? 0;
  const changed = presenting() !== on;
  root.toggleAttribute('data-present', on);
  button?.setAttribute('aria-pressed', String(on));
  place(on);
  try {
    localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
  } catch {
    // Storage may be refused (private windows, settings): the address still carries the mode.
  }
  const href = withParam(location.href, on);
  if (href !== location.href) history.replaceState(history.state, '', href);
  if (changed && anchor?.isConnected) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
  if (announce && status) status.textContent = (on ? status.dataset.on : status.dataset.off) ?? '';
}

if (button) {
  let stored = false;
  try {
    stored = localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    // As above: without storage, only the address decides.
  }
  set(paramState(location.search) ?? stored, false);

  button.addEventListener('click', () => set(!presenting(), true));
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    const what = moveFor(event, presenting());
    if (what === null || keysTaken(document.activeElement)) return;
    event.preventDefault();
    if (what === 'toggle') set(!presenting(), true);
    else if (what === 'exit') set(false, true);
    else void move(what === 'next');
  });
}
