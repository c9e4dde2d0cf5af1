// The inspector's behaviour, loaded on first interaction: wires the form to the pure functions in inspect.ts.
import type { InspectorStrings } from '../../i18n/inspector.ts';
import { runRate, type CrackProgress } from './crack-loop.ts';
import { checkJwt, decodeCookie, extractCookieValue, flipPayloadChar, JWT_CRACK, looksLikeJwt, parseMaxAge, parseUtcMoment, signJson, verifyCookie } from './inspect.ts';
import { escapeHtml } from './tree.ts';
import { decodedHtml, jwtDecodedHtml, jwtVerdictHtml, signedHtml, text, verdictHtml } from './view.ts';

interface Parts {
  strings: InspectorStrings;
  wordlistUrl: string;
  cookie: HTMLTextAreaElement;
  secret: HTMLInputElement;
  json: HTMLTextAreaElement;
  file: HTMLInputElement;
  maxAge: HTMLInputElement;
  noMaxAge: HTMLInputElement;
  now: HTMLInputElement;
  realClock: HTMLInputElement;
  fixedClock: HTMLInputElement;
  slot: (name: string) => HTMLElement;
  button: (action: string) => HTMLButtonElement;
}

interface State {
  parts: Parts;
  worker: Worker | null;
  lastCookie: string | null;
  found: string | null;
  /** True once the reader chose a clock or a moment: a pasted cookie then no longer switches to the real time. */
  clockTouched: boolean;
}

const state = new WeakMap<HTMLElement, State>();

function partsOf(root: HTMLElement): Parts {
  const q = <T extends Element>(sel: string) => {
    const el = root.querySelector<T & Element>(sel);
    if (!el) throw new Error(`cookie-inspector: missing ${sel}`);
    return el as T;
  };
  return {
    strings: JSON.parse(root.dataset.strings ?? '{}') as InspectorStrings,
    wordlistUrl: root.dataset.wordlist ?? '/wordlists/flask-secrets.txt',
    cookie: q<HTMLTextAreaElement>('textarea[name="cookie"]'),
    secret: q<HTMLInputElement>('input[name="secret"]'),
    json: q<HTMLTextAreaElement>('textarea[name="json"]'),
    file: q<HTMLInputElement>('input[name="wordlist"]'),
    maxAge: q<HTMLInputElement>('input[name="maxage"]'),
    noMaxAge: q<HTMLInputElement>('input[name="nomaxage"]'),
    now: q<HTMLInputElement>('input[name="now"]'),
    realClock: q<HTMLInputElement>('input[name="clock"][value="real"]'),
    fixedClock: q<HTMLInputElement>('input[name="clock"][value="fixed"]'),
    slot: (name) => q<HTMLElement>(`[data-slot="${name}"]`),
    button: (action) => q<HTMLButtonElement>(`button[data-action="${action}"]`),
  };
}

/** Takes over a server-rendered <cookie-inspector>: listens to its fields and renders every result. */
export function attach(root: HTMLElement): void {
  if (state.has(root)) return;
  const parts = partsOf(root);
  const s: State = { parts, worker: null, lastCookie: null, found: null, clockTouched: false };
  state.set(root, s);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => refresh(root), 120);
  };
  parts.cookie.addEventListener('input', () => {
    onCookieTyped(root);
    soon();
  });
  parts.secret.addEventListener('input', soon);
  parts.maxAge.addEventListener('input', soon);
  parts.noMaxAge.addEventListener('change', () => refresh(root));
  for (const radio of [parts.realClock, parts.fixedClock]) {
    radio.addEventListener('change', () => {
      s.clockTouched = true;
      refresh(root);
    });
  }
  parts.now.addEventListener('input', () => {
    s.clockTouched = true;
    parts.fixedClock.checked = true;
    soon();
  });
  root.addEventListener('click', (event) => onClick(root, event));
  refresh(root);
}

/** Handles an event that happened before {@link attach} ran (the one that caused the code to load). */
export function replay(root: HTMLElement, event: Event): void {
  const s = state.get(root);
  if (event.type === 'click') onClick(root, event);
  else {
    if (s && event.type === 'input' && event.target === s.parts.cookie) onCookieTyped(root);
    if (s && event.type === 'change' && (event.target === s.parts.realClock || event.target === s.parts.fixedClock)) s.clockTouched = true;
    if (s && event.type === 'input' && event.target === s.parts.now) {
      s.clockTouched = true;
      s.parts.fixedClock.checked = true;
    }
    refresh(root);
  }
}

/**
 * The reader typed or pasted a cookie: the fixed moment was chosen for the built-in example, so unless the reader
 * picked a clock, their own cookie is checked at the current time.
 */
