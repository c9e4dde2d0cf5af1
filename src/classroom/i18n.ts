// Every word the teacher's page, the assignment banner and the student's export print, in both site languages,
// with the reasons a class code or a student file is refused.
import type { ClassCodeError, ClassCodeProblem } from './class-code.ts';
import type { RecordError, RecordProblem } from './record.ts';
import type { NameProblem } from './student-name.ts';
import type { CellState, Flag } from './recheck.ts';

export type ClassLang = 'en' | 'zh-CN';

export function toClassLang(lang: string | undefined | null): ClassLang {
  return lang && lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Fills `{name}` placeholders; an unknown name stays visible. */
export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

const en = {
  colon: ': ',
  // The link builder.
  className: 'Class name',
  classNameHelp: 'Students see it above their assignment.',
  exercisesLegend: 'Exercises',
  labsLegend: 'Labs',
  noLabs: 'This version of the site has no labs yet.',
  due: 'Due date (optional)',
  linkLang: 'Language of the students’ page',
  makeLink: 'Make the link',
  needName: 'Give the class a name.',
  needTask: 'Choose at least one exercise or lab.',
  linkLabel: 'Link for your students',
  copy: 'Copy the link',
  copied: 'The link is copied.',
  copyFailed: 'The link could not be copied here: select it and copy it yourself.',
  qrLabel: 'QR code of the link for “{name}”',
  qrFailed: 'The QR code could not be drawn: {why}',
  linkMade: 'The link for “{name}” is ready. Tasks in it: {n}.',
  // The assignment banner (students).
  assignmentFor: 'Assignment: {name}',
  dueOn: 'Due {date}.',
  noDue: 'No due date.',
  taskSolved: 'solved',
  taskStarted: 'started',
  taskNotStarted: 'not started',
  taskUnknown: 'not on this version of the site',
  taskSolvedElsewhere: 'solved outside this class: solve it again here to count',
  labWord: 'Lab',
  forget: 'Forget this assignment',
  forgotten: 'The assignment is no longer shown in this browser.',
  badCode: 'This link’s class code cannot be read: {why}. Ask your teacher for the link again.',
  noAssignment: 'No assignment is open in this browser. Open the link your teacher gave you to see it here.',
  // The name form in the assignment (before the first result is sent or the first lab is set up).
  nameLabel: 'Your name in this class',
  nameHelp: 'Your teacher sees your results under this name, and your labs are set up for it alone: give it before you start, and keep it.',
  saveName: 'Save my name',
  nameSaved: 'You work as “{name}”.',
  changeName: 'Change my name',
  nameProblem: {
    empty: 'Type your name first.',
    'too-long': 'The name is longer than {max} characters: shorten it.',
    markup: 'A name cannot hold < or >: use letters, digits, spaces and ordinary punctuation.',
    control: 'The name holds a line break or a control character: type it on one line.',
  } as Record<NameProblem, string>,
  registered: 'The class server has your name: your labs are now set up for you alone.',
  registerFailed: 'Your name is saved in this browser, but the class server could not be reached. It is tried again before your next result is sent.',
  // The student's export.
  exportHeading: 'Hand in your work',
  exportIntro: 'Saves one file with your code and results from this browser. Give that file to your teacher.',
  yourName: 'Your name',
  exportButton: 'Export my work',
  exportNeedName: 'Type your name first.',
  exported: 'Saved {file}: {n} exercises and {m} labs. Give this file to your teacher.',
  exportFailed: 'The file could not be made: {why}',
  // The teacher's import.
  dropLabel: 'Drop students’ .flasklab.json files here, or choose them.',
  chooseFiles: 'Choose students’ files',
  reading: 'Reading {n} files…',
  loadingRuntime: 'Starting Python and Flask in {n} Web Workers to run the code again…',
  runtimeMissing: 'The code cannot be run again on this copy of the site: {why}. Run {howto} in the project folder.',
  progress: 'Checked again: {done} of {total} runs.',
  doneSummary: '{ok} files read and checked again, {bad} refused.',
  refusedHeading: 'Files not read',
  refused: '{file}: {why}',
  notJsonName: 'the name does not end in .json',
  unreadable: 'the file could not be read ({why})',
  tableCaption: 'Students and tasks, each checked again in this page (a file’s own claim never counts)',
  student: 'Student',
  solvedColumn: 'Solved',
  flagsColumn: 'Flags',
  file: 'File',
  sortBy: 'Sort by {column}',
  failedTests: 'Tests not passing: {n} of {total}',
  downloadCsv: 'Download CSV',
  clear: 'Clear the table',
  noFilesYet: 'No files yet.',
  state: {
    pass: 'Passed',
    fail: 'Failed',
    error: 'Error',
    missing: 'Not attempted',
    unknown: 'Not on this site',
    unchecked: 'Not checked again',
  } as Record<CellState, string>,
  flag: {
    'claim-differs': 'The file’s claim differs from the re-run',
    'seed-mismatch': 'The lab ran with a seed that is not this student’s (copied from another file, or solved outside the class): not counted',
    outdated: 'An older version of the exercise',
    'solution-shown': 'Solution shown',
    'hints-used': 'Hints used',
  } as Record<Flag, string>,
  flagShort: {
    'claim-differs': 'claim ≠ re-run',
    'seed-mismatch': 'seed not this student’s',
    outdated: 'v{version} → v{current}',
    'solution-shown': 'solution shown',
    'hints-used': 'hints: {n}',
  } as Record<Flag, string>,
  legend: 'Flags: “claim ≠ re-run” when the file says passed and the code fails now (or the other way round); “seed not this student’s” when a lab entry was not made for this student in this class (copied, or solved outside it), which never counts; “v1 → v2” when the exercise changed since; “solution shown”; “hints: n”, the hints shown.',
  classCodeProblem: {
    empty: 'the link has no class code after #class=',
    'too-long': 'the code is longer than any assignment',
    'not-base64url': 'the code has characters a class code never has (it was cut or changed)',
    'not-utf8': 'the code does not decode to text',
    'not-json': 'the code does not decode to an assignment',
    'not-object': 'the code does not decode to an assignment',
    version: 'the code was made by a newer version of the site',
    field: 'a part of the assignment is not valid ({field})',
  } as Record<ClassCodeProblem, string>,
  recordProblem: {
    'too-big': 'the file is too big for a student file ({detail})',
    empty: 'the file is empty',
    'not-json': 'the file is not valid JSON',
    'not-flasklab': 'this is not a Flask Session Lab student file',
    'newer-format': 'the file was made by a newer version of the site',
    'old-format': 'the file has an unknown format version',
    field: 'a part of the file is not valid: {field} ({detail})',
  } as Record<RecordProblem, string>,
};

export type ClassStrings = typeof en;

const zh: ClassStrings = {
  colon: '：',
  className: '班级名称',
  classNameHelp: '学生会在作业上方看到它。',
  exercisesLegend: '练习',
  labsLegend: '实验',
  noLabs: '本站的这个版本还没有实验。',
  due: '截止日期（可选）',
  linkLang: '学生页面的语言',
  makeLink: '生成链接',
  needName: '请填写班级名称。',
  needTask: '请至少选择一个练习或实验。',
  linkLabel: '发给学生的链接',
  copy: '复制链接',
  copied: '链接已复制。',
  copyFailed: '无法在这里复制链接，请选中后自行复制。',
  qrLabel: '“{name}”链接的二维码',
  qrFailed: '无法绘制二维码：{why}',
  linkMade: '“{name}”的链接已生成，共 {n} 项任务。',
  assignmentFor: '作业：{name}',
  dueOn: '截止日期：{date}。',
  noDue: '没有截止日期。',
  taskSolved: '已完成',
  taskStarted: '已开始',
  taskNotStarted: '未开始',
  taskUnknown: '本站的这个版本中没有',
  taskSolvedElsewhere: '在本课堂之外完成，需要在这里重新完成才计入',
  labWord: '实验',
  forget: '不再显示这份作业',
  forgotten: '这个浏览器不再显示这份作业。',
  badCode: '无法读取这个链接中的班级代码：{why}。请向老师重新索取链接。',
  noAssignment: '这个浏览器中还没有打开的作业。打开老师给你的链接，作业就会显示在这里。',
  // The name form in the assignment.
  nameLabel: '你在本课堂中的名字',
  nameHelp: '老师会按这个名字查看你的结果，实验也只为这个名字生成：开始之前填写，之后不要更改。',
  saveName: '保存名字',
  nameSaved: '你的名字：“{name}”。',
  changeName: '修改名字',
  nameProblem: {
    empty: '请先填写名字。',
    'too-long': '名字超过了 {max} 个字符，请改短一些。',
    markup: '名字中不能包含 < 或 >，请使用文字、数字、空格和常见标点。',
    control: '名字中含有换行符或控制字符，请在一行内填写。',
  },
  registered: '课堂服务器已登记你的名字，实验现在只为你一人生成。',
  registerFailed: '名字已保存在这个浏览器中，但无法连接课堂服务器。下次发送结果之前会再试一次。',
  exportHeading: '提交作业',
  exportIntro: '把你在这个浏览器中的代码和结果保存为一个文件，然后把文件交给老师。',
  yourName: '你的姓名',
  exportButton: '导出我的作业',
  exportNeedName: '请先填写姓名。',
  exported: '已保存 {file}：{n} 个练习、{m} 个实验。请把这个文件交给老师。',
  exportFailed: '无法生成文件：{why}',
  dropLabel: '把学生的 .flasklab.json 文件拖到这里，或选择文件。',
  chooseFiles: '选择学生的文件',
  reading: '正在读取 {n} 个文件……',
  loadingRuntime: '正在 {n} 个 Web Worker 中启动 Python 和 Flask，以便重新运行代码……',
  runtimeMissing: '这份网站副本无法重新运行代码：{why}。请在项目文件夹中运行 {howto}。',
  progress: '已重新检查：{done}/{total} 次运行。',
  doneSummary: '已读取并重新检查 {ok} 个文件，拒绝 {bad} 个。',
  refusedHeading: '未能读取的文件',
  refused: '{file}：{why}',
  notJsonName: '文件名不以 .json 结尾',
  unreadable: '无法读取文件（{why}）',
  tableCaption: '学生与任务，均已在本页重新检查（文件自己声称的结果一律不算）',
  student: '学生',
  solvedColumn: '完成数',
  flagsColumn: '标记',
  file: '文件',
  sortBy: '按“{column}”排序',
  failedTests: '未通过的测试：{n}/{total}',
  downloadCsv: '下载 CSV',
  clear: '清空表格',
  noFilesYet: '还没有文件。',
  state: {
    pass: '通过',
    fail: '未通过',
    error: '出错',
    missing: '未作答',
    unknown: '本站没有',
    unchecked: '未重新检查',
  },
  flag: {
    'claim-differs': '文件声称的结果与重新运行的不同',
    'seed-mismatch': '这个实验所用的种子不属于该学生（从别人的文件复制而来，或在课堂之外完成），不计入',
    outdated: '练习的旧版本',
    'solution-shown': '看过答案',
    'hints-used': '用过提示',
  },
  flagShort: {
    'claim-differs': '声称≠重跑',
    'seed-mismatch': '种子不属于该学生',
    outdated: 'v{version} → v{current}',
    'solution-shown': '看过答案',
    'hints-used': '{n} 条提示',
  },
  legend: '标记：“声称≠重跑”表示文件说通过而代码现在不通过（或反过来）；“种子不属于该学生”表示实验记录不是该学生在本课堂中完成的（复制而来，或在课堂之外完成），一律不计入；“v1 → v2”表示练习此后有改动；“看过答案”；“n 条提示”表示看过的提示数。',
  classCodeProblem: {
    empty: '链接中 #class= 之后没有班级代码',
    'too-long': '代码比任何作业需要的都长',
    'not-base64url': '代码中有班级代码不会出现的字符（可能被截断或改动过）',
    'not-utf8': '代码解码后不是文本',
    'not-json': '代码解码后不是一份作业',
    'not-object': '代码解码后不是一份作业',
    version: '代码由更新版本的网站生成',
    field: '作业中有一项无效（{field}）',
  },
  recordProblem: {
    'too-big': '文件太大，不像学生文件（{detail}）',
    empty: '文件是空的',
    'not-json': '文件不是有效的 JSON',
    'not-flasklab': '这不是 Flask 会话实验室的学生文件',
    'newer-format': '文件由更新版本的网站生成',
    'old-format': '文件的格式版本未知',
    field: '文件中有一项无效：{field}（{detail}）',
  },
};

export const CLASS_STRINGS: Record<ClassLang, ClassStrings> = { en, 'zh-CN': zh };

/** A refused class code, in words. */
export function describeClassCodeError(t: ClassStrings, e: ClassCodeError): string {
  return fill(t.classCodeProblem[e.problem], { field: e.field, detail: e.detail });
}

/** A refused student file, in words. */
export function describeRecordError(t: ClassStrings, e: RecordError): string {
  return fill(t.recordProblem[e.problem], { field: e.field, detail: e.detail });
}
