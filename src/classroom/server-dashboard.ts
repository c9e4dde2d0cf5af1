// The class server's dashboard page, in English and Simplified Chinese: a shell with no student data in it
// (the table is drawn by server-dashboard-client.js from the live event stream, with textContent only), its
// words for the script in a JSON data block, and the language chosen by ?lang= or else Accept-Language.
import type { ClassRow } from './server-db.ts';
import { safeJson } from './server-submission.ts';

export type DashboardLang = 'en' | 'zh-CN';

const en = {
  htmlLang: 'en',
  title: 'Class dashboard',
  description: 'The teacher’s live view of a class: each student’s latest result for each exercise and lab, re-checked on this server.',
  classLabel: 'Class:',
  studentLink: 'Student link',
  studentLinkOther: 'The same in Chinese',
  linkHelp: 'Students on this network open this link; each check they make appears here as they make it.',
  tokenNote: 'The link carries the class token, so only pages opened from it can submit.',
  copy: 'Copy',
  copied: 'Copied',
  siteLink: 'Open the site',
  csv: 'Download the results (CSV)',
  otherLang: '中文',
  otherLangLabel: '切换到中文',
  tableHeading: 'Students × tasks',
  tableCaption: 'Latest result of each student for each task; the re-check on this server decides, a page’s claim does not.',
  student: 'Student',
  empty: 'No submissions yet.',
  connecting: 'Connecting…',
  live: 'Live: updates as students check.',
  reconnecting: 'Connection lost; reconnecting…',
  counts: '{students} students, {submissions} results',
  status: { pass: 'passed', fail: 'failed', error: 'error', solved: 'solved', unsolved: 'not solved', pending: 're-checking…', unchecked: 'not re-checked', 'wrong-seed': 'not counted: seed not this student’s' } as Record<string, string>,
  claimDiffers: 'claim differs: the page said {claimed}',
  outdated: 'older version {old} (now {now})',
  solutionShown: 'solution shown',
  hintsUsed: '{n} hints',
  tries: '{n} results sent',
  recheckOff: 'Re-checks are off (--no-recheck): results show what the pages claimed.',
  recheckDown: 'Re-checks cannot run: {why}',
  noteUnchecked: 'Why not re-checked: {why}',
  recheckSaid: 'The re-run says: {why}',
  announce: '{name}: {task}, {status}',
  lab: 'lab',
};

const zh: typeof en = {
  htmlLang: 'zh-CN',
  title: '课堂面板',
  description: '老师的课堂实时面板：每名学生在每个练习和实验上的最新结果，均由本服务器复核。',
  classLabel: '班级：',
  studentLink: '学生链接',
  studentLinkOther: '英文版链接',
  linkHelp: '同一网络中的学生打开这个链接；他们每做一次检查，结果都会立即显示在这里。',
  tokenNote: '链接中带有课堂令牌，只有通过它打开的页面才能提交。',
  copy: '复制',
  copied: '已复制',
  siteLink: '打开网站',
  csv: '下载结果（CSV）',
  otherLang: 'English',
  otherLangLabel: 'Switch to English',
  tableHeading: '学生 × 任务',
  tableCaption: '每名学生在每个任务上的最新结果；以本服务器的复核为准，而不是页面自己报告的结果。',
  student: '学生',
  empty: '还没有提交。',
  connecting: '正在连接……',
  live: '实时：学生检查时自动更新。',
  reconnecting: '连接中断，正在重新连接……',
  counts: '{students} 名学生，{submissions} 条结果',
  status: { pass: '通过', fail: '未通过', error: '出错', solved: '已解决', unsolved: '未解决', pending: '正在复核……', unchecked: '未复核', 'wrong-seed': '不计入：种子不属于该学生' },
  claimDiffers: '与声明不符：页面报告为“{claimed}”',
  outdated: '旧版本 {old}（当前为 {now}）',
  solutionShown: '看过答案',
  hintsUsed: '用了 {n} 条提示',
  tries: '共提交 {n} 次',
  recheckOff: '复核已关闭（--no-recheck）：显示的是页面自己报告的结果。',
  recheckDown: '无法复核：{why}',
  noteUnchecked: '未复核的原因：{why}',
  recheckSaid: '服务器复核的结果：{why}',
  announce: '{name}：{task}，{status}',
  lab: '实验',
};

export const DASHBOARD_STRINGS: Record<DashboardLang, typeof en> = { en, 'zh-CN': zh };