function onCookieTyped(root: HTMLElement): void {
  const s = state.get(root)!;
  s.parts.slot('flipped').textContent = '';
  if (!s.clockTouched && s.parts.fixedClock.checked) s.parts.realClock.checked = true;
}

/** The clock the reader chose: the moment to check at (Unix seconds) and max_age; undefined where a field is invalid. */
function clockOf(parts: Parts): { now: number | undefined; maxAge: number | null | undefined; real: boolean } {
  const maxAge = parseMaxAge(parts.maxAge.value, parts.noMaxAge.checked);
  parts.maxAge.disabled = parts.noMaxAge.checked;
  const badMaxAge = maxAge === undefined;
  parts.slot('maxage-error').hidden = !badMaxAge;
  parts.maxAge.setAttribute('aria-invalid', String(badMaxAge));
  const real = parts.realClock.checked;
  const now = real ? Math.floor(Date.now() / 1000) : parseUtcMoment(parts.now.value);
  const badNow = !real && now === undefined;
  parts.slot('now-error').hidden = !badNow;
  parts.now.setAttribute('aria-invalid', String(badNow));
  return { now, maxAge, real };
}

function onClick(root: HTMLElement, event: Event): void {
  const target = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button[data-action]') : null;
  if (!target || !root.contains(target)) return;
  const action = target.dataset.action;
  if (action === 'flip') flip(root);
  else if (action === 'resign') resign(root);
  else if (action === 'use-resigned') useResigned(root);
  else if (action === 'crack') void crack(root);
  else if (action === 'stop') stopCrack(root, true);
  else if (action === 'use-found') useFound(root);
}

/** Re-reads the cookie and key and renders the decoded and signature panels. */
export function refresh(root: HTMLElement): void {
  const s = state.get(root);
  if (!s) return;
  const { parts } = s;
  const t = parts.strings;
  const value = extractCookieValue(parts.cookie.value);
  const jwt = looksLikeJwt(value);
  const decoded = decodeCookie(value);
  const clock = clockOf(parts);
  if (jwt) {
    // Another format: said plainly, decoded and checked as an HS256 token (max_age does not apply: exp does).
    const checked = checkJwt(value, parts.secret.value, clock.now ?? Math.floor(Date.now() / 1000));
    parts.slot('decoded').innerHTML = jwtDecodedHtml(value, checked, t);
    parts.slot('verdict').innerHTML = jwtVerdictHtml(checked, t);
  } else parts.slot('decoded').innerHTML = decodedHtml(decoded, t);
  if (jwt) {
    // nothing more: the edit and flip tools are for Flask cookies
  } else if (clock.now === undefined || clock.maxAge === undefined) {
    parts.slot('verdict').innerHTML = `<p class="ci-verdict ci-neutral"><strong>${escapeHtml(clock.now === undefined ? t.nowInvalid : t.maxAgeInvalid)}</strong></p>`;
  } else {
    const check = { now: clock.now, maxAge: clock.maxAge, real: clock.real };
    parts.slot('verdict').innerHTML = verdictHtml(verifyCookie(value, parts.secret.value, check), t, check);
  }
  // A new cookie replaces the JSON being edited; a new key does not.
  if (value !== s.lastCookie) {
    s.lastCookie = value;
    if (decoded.ok && !jwt) parts.json.value = decoded.json;
    parts.slot('resigned').innerHTML = '';
    // A guess running or found for the old cookie says nothing about the new one.
    if (s.worker || s.found !== null) {
      stopCrack(root, false);
      s.found = null;
      parts.slot('crack').innerHTML = '';
      parts.slot('rate').textContent = '';
      (parts.slot('progress') as HTMLProgressElement).value = 0;
    }
  }
}

function flip(root: HTMLElement): void {
  const { parts } = state.get(root)!;
  const value = extractCookieValue(parts.cookie.value);
  const flipped = flipPayloadChar(value);
  if (!flipped) return;
  parts.cookie.value = flipped.cookie;
  refresh(root);
  parts.slot('flipped').innerHTML = text(parts.strings.flipped, {
    index: flipped.index + 1,
    from: value[flipped.index]!,
    to: flipped.cookie[flipped.index]!,
  });
}

function resign(root: HTMLElement): void {
  const { parts } = state.get(root)!;
  const secret = parts.secret.value;
  if (!secret) {
    parts.slot('resigned').innerHTML = `<p class="ci-bad">${escapeHtml(parts.strings.needSecret)}</p>`;
    parts.secret.focus();
    return;
  }
  // Signed at the moment the page checks at, so a cookie re-signed on the example's clock stays valid there.
  const now = clockOf(parts).now ?? Math.floor(Date.now() / 1000);
  parts.slot('resigned').innerHTML = signedHtml(signJson(parts.json.value, secret, now), parts.strings);
}

