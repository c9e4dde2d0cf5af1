// The student side of the class server (`npm run classroom`): a page opened from a class link whose `server`
// is this page's own origin sends each exercise check and each solved lab there, as it happens. Any other page
// sends nothing: no class link, a link without a server (the file route), or a server on another origin (the
// page's Content-Security-Policy would refuse it anyway, and a link must not be able to send a learner's code
// elsewhere).
//
// The class link is `#class=<base64url of JSON {v:1, name, exercises, labs, due, server?, token?}>`; `server` is
// the class's own address on the class server (`http://host:port/class/<id>/`) and `token` the class token. The
// link is remembered for the tab (sessionStorage), so the learner can move between pages after opening it.
// The student's name comes from the name form of the assignment (src/components/classroom/banner.ts); with it the
// page registers its learner id once and gets a key of its own, which every later submission carries and from
// which the labs' seeds derive (src/labs/progress.ts labSeed), so nobody else can send in this learner's name or
// compute their labs.
// Loaded on demand (a dynamic import after a check, a solved lab, a saved name): it costs a page nothing until then.
import { LEARNER_KEY_KEY, STUDENT_NAME_KEY, storedLearnerKey, type StoredLearnerKey } from './storage-keys.ts';

/** sessionStorage key of the remembered class link (this tab only). */
export const CLASS_LINK_KEY = 'flask-session-lab:class-server:v1';
/** localStorage keys: the learner's random id (so two learners of the same name stay apart) and name. */
export const LEARNER_KEY = 'flask-session-lab:learner:v1';
export const NAME_KEY = STUDENT_NAME_KEY;

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

function newLearnerId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

function learnerId(store: Pick<Storage, 'getItem' | 'setItem'> | null, fresh = false): string {
  let id = fresh ? '' : (store?.getItem(LEARNER_KEY) ?? '');
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    id = newLearnerId();
    try {
      store?.setItem(LEARNER_KEY, id);
    } catch {
      // a fresh id per page then
    }
  }
  return id;
}

/** The name saved by the name form, or null (nothing is sent without one). */
function learnerName(): string | null {
  return storageOf('localStorage')?.getItem(NAME_KEY)?.trim() || null;
}

/**
 * This learner's key for the class at `link`: the one kept in this browser, or a new one the class server gives
 * when the learner id and `name` are registered (a learner id registered already, e.g. by a browser whose storage
 * was cleared, is replaced by a new one). Null when the server cannot be reached or refuses.
 */
export function registerLearner(link: ClassLink, name: string, store: Pick<Storage, 'getItem' | 'setItem'> | null = storageOf('localStorage')): Promise<StoredLearnerKey | null> {
  const kept = storedLearnerKey(store, link.server);
  if (kept) return Promise.resolve(kept);
  // One registration at a time per class (the name form and a lab may ask together): the others wait for it.
  let asked = registering.get(link.server);
  if (!asked) {
    asked = register(link, name, store).finally(() => registering.delete(link.server));
    registering.set(link.server, asked);
  }
  return asked;
}

const registering = new Map<string, Promise<StoredLearnerKey | null>>();

