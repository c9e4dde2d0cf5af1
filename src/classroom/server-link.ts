// The student side of the class server (`npm run classroom`): a page opened from a class link whose `server`
// is this page's own origin sends each exercise check and each solved lab there, as it happens. Any other page
// sends nothing: no class link, a link without a server (the file route), or a server on another origin (the
// page's Content-Security-Policy would refuse it anyway, and a link must not be able to send a learner's code
// elsewhere).
//
// The class link is `#class=<base64url of JSON {v:1, name, exercises, labs, due, server?, token?}>`; `server` is
// the class's own address on the class server (`http://host:port/class/<id>/`) and `token` the class token. The
// link is remembered for the tab (sessionStorage), so the learner can move between pages after opening it.
// Loaded on demand (a dynamic import after a check or a solved lab): it costs a page nothing until then.

/** sessionStorage key of the remembered class link (this tab only). */
export const CLASS_LINK_KEY = 'flask-session-lab:class-server:v1';
/** localStorage keys: the learner's random id (so two learners of the same name stay apart) and name. */
export const LEARNER_KEY = 'flask-session-lab:learner:v1';
export const NAME_KEY = 'flask-session-lab:student-name:v1';

/** Where and how this tab submits. */
export interface ClassLink {
  /** The class's address on the class server, ending in `/`. */
  readonly server: string;
  readonly token: string;
}

/** What the exercise panel knows after a check. */
export interface CheckedExercise {
  readonly id: string;
  readonly version: number;
  readonly lang: string;
  readonly result: unknown;
  readonly code: string;
  readonly hintsUsed: number;
  readonly solutionShown: boolean;
}

/** What a lab knows when it marks itself solved (the contract's lab entry). */
export interface SolvedLab {
  readonly slug: string;
  readonly seed: string;
  readonly mode: string;
  readonly log: unknown;
  readonly claimedSolved: boolean;
  readonly firstSolvedAt: string | null;
  readonly lang?: string;
}

function base64urlJson(text: string): unknown {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
}

/**
 * The class link a URL fragment carries, when it names a server on `origin`; null otherwise (no class code,
 * an unreadable one, no server, another origin, no token).
 */
export function classLinkFrom(hash: string, origin: string): ClassLink | null {
  const m = /(?:^#|[#&])class=([A-Za-z0-9_-]+)/.exec(hash);
  if (!m) return null;
  let code: unknown;
  try {
    code = base64urlJson(m[1]!);
  } catch {
    return null;
  }
  if (typeof code !== 'object' || code === null) return null;
  const { server, token } = code as { server?: unknown; token?: unknown };
  if (typeof server !== 'string' || typeof token !== 'string' || !token) return null;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return null;
  }
  if (url.origin !== origin || !url.pathname.startsWith('/class/')) return null;
  return { server: url.href.endsWith('/') ? url.href : `${url.href}/`, token };
}

function storageOf(kind: 'sessionStorage' | 'localStorage'): Storage | null {
  try {
    return window[kind];
  } catch {
    return null;
  }
}

/** Remembers the class link of `hash` for this tab, when it has one for this origin; returns the tab's link. */
export function rememberClassLink(hash = location.hash): ClassLink | null {
  const found = classLinkFrom(hash, location.origin);
  const store = storageOf('sessionStorage');
  if (found) {
    try {
      store?.setItem(CLASS_LINK_KEY, JSON.stringify(found));
    } catch {
      // storage refused: this page still submits
    }
    return found;
  }
  try {
    const kept = JSON.parse(store?.getItem(CLASS_LINK_KEY) ?? 'null') as ClassLink | null;
    return kept && typeof kept.server === 'string' && typeof kept.token === 'string' && new URL(kept.server).origin === location.origin ? kept : null;
  } catch {
    return null;
  }
}

function learnerId(): string {
  const store = storageOf('localStorage');
  let id = store?.getItem(LEARNER_KEY) ?? '';
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
    try {
      store?.setItem(LEARNER_KEY, id);
    } catch {
      // a fresh id per page then
    }
  }
  return id;
}

function learnerName(lang: string): string | null {
  const store = storageOf('localStorage');
  const kept = store?.getItem(NAME_KEY)?.trim();
  if (kept) return kept;
  const asked = window.prompt(lang === 'zh-CN' ? '你的名字（老师的课堂面板上显示）：' : 'Your name (shown on the teacher’s class dashboard):')?.trim();
  if (!asked) return null;
  try {
    store?.setItem(NAME_KEY, asked);
  } catch {
    // asked again next time
  }
  return asked;
}

