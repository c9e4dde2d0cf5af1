// The runtime's own sentences, in both languages: what a learner reads when a check could not run to the end.
import type { LoadErrorCode } from './protocol.ts';
import { fill } from '../../i18n/fill.ts';

export type RuntimeLang = 'en' | 'zh-CN';

type Key = 'timeout' | 'crash' | 'tooLarge' | 'badAnswer' | 'howto' | LoadErrorCode;

const TEXT: Record<RuntimeLang, Record<Key, string>> = {
  en: {
    timeout:
      'Your code ran for more than {seconds} s and was stopped: is there an endless loop, or a wait that never ends? Python is ready again; change the code and check again.',
    crash: 'Python stopped while running your code ({detail}). It has been restarted; check again.',
    tooLarge: 'The check produced {size} of results, more than the {limit} allowed; print less and check again.',
    badAnswer: 'The exercise runner gave an answer that is not a result ({detail}).',
    'archive-missing': 'The Flask archive the exercises run on is missing: {detail}',
    'runner-missing': 'The exercise runner (exercises/_runner) is missing: {detail}',
    'runtime-missing': 'The Python runtime (Pyodide) is missing: {detail}',
    'load-failed': 'Python could not be started: {detail}',
    howto: 'To make it: {howto}',
  },
  'zh-CN': {
    timeout: '代码运行超过 {seconds} 秒，已被停止：是否有死循环，或者永远等不到的等待？Python 已恢复可用，请修改代码后再检查。',
    crash: '运行代码时 Python 停止了（{detail}）。它已重新启动，请再检查一次。',
    tooLarge: '这次检查产生了 {size} 的结果，超过了允许的 {limit}；请少输出一些，再检查一次。',
    badAnswer: '练习运行器的回答不是一个结果（{detail}）。',
    'archive-missing': '练习所用的 Flask 归档文件不存在：{detail}',
    'runner-missing': '练习运行器（exercises/_runner）不存在：{detail}',
    'runtime-missing': 'Python 运行环境（Pyodide）不存在：{detail}',
    'load-failed': 'Python 无法启动：{detail}',
    howto: '生成方法：{howto}',
  },
};

/** A runtime sentence with its {placeholders} filled in. */
export function runtimeText(lang: RuntimeLang, key: Key, params: Record<string, string | number> = {}): string {
  const table = TEXT[lang] ?? TEXT.en;
  return fill(table[key], params);
}

/** Bytes as a short size (KB / MB), the same in both languages. */
export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
