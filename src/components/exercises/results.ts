// Renders a check's result (Exercism's results.json v3, plus the HTTP exchanges each test made) as HTML: each
// test by name with pass or fail, the runner's message (expected and actual, already in the page's language), the
// learner's line numbers as buttons that move the editor's cursor there, and each exchange in the visualizer's
// request/response shape with the session cookie taken apart and a link to open it in the inspector.
// Pure: the same functions are tested in Node.
import { fill, type PanelLang, type PanelStrings } from './i18n.ts';
import { STRINGS as VIZ_STRINGS } from '../visualizer/i18n.ts';
import { renderAnatomy, esc } from '../visualizer/render.ts';
import { decodeCookie } from '../visualizer/cookie.ts';

export type Status = 'pass' | 'fail' | 'error';

/** One HTTP exchange a test made through the recording test client. */
export interface ExchangeRecord {
  method: string;
  url: string;
  request_headers: [string, string][] | Record<string, string>;
  status: number;
  response_headers: [string, string][] | Record<string, string>;
  body: string;
}

/** One test's result (results.json v3). */
export interface TestRecord {
  name: string;
  status: Status;
  message?: string | null;
  output?: string | null;
  task_id?: string | number | null;
  test_code?: string | null;
}

/** A check's result: results.json v3 with the exchanges of each test by test name. */
export interface CheckResult {
  version: number;
  status: Status;
  message?: string | null;
  tests?: TestRecord[];
  exchanges?: Record<string, ExchangeRecord[]>;
}

/** Headers as name/value pairs, whichever of the two shapes arrived. */
export function headerPairs(h: ExchangeRecord['request_headers'] | undefined): [string, string][] {
  if (!h) return [];
  if (Array.isArray(h)) return h.map(([k, v]) => [String(k), String(v)]);
  return Object.entries(h).map(([k, v]) => [k, String(v)]);
}

/**
 * Escapes text and turns each `File "exercise.py", line N` (a traceback line in the learner's own file) into a
 * button that moves the editor's cursor to line N.
 */
export function linkLearnerLines(text: string, lineLabel: (n: number) => string): string {
  return esc(text).replace(/(File &#34;exercise\.py&#34;, line )(\d+)/g, (_, lead: string, n: string) => `${lead}<button type="button" class="ex-line" data-line="${n}" aria-label="${esc(lineLabel(Number(n)))}">${n}</button>`);
}

/** The session cookie (`session=…`) a header line carries, or null. */
export function sessionCookieOf(name: string, value: string): string | null {
  const lower = name.toLowerCase();
  if (lower === 'set-cookie') {
    const m = /^\s*session=([^;]*)/.exec(value);
    return m && m[1] ? m[1] : null;
  }
  if (lower === 'cookie') {
    for (const part of value.split(';')) {
      const m = /^\s*session=(.*)$/.exec(part);
      if (m && m[1]) return m[1].trim();
    }
  }
  return null;
}

/** The inspector's address with a cookie to open (the inspector reads `#cookie=`). */
export function inspectorHref(lang: PanelLang, cookie: string): string {
  return `${lang === 'zh-CN' ? '/zh-cn' : ''}/inspector/#cookie=${encodeURIComponent(cookie)}`;
}

function headerBlock(first: string, headers: [string, string][]): string {
  return `<pre class="ex-http"><code>${esc([first, ...headers.map(([k, v]) => `${k}: ${v}`)].join('\n'))}</code></pre>`;
}

/** One exchange: the request, the response, and each session cookie in it decoded, with an inspector link. */
export function renderExchange(t: PanelStrings, lang: PanelLang, x: ExchangeRecord, n: number): string {
  const vt = VIZ_STRINGS[lang];
  const req = headerPairs(x.request_headers);
  const res = headerPairs(x.response_headers);
  const cookies: string[] = [];
  for (const [k, v] of [...req, ...res]) {
    const c = sessionCookieOf(k, v);
    if (c && !cookies.includes(c)) cookies.push(c);
  }
  const anatomy = cookies
    .map(
      (c) =>
        `<div class="ex-cookie">${renderAnatomy(vt, decodeCookie(c))}<p><a href="${esc(inspectorHref(lang, c))}" data-inspect>${esc(t.openInInspector)}</a></p></div>`,
    )
    .join('');
  const body = x.body ?? '';
  return `<li class="ex-exchange" data-exchange="${n}"><div class="ex-x-side"><p class="ex-x-label">${esc(t.request)}</p>${headerBlock(`${x.method} ${x.url} HTTP/1.1`, req)}</div><div class="ex-x-side"><p class="ex-x-label">${esc(t.response)}</p>${headerBlock(`HTTP/1.1 ${x.status}`, res)}<p class="ex-x-label">${esc(t.body)}</p><pre class="ex-http"><code>${esc(body.length > 2000 ? `${body.slice(0, 2000)}…` : body)}</code></pre></div>${anatomy}</li>`;
}

function statusWord(t: PanelStrings, s: Status): string {
  return s === 'pass' ? t.pass : s === 'fail' ? t.fail : t.error;
}

/** The one-line summary of a result; for the live region (`withMessage`) an error also says why. */
export function summaryLine(t: PanelStrings, r: CheckResult, withMessage = true): string {
  const tests = r.tests ?? [];
  const failed = tests.filter((x) => x.status !== 'pass').length;
  if (r.status === 'pass' && tests.length > 0 && failed === 0) return fill(t.summaryPass, { total: tests.length });
  if (r.status === 'error' || tests.length === 0) return withMessage && r.message ? `${t.summaryError} ${r.message}` : t.summaryError;
  return fill(t.summaryFail, { failed, total: tests.length });
}

/** The whole result: summary, the runner's message, then each test. Failed tests are open, passed ones folded. */
export function renderResult(t: PanelStrings, lang: PanelLang, r: CheckResult, lineLabel: (n: number) => string): string {
  const tests = r.tests ?? [];
  const head = `<p class="ex-summary" data-result="${esc(r.status)}">${esc(summaryLine(t, r, false))}</p>`;
  const message = r.message ? `<pre class="ex-message">${linkLearnerLines(r.message, lineLabel)}</pre>` : '';
  const items = tests
    .map((test) => {
      const exchanges = r.exchanges?.[test.name] ?? [];
      const parts = [
        test.message ? `<pre class="ex-message">${linkLearnerLines(test.message, lineLabel)}</pre>` : '',
        test.output ? `<p class="ex-x-label">${esc(t.testOutput)}</p><pre class="ex-output">${linkLearnerLines(test.output, lineLabel)}</pre>` : '',
        exchanges.length ? `<p class="ex-x-label">${esc(t.exchanges)}</p><ol class="ex-exchanges">${exchanges.map((x, i) => renderExchange(t, lang, x, i + 1)).join('')}</ol>` : '',
        test.test_code ? `<details class="ex-test-code"><summary>${esc(t.testCode)}</summary><pre><code>${esc(test.test_code)}</code></pre></details>` : '',
      ].join('');
      const badge = `<span class="ex-badge" data-status="${esc(test.status)}">${esc(statusWord(t, test.status))}</span>`;
      return `<li class="ex-test" data-test="${esc(test.name)}" data-status="${esc(test.status)}"><details${test.status === 'pass' ? '' : ' open'}><summary>${badge} <code>${esc(test.name)}</code></summary>${parts || ''}</details></li>`;
    })
    .join('');
  return `${head}${message}${tests.length ? `<ul class="ex-tests">${items}</ul>` : ''}`;
}