/** What the page says after each submission, in its language (a small status line at the foot of the window). */
export const LINK_STRINGS = {
  en: {
    sent: 'Sent to the class dashboard.',
    badLink: 'This class link is no longer valid: ask your teacher for the current one.',
    badName: 'The class server refused your name: use plain text, without < or >. It will be asked again next time.',
    tooLarge: 'This result is too large to send to the class server.',
    refused: 'The class server refused this result ({code}).',
    offline: 'The class server cannot be reached; this result was not sent.',
  },
  'zh-CN': {
    sent: '已发送到课堂面板。',
    badLink: '这个课堂链接已失效，请向老师索取新的链接。',
    badName: '课堂服务器不接受这个名字：请只用普通文字，不要包含 < 或 >。下次提交时会再次询问。',
    tooLarge: '这次结果太大，无法发送到课堂服务器。',
    refused: '课堂服务器拒绝了这次结果（{code}）。',
    offline: '无法连接课堂服务器，这次结果没有发送。',
  },
} as const;

/** The sentence for a submission's outcome. */
export function outcomeText(lang: string, outcome: { status: number; code: string | null } | 'offline'): string {
  const t = LINK_STRINGS[lang === 'zh-CN' ? 'zh-CN' : 'en'];
  if (outcome === 'offline') return t.offline;
  if (outcome.status === 201) return t.sent;
  if (outcome.status === 403 || outcome.status === 404) return t.badLink;
  if (outcome.status === 413) return t.tooLarge;
  if (outcome.code === 'markup-in-name' || outcome.code === 'bad-name') return t.badName;
  return t.refused.replace('{code}', outcome.code ?? String(outcome.status));
}

function say(text: string): void {
  let line = document.querySelector<HTMLElement>('[data-class-status]');
  if (!line) {
    line = document.createElement('p');
    line.dataset.classStatus = '';
    line.setAttribute('role', 'status');
    Object.assign(line.style, { position: 'fixed', insetInlineEnd: '1rem', insetBlockEnd: '1rem', margin: '0', padding: '.5rem .75rem', maxWidth: '24rem', zIndex: '100', background: 'var(--sl-color-bg-nav, Canvas)', color: 'var(--sl-color-text, CanvasText)', border: '1px solid var(--sl-color-hairline, GrayText)', borderRadius: '.25rem' });
    document.body.append(line);
  }
  line.textContent = text;
}

/** The outcome of a submission: sent (the server's answer) or not sent (why). */
export type SubmitOutcome = { sent: true; status: number; body: unknown } | { sent: false; reason: 'no-class' | 'no-name' | 'network' };

async function send(link: ClassLink, lang: string, entries: { exercises?: Record<string, unknown>; labs?: Record<string, unknown> }): Promise<SubmitOutcome> {
  const name = learnerName(lang);
  if (!name) return { sent: false, reason: 'no-name' };
  const body = { format: 'flasklab-submission', formatVersion: 1, token: link.token, learner: learnerId(), name, lang: lang === 'zh-CN' ? 'zh-CN' : 'en', ...entries };
  try {
    const res = await fetch(`${link.server}submit`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), keepalive: false });
    const answer: unknown = await res.json().catch(() => null);
    const code = typeof answer === 'object' && answer !== null && typeof (answer as { error?: unknown }).error === 'string' ? (answer as { error: string }).error : null;
    // A refused name is forgotten, so the next submission asks again.
    if (code === 'markup-in-name' || code === 'bad-name') storageOf('localStorage')?.removeItem(NAME_KEY);
    if (document.body) say(outcomeText(lang, { status: res.status, code }));
    return { sent: true, status: res.status, body: answer };
  } catch {
    if (document.body) say(outcomeText(lang, 'offline'));
    return { sent: false, reason: 'network' };
  }
}

/** Sends one exercise check to the class server of this tab's class link (nothing when there is none). */
export function submitCheck(c: CheckedExercise): Promise<SubmitOutcome> {
  const link = rememberClassLink();
  if (!link) return Promise.resolve({ sent: false, reason: 'no-class' });
  return send(link, c.lang, { exercises: { [c.id]: { version: c.version, result: c.result, code: c.code, hintsUsed: c.hintsUsed, solutionShown: c.solutionShown } } });
}

/** Sends one lab's record (its log is replayed on the server; the claim is not trusted). */
export function submitLab(l: SolvedLab): Promise<SubmitOutcome> {
  const link = rememberClassLink();
  if (!link) return Promise.resolve({ sent: false, reason: 'no-class' });
  return send(link, l.lang ?? document.documentElement.lang, { labs: { [l.slug]: { seed: l.seed, mode: l.mode, log: l.log, claimedSolved: l.claimedSolved, firstSolvedAt: l.firstSolvedAt } } });
}