/** The language of a dashboard request: `?lang=` when it names one, else the first of Accept-Language we speak. */
export function dashboardLang(query: URLSearchParams, acceptLanguage: string | undefined): DashboardLang {
  const asked = query.get('lang');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  const prefs = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag ?? '', q: q === undefined ? 1 : Number(q.slice(2)) || 0 };
    })
    .filter((p) => p.tag && p.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const p of prefs) {
    if (p.tag === 'zh' || p.tag.startsWith('zh-')) return 'zh-CN';
    if (p.tag === 'en' || p.tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The titles of the tasks, per language: exercises from the catalog, labs by slug. */
export interface TaskInfo {
  readonly kind: 'exercise' | 'lab';
  readonly id: string;
  readonly title: Record<DashboardLang, string>;
  readonly version: number | null;
}

/**
 * The dashboard page. Only the teacher's own words are in it (the class name is the teacher's, given on the
 * command line, and escaped all the same); students' names and results arrive later through the event stream.
 */
export function dashboardHtml(lang: DashboardLang, cls: ClassRow, links: { en: string; zh: string }, tasks: readonly TaskInfo[]): string {
  const t = DASHBOARD_STRINGS[lang];
  const other: DashboardLang = lang === 'en' ? 'zh-CN' : 'en';
  const data = { lang, strings: t, tasks: tasks.map((x) => ({ kind: x.kind, id: x.id, title: x.title[lang], version: x.version })) };
  const main = lang === 'en' ? links.en : links.zh;
  const second = lang === 'en' ? links.zh : links.en;
  return `<!doctype html>
<html lang="${t.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)} · ${esc(cls.name)}</title>
<meta name="description" content="${esc(t.description)}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/class/dashboard.css">
<script type="application/json" id="dashboard-data">${safeJson(data)}</script>
<script type="module" src="/class/dashboard.js"></script>
</head>
<body>
<header class="top">
  <h1>${esc(t.title)}</h1>
  <nav class="links"><a href="/index.html">${esc(t.siteLink)}</a> <a href="/?lang=${other}" hreflang="${other}" lang="${other}" aria-label="${esc(t.otherLangLabel)}">${esc(t.otherLang)}</a></nav>
</header>
<main>
  <p class="class-name">${esc(t.classLabel)}${lang === 'en' ? ' ' : ''}<strong>${esc(cls.name)}</strong></p>
  <section aria-labelledby="link-h">
    <h2 id="link-h">${esc(t.studentLink)}</h2>
    <p>${esc(t.linkHelp)}${lang === 'en' ? ' ' : ''}${esc(t.tokenNote)}</p>
    <p class="link-row"><input id="student-link" type="text" readonly value="${esc(main)}" aria-labelledby="link-h" size="60"> <button type="button" id="copy-link">${esc(t.copy)}</button></p>
    <p class="other-link">${esc(t.studentLinkOther)}${lang === 'en' ? ': ' : '：'}<a href="${esc(second)}">${esc(second)}</a></p>
  </section>
  <section aria-labelledby="table-h">
    <h2 id="table-h">${esc(t.tableHeading)}</h2>
    <p id="live-status" role="status">${esc(t.connecting)}</p>
    <p id="recheck-status" role="status"></p>
    <p id="counts"></p>
    <p><a href="/class/api/results.csv" download>${esc(t.csv)}</a></p>
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="table-caption">
      <table id="results">
        <caption id="table-caption">${esc(t.tableCaption)}</caption>
        <thead></thead>
        <tbody></tbody>
      </table>
    </div>
    <p id="empty">${esc(t.empty)}</p>
    <p id="announce" class="sr-only" aria-live="polite"></p>
  </section>
</main>
</body>
</html>
`;
}

export const DASHBOARD_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0 auto; max-width: 90rem; padding: 1rem; }
.top { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 1rem; }
.links a { margin-left: 1rem; }
.link-row { display: flex; flex-wrap: wrap; gap: .5rem; }
#student-link { flex: 1 1 20rem; font: inherit; font-family: ui-monospace, monospace; padding: .25rem; }
button { font: inherit; padding: .25rem .75rem; }
.other-link a { word-break: break-all; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; }
caption { text-align: left; padding: .25rem 0; }
th, td { border: 1px solid #8888; padding: .25rem .5rem; vertical-align: top; text-align: left; }
td[data-status="pass"], td[data-status="solved"] { background: #2e7d3226; }
td[data-status="fail"], td[data-status="unsolved"], td[data-status="error"], td[data-status="wrong-seed"] { background: #c6282826; }
td[data-flagged="true"] { outline: 3px solid #e65100; outline-offset: -3px; }
.flags { margin: 0; padding-left: 1rem; font-size: .875em; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
:focus-visible { outline: 3px solid #1565c0; outline-offset: 2px; }
`;
