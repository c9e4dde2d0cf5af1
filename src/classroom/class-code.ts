// The class code: a teacher's assignment (which exercises and labs, a due date, the class's name) carried in a
// link's fragment, `#class=<base64url of UTF-8 JSON>`. A fragment never reaches a server, so the link works on any
// copy of the site, with or without a class server; the code is not a secret (anyone with the link can read it).
// Pure: no DOM, no Node, so the pages, the class server and the tests share it.

/** The assignment a class code carries (version 1 of its JSON). */
export interface Assignment {
  v: 1;
  /** The class's name as the teacher typed it (shown to students, always as text). */
  name: string;
  /** Exercise ids (`01-some-slug`), in the teacher's order. */
  exercises: string[];
  /** Lab slugs, in the teacher's order. */
  labs: string[];
  /** The due date, `YYYY-MM-DD`, or null. */
  due: string | null;
  /** The class server students submit to, when there is one (http or https URL). */
  server?: string;
  /** The class server's token, when it asks for one. */
  token?: string;
}

/** Why a class code was refused; each has a message in both languages (src/classroom/i18n.ts). */
export type ClassCodeProblem = 'empty' | 'too-long' | 'not-base64url' | 'not-utf8' | 'not-json' | 'not-object' | 'version' | 'field';

/** A class code that cannot be read; `field` and `detail` say where and what (e.g. field "due", detail "2026-13-01"). */
export class ClassCodeError extends Error {
  readonly problem: ClassCodeProblem;
  readonly field: string;
  readonly detail: string;
  constructor(problem: ClassCodeProblem, field = '', detail = '') {
    super(`class code: ${ENGLISH[problem]}${field ? ` (${field}${detail ? `: ${detail}` : ''})` : detail ? ` (${detail})` : ''}`);
    this.name = 'ClassCodeError';
    this.problem = problem;
    this.field = field;
    this.detail = detail;
  }
}

const ENGLISH: Record<ClassCodeProblem, string> = {
  empty: 'the link has no class code after #class=',
  'too-long': 'the code is longer than any assignment needs',
  'not-base64url': 'the code has characters a class code never has (it was cut or changed)',
  'not-utf8': 'the code does not decode to text',
  'not-json': 'the code does not decode to an assignment',
  'not-object': 'the code does not decode to an assignment',
  version: 'the code was made by a newer version of the site',
  field: 'a part of the assignment is not valid',
};

/** Longest code accepted, in characters: far above a real assignment (about 60 characters per exercise). */
export const MAX_CODE_LENGTH = 8000;
/** Most exercises or labs one assignment may list. */
export const MAX_TASKS = 200;
/** Longest class name, in characters. */
export const MAX_NAME_LENGTH = 120;

const EXERCISE_ID = /^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LAB_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TOKEN = /^[A-Za-z0-9_-]{8,200}$/;

/** True when `s` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(code: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]+$/.test(code) || code.length % 4 === 1) throw new ClassCodeError('not-base64url');
  const b64 = code.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (code.length % 4)) % 4);
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(raw: Record<string, unknown>, key: 'exercises' | 'labs', pattern: RegExp): string[] {
  const v = raw[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ClassCodeError('field', key, 'not a list');
  if (v.length > MAX_TASKS) throw new ClassCodeError('field', key, `more than ${MAX_TASKS}`);
  const out: string[] = [];
  for (const item of v) {
    if (typeof item !== 'string' || !pattern.test(item)) throw new ClassCodeError('field', key, JSON.stringify(item).slice(0, 60));
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

/** Checks a decoded assignment and returns it in its normal form; throws ClassCodeError naming the first problem. */
export function validateAssignment(raw: unknown): Assignment {
  if (!isRecord(raw)) throw new ClassCodeError('not-object');
  if (raw.v !== 1) {
    if (typeof raw.v === 'number' && raw.v > 1) throw new ClassCodeError('version', 'v', String(raw.v));
    throw new ClassCodeError('field', 'v', JSON.stringify(raw.v ?? null));
  }
  if (typeof raw.name !== 'string') throw new ClassCodeError('field', 'name', 'missing');
  const name = raw.name.trim();
  if (!name) throw new ClassCodeError('field', 'name', 'empty');
  if (name.length > MAX_NAME_LENGTH) throw new ClassCodeError('field', 'name', `longer than ${MAX_NAME_LENGTH} characters`);
  const exercises = list(raw, 'exercises', EXERCISE_ID);
  const labs = list(raw, 'labs', LAB_SLUG);
  if (exercises.length + labs.length === 0) throw new ClassCodeError('field', 'exercises', 'no exercise and no lab');
  const due = raw.due ?? null;
  if (due !== null && (typeof due !== 'string' || !isIsoDate(due))) throw new ClassCodeError('field', 'due', JSON.stringify(due).slice(0, 40));
  const out: Assignment = { v: 1, name, exercises, labs, due };
  if (raw.server !== undefined) {
    let url: URL | null = null;
    try {
      url = typeof raw.server === 'string' ? new URL(raw.server) : null;
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new ClassCodeError('field', 'server', String(raw.server).slice(0, 60));
    out.server = url.href;
  }
  if (raw.token !== undefined) {
    if (typeof raw.token !== 'string' || !TOKEN.test(raw.token)) throw new ClassCodeError('field', 'token', 'not 8 to 200 letters, digits, - or _');
    out.token = raw.token;
  }
  return out;
}

/** The class code of an assignment (validated first, so a code this builds always parses). */
export function buildClassCode(assignment: Omit<Assignment, 'v'> & { v?: 1 }): string {
  const a = validateAssignment({ ...assignment, v: 1 });
  const json: Record<string, unknown> = { v: 1, name: a.name, exercises: a.exercises, labs: a.labs, due: a.due };
  if (a.server !== undefined) json.server = a.server;
  if (a.token !== undefined) json.token = a.token;
  const code = toBase64Url(new TextEncoder().encode(JSON.stringify(json)));
  if (code.length > MAX_CODE_LENGTH) throw new ClassCodeError('too-long', '', `${code.length} characters`);
  return code;
}

/** Reads a class code (the part after `#class=`); throws ClassCodeError with what is wrong. */
export function parseClassCode(code: string): Assignment {
  const trimmed = code.trim();
  if (!trimmed) throw new ClassCodeError('empty');
  if (trimmed.length > MAX_CODE_LENGTH) throw new ClassCodeError('too-long', '', `${trimmed.length} characters`);
  const bytes = fromBase64Url(trimmed);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ClassCodeError('not-utf8');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ClassCodeError('not-json');
  }
  return validateAssignment(raw);
}

/**
 * The class code in a URL fragment (`#class=…`, alone or among other `&`-separated parts), or null when the
 * fragment has none. An empty `#class=` gives '' (which parseClassCode refuses with a clear message).
 */
export function classCodeFromHash(hash: string): string | null {
  const body = hash.replace(/^#/, '');
  for (const part of body.split('&')) {
    if (part === 'class' || part.startsWith('class=')) return decodeURIComponent(part.slice('class='.length));
  }
  return null;
}

/** The link a student opens: `page` (an absolute URL) with the code in its fragment. */
export function classLink(page: string, code: string): string {
  const url = new URL(page);
  url.hash = `class=${code}`;
  return url.href;
}
