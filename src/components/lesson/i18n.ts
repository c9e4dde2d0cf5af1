// The few words the lesson components print themselves, in both site languages.
export type Lang = 'en' | 'zh-cn';

const LABELS = {
  en: { request: 'Request', response: 'Response', body: 'Body', warning: 'Warning printed by Werkzeug', noHeaders: '(no cookie headers)', step: 'Flask step', event: 'What happens' },
  'zh-cn': { request: '请求', response: '响应', body: '响应体', warning: 'Werkzeug 打印的警告', noHeaders: '（没有与 Cookie 相关的头）', step: 'Flask 步骤', event: '发生了什么' },
} as const;

/** The component labels for a language. */
export function labels(lang: Lang = 'en') {
  return LABELS[lang];
}

/** The line that stands for a folded engine listing: what it shows, from which file, and how long it is. */
export function engineCodeSummary(lang: Lang, names: string[], file: string, lines: number): string {
  return lang === 'zh-cn'
    ? `引擎的 TypeScript 实现：${names.join('、')}（${file}，${lines} 行）`
    : `The engine's TypeScript: ${names.join(', ')} (${file}, ${lines} lines)`;
}
