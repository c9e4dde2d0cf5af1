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