function useResigned(root: HTMLElement): void {
  const { parts } = state.get(root)!;
  const code = parts.slot('resigned').querySelector('[data-field="resigned"]');
  if (!code?.textContent) return;
  parts.cookie.value = code.textContent;
  parts.slot('flipped').textContent = '';
  refresh(root);
  parts.cookie.focus();
}

function useFound(root: HTMLElement): void {
  const s = state.get(root)!;
  if (s.found === null) return;
  s.parts.secret.value = s.found;
  refresh(root);
  s.parts.secret.focus();
}

function stopCrack(root: HTMLElement, announce: boolean): void {
  const s = state.get(root)!;
  s.worker?.terminate();
  s.worker = null;
  s.parts.button('stop').hidden = true;
  s.parts.button('crack').hidden = false;
  if (announce) {
    const progress = s.parts.slot('progress') as HTMLProgressElement;
    s.parts.slot('crack').innerHTML = `<p>${text(s.parts.strings.crackStopped, { tried: Math.round(progress.value).toLocaleString('en-US') })}</p>`;
    s.parts.button('crack').focus();
  }
}

async function crack(root: HTMLElement): Promise<void> {
  const s = state.get(root)!;
  const { parts } = s;
  const t = parts.strings;
  // Catch up with a cookie typed a moment ago, so the pending refresh cannot stop this run.
  refresh(root);
  stopCrack(root, false);
  const progress = parts.slot('progress') as HTMLProgressElement;
  const result = parts.slot('crack');
  const rate = parts.slot('rate');
  s.found = null;
  result.innerHTML = `<p>${escapeHtml(t.loading)}</p>`;
  progress.value = 0;
  progress.max = 1;
  let wordlist: ArrayBuffer;
  try {
    const file = parts.file.files?.[0];
    wordlist = file ? await file.arrayBuffer() : await (await fetch(parts.wordlistUrl)).arrayBuffer();
  } catch (e) {
    result.innerHTML = `<p class="ci-bad">${escapeHtml(t.crackError)}: ${escapeHtml(String((e as Error).message ?? e))}</p>`;
    return;
  }
  const worker = new Worker(new URL('./crack.worker.ts', import.meta.url), { type: 'module' });
  s.worker = worker;
  parts.button('crack').hidden = true;
  parts.button('stop').hidden = false;
  parts.button('stop').focus();
  worker.onmessage = (event: MessageEvent<(CrackProgress & { elapsed: number }) | { error: string }>) => {
    const data = event.data;
    if ('error' in data) {
      stopCrack(root, false);
      result.innerHTML = `<p class="ci-bad">${escapeHtml(t.crackError)}: ${escapeHtml(data.error)}</p>`;
      return;
    }
    progress.max = Math.max(1, data.total);
    progress.value = data.tried;
    progress.setAttribute('aria-valuetext', `${data.tried} / ${data.total}`);
    // The whole run so far: every guess since the worker started, over the time since it started.
    const r = runRate(data.tried, 0, data.elapsed);
    const counts = { tried: data.tried.toLocaleString('en-US'), total: data.total.toLocaleString('en-US') };
    rate.innerHTML =
      r.kind === 'rate'
        ? text(t.crackRate, { ...counts, rate: r.perSecond.toLocaleString('en-US') })
        : text(t.crackRateShort, { ...counts, ms: r.elapsedMs.toLocaleString('en-US') });
    if (!data.done) return;
    stopCrack(root, false);
    if (data.match !== null) {
      s.found = data.match;
      result.innerHTML =
        `<p class="ci-verdict ci-good"><strong>${text(t.crackFound, { key: '' })}</strong><code data-field="found">${escapeHtml(data.match)}</code></p>` +
        `<button type="button" class="ci-button" data-action="use-found">${escapeHtml(t.useFound)}</button>`;
    } else {
      result.innerHTML = `<p class="ci-verdict ci-bad">${text(t.crackNotFound, { total: data.total.toLocaleString('en-US') })}</p>`;
    }
    parts.button('crack').focus();
  };
  worker.onerror = (event) => {
    stopCrack(root, false);
    result.innerHTML = `<p class="ci-bad">${escapeHtml(t.crackError)}: ${escapeHtml(event.message)}</p>`;
  };
  result.innerHTML = '';
  const value = extractCookieValue(parts.cookie.value);
  if (looksLikeJwt(value)) result.innerHTML = `<p>${escapeHtml(t.jwt.crackNote)}</p>`;
  worker.postMessage({ cookie: value, wordlist, ...(looksLikeJwt(value) ? { options: JWT_CRACK } : {}) }, [wordlist]);
}
