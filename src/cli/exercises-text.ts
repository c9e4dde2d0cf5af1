// Every sentence `npm run exercises` prints, in English and Simplified Chinese.
import type { Lang } from '../exercises/types.ts';
import { fill } from '../i18n/fill.ts';

const EN = {
  usage: `Usage: npm run exercises [-- <command>] [--lang en|zh-CN] [--dir DIR]

With no command: watch mode. Your file of the current exercise is checked now and again each time you save it.
Keys: h hint, l list, n next exercise, r reset to the starter, q quit.

Commands:
  list [--json]          every exercise, its lesson and whether you solved it
  check <id> [--json]    run the tests on your file of one exercise (exit status 0 when every test passes)
  hint <id>              the next hint (each call shows a stronger one)
  reset <id>             put the starter back in your file (your code is kept in DIR/.backup/)
  solution <id>          the reference solution, once your own code has passed

<id> is the folder name (03-session-dict-cart) or its number (03).
Your files: DIR/<id>.py, by default my-exercises/ in the project folder (made on first use, not in git).
--lang defaults to the language of LANG.`,
  unknownCommand: "unknown command '{name}'",
  needsId: '{command} needs an exercise id (see "npm run exercises -- list")',
  unknownId: "no exercise '{id}'; there are: {ids}",
  badLang: "--lang must be en or zh-CN, not '{value}'",
  extraArgs: "unexpected argument '{arg}'",
  listHeader: 'Exercises ({solved} of {total} solved). Your files are in {dir}',
  solvedMark: 'solved',
  checking: 'Checking {file} …',
  loading: 'Starting Python (Pyodide) with the Flask archive …',
  loaded: 'Python {python} on Pyodide {pyodide}, Flask {flask}, ready in {seconds} s.',
  summary: '{passed} passed, {failed} failed',
  expected: 'Expected',
  actual: 'Actual',
  output: 'Output:',
  passedAll: 'Every test passes. "npm run exercises -- solution {id}" shows the reference solution to compare with.',
  created: 'Made your exercise files in {dir} (starters only; edit them in your own editor).',
  instructions: 'Instructions: {file}',
  hintOf: 'Hint {n} of {total} for "{task}":',
  hintLast: '(That was the strongest hint for this task.)',
  noHints: 'This exercise has no hints.',
  resetDone: 'Put the starter back in {file}; your code is in {backup}.',
  solutionLocked: 'The solution opens once your own code passes: run "npm run exercises -- check {id}" until it does.',
  solutionHeader: 'Reference solution of {id} (your file is unchanged):',
  versionChanged: 'This exercise changed since you last worked on it (version {from} → {to}). Your code is kept; check it again.',
  watchKeys: 'h hint · l list · n next · r reset · q quit',
  watchWaiting: 'Waiting for you to save {file} …',
  watchSolved: 'Solved! Press n for the next exercise.',
  watchAllSolved: 'You have solved every exercise.',
  watchResetAsk: 'Put the starter back in {file}? Your code goes to .backup/. (y/N)',
  watchResetNo: 'Kept your code.',
  watchNext: 'Next: {id} · {title}',
  watchBye: 'Bye. Your files stay in {dir}.',
  catalogError: 'The exercises could not be read: {detail}',
};

const ZH: typeof EN = {
  usage: `用法：npm run exercises [-- <命令>] [--lang en|zh-CN] [--dir 目录]

不带命令时进入监视模式：立即检查当前练习的文件，此后每次保存都会重新检查。
按键：h 提示，l 列表，n 下一个练习，r 恢复为初始代码，q 退出。

命令：
  list [--json]          所有练习、所属课程以及是否已完成
  check <id> [--json]    对某个练习的文件运行测试（全部通过时退出码为 0）
  hint <id>              下一条提示（每次调用给出更明确的一条）
  reset <id>             把文件恢复为初始代码（原来的代码保存在 目录/.backup/）
  solution <id>          参考答案，在你自己的代码通过之后才能查看

<id> 是文件夹名（03-session-dict-cart）或它的编号（03）。
你的文件：目录/<id>.py，默认是项目文件夹中的 my-exercises/（首次使用时创建，不纳入 git）。
--lang 默认取 LANG 的语言。`,
  unknownCommand: '未知命令“{name}”',
  needsId: '{command} 需要一个练习 id（见“npm run exercises -- list”）',
  unknownId: '没有练习“{id}”；现有的练习：{ids}',
  badLang: '--lang 只能是 en 或 zh-CN，而不是“{value}”',
  extraArgs: '多余的参数“{arg}”',
  listHeader: '练习（已完成 {solved} / {total}）。你的文件在 {dir}',
  solvedMark: '已完成',
  checking: '正在检查 {file} …',
  loading: '正在启动 Python（Pyodide）并载入 Flask 归档 …',
  loaded: 'Python {python}（Pyodide {pyodide}），Flask {flask}，用时 {seconds} 秒就绪。',
  summary: '{passed} 个通过，{failed} 个未通过',
  expected: '期望',
  actual: '实际',
  output: '输出：',
  passedAll: '全部测试通过。运行“npm run exercises -- solution {id}”可以查看参考答案并对照。',
  created: '已在 {dir} 创建练习文件（只有初始代码；请用你自己的编辑器修改）。',
  instructions: '说明：{file}',
  hintOf: '“{task}”的提示（第 {n} 条，共 {total} 条）：',
  hintLast: '（这已是这项任务最明确的提示。）',
  noHints: '这个练习没有提示。',
  resetDone: '已把 {file} 恢复为初始代码；原来的代码在 {backup}。',
  solutionLocked: '你自己的代码通过后才能查看参考答案：请运行“npm run exercises -- check {id}”直到通过。',
  solutionHeader: '{id} 的参考答案（你的文件没有改动）：',
  versionChanged: '这个练习在你上次练习之后有了改动（版本 {from} → {to}）。你的代码保持不变，请再检查一次。',
  watchKeys: 'h 提示 · l 列表 · n 下一个 · r 重置 · q 退出',
  watchWaiting: '等待你保存 {file} …',
  watchSolved: '完成了！按 n 进入下一个练习。',
  watchAllSolved: '你已完成全部练习。',
  watchResetAsk: '把 {file} 恢复为初始代码吗？原来的代码会保存到 .backup/。（y/N）',
  watchResetNo: '保留了你的代码。',
  watchNext: '下一个：{id} · {title}',
  watchBye: '再见。你的文件保留在 {dir}。',
  catalogError: '无法读取练习：{detail}',
};

export type TextKey = keyof typeof EN;

export function cliText(lang: Lang, key: TextKey, params: Record<string, string | number> = {}): string {
  const table = lang === 'zh-CN' ? ZH : EN;
  return fill(table[key], params);
}

/** The language of the environment: LC_ALL, then LC_MESSAGES, then LANG; Chinese when it starts with zh. */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>): Lang {
  const value = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(value) ? 'zh-CN' : 'en';
}