async function register(link: ClassLink, name: string, store: Pick<Storage, 'getItem' | 'setItem'> | null): Promise<StoredLearnerKey | null> {
  for (const fresh of [false, true]) {
    const learner = learnerId(store, fresh);
    let res: Response;
    try {
      res = await fetch(`${link.server}register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ format: 'flasklab-register', formatVersion: 1, token: link.token, learner, name }) });
    } catch {
      return null;
    }
    const answer = (await res.json().catch(() => null)) as { key?: unknown; error?: unknown } | null;
    if (res.status === 201 && typeof answer?.key === 'string') {
      const got: StoredLearnerKey = { server: link.server, learner, key: answer.key };
      try {
        store?.setItem(LEARNER_KEY_KEY, JSON.stringify(got));
      } catch {
        // not kept: registered again next time, under a new id
      }
      return got;
    }
    if (answer?.error !== 'learner-taken') return null;
  }
  return null;
}

/** What the page says after each submission, in its language (a small status line at the foot of the window). */
export const LINK_STRINGS = {
  en: {
    sent: 'Sent to the class dashboard.',
    badLink: 'This class link is no longer valid: ask your teacher for the current one.',
    badName: 'The class server refused your name: use plain text, without < or >, and save it again in the class box of the exercises page.',
    keyReset: 'The class server did not recognise this browser; it is registered again with your next result.',
    needName: 'Not sent to the class dashboard: save your name in the class box of the exercises page first.',
    exercisesPage: 'Go to the exercises page',
    tooLarge: 'This result is too large to send to the class server.',
    refused: 'The class server refused this result ({code}).',
    offline: 'The class server cannot be reached; this result was not sent.',
  },
  'zh-CN': {
    sent: '已发送到课堂面板。',
    badLink: '这个课堂链接已失效，请向老师索取新的链接。',
    badName: '课堂服务器不接受这个名字：请只用普通文字，不要包含 < 或 >，然后在练习页面的课堂作业框中重新保存。',
    keyReset: '课堂服务器没有认出这个浏览器；下次发送结果时会重新登记。',
    needName: '没有发送到课堂面板：请先在练习页面的课堂作业框中保存你的名字。',
    exercisesPage: '前往练习页面',
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
  if (outcome.code === 'wrong-key') return t.keyReset;
  if (outcome.status === 403 || outcome.status === 404) return t.badLink;
  if (outcome.status === 413) return t.tooLarge;
  if (outcome.code === 'markup-in-name' || outcome.code === 'bad-name') return t.badName;
  return t.refused.replace('{code}', outcome.code ?? String(outcome.status));
}

function say(text: string, link?: { href: string; text: string }): void {
  let line = document.querySelector<HTMLElement>('[data-class-status]');
  if (!line) {
    line = document.createElement('p');
    line.dataset.classStatus = '';
    line.setAttribute('role', 'status');
    Object.assign(line.style, { position: 'fixed', insetInlineEnd: '1rem', insetBlockEnd: '1rem', margin: '0', padding: '.5rem .75rem', maxWidth: '24rem', zIndex: '100', background: 'var(--sl-color-bg-nav, Canvas)', color: 'var(--sl-color-text, CanvasText)', border: '1px solid var(--sl-color-hairline, GrayText)', borderRadius: '.25rem' });
    document.body.append(line);
  }
  line.textContent = text;
  if (link) {
    const a = document.createElement('a');
    a.href = link.href;
    a.textContent = link.text;
    line.append(' ', a);
  }
}

/** The outcome of a submission: sent (the server's answer) or not sent (why). */
export type SubmitOutcome = { sent: true; status: number; body: unknown } | { sent: false; reason: 'no-class' | 'no-name' | 'network' };

async function send(link: ClassLink, lang: string, entries: { exercises?: Record<string, unknown>; labs?: Record<string, unknown> }): Promise<SubmitOutcome> {
  const name = learnerName();
  const zh = lang === 'zh-CN';
  if (!name) {
    if (document.body) say(LINK_STRINGS[zh ? 'zh-CN' : 'en'].needName, { href: zh ? '/zh-cn/exercises/' : '/exercises/', text: LINK_STRINGS[zh ? 'zh-CN' : 'en'].exercisesPage });
    return { sent: false, reason: 'no-name' };
  }
  const store = storageOf('localStorage');
  // Registered on the first submission at the latest; a learner the server cannot register yet sends without a key.
  const registered = await registerLearner(link, name, store);
  const body = { format: 'flasklab-submission', formatVersion: 1, token: link.token, learner: registered?.learner ?? learnerId(store), ...(registered ? { key: registered.key } : {}), name, lang: zh ? 'zh-CN' : 'en', ...entries };
  try {
    const res = await fetch(`${link.server}submit`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), keepalive: false });
    const answer: unknown = await res.json().catch(() => null);
    const code = typeof answer === 'object' && answer !== null && typeof (answer as { error?: unknown }).error === 'string' ? (answer as { error: string }).error : null;
    // A refused name is forgotten, so the name form asks for it again.
    if (code === 'markup-in-name' || code === 'bad-name') store?.removeItem(NAME_KEY);
    // A key the server does not know (its database was replaced) is forgotten: the next submission registers anew.
    if (code === 'wrong-key') store?.removeItem(LEARNER_KEY_KEY);
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
