// The Chinese pages as a native reader meets them: no stray spaces, no ASCII punctuation after Chinese, and one
// term per concept (src/i18n/glossary.ts) in the built pages, the widgets' strings and the exercises.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropsBreak, mendHtmlSoftBreaks, mendSoftBreaks } from '../../src/markdown/cjk-soft-breaks.mjs';
import { bannedVariantsIn, GLOSSARY } from '../../src/i18n/glossary.ts';
import { STRINGS } from '../../src/components/visualizer/i18n.ts';
import { redisViewStrings } from '../../src/components/redis-view/i18n.ts';
import { inspectorStrings } from '../../src/i18n/inspector.ts';
import { labels } from '../../src/components/lesson/i18n.ts';
import { builtPages, decodeEntities, pageText } from '../support/built-pages.ts';
import { asciiPunctuation, straySpaces } from '../support/zh-text.ts';

const ROOT = join(import.meta.dirname, '../..');
const zhPages = builtPages('zh-cn');

describe('the soft-break step', () => {
  it('drops a break between Chinese characters or beside full-width punctuation, and keeps one beside Latin text', () => {
    expect([dropsBreak('的', '这'), dropsBreak('。', 'F'), dropsBreak('a', '，'), dropsBreak('：', '`'), dropsBreak('”', '说')]).toEqual([true, true, true, true, true]);
    expect([dropsBreak('的', 'F'), dropsBreak('k', '会'), dropsBreak('a', 'b'), dropsBreak('1', '天'), dropsBreak(undefined, '的')]).toEqual([false, false, false, false, false]);
  });

  it('looks across inline code and emphasis for the characters either side of a break', () => {
    const para = {
      type: 'paragraph',
      children: [
        { type: 'text', value: '没有消失：\n' },
        { type: 'inlineCode', value: 'id' },
        { type: 'text', value: ' 成了被偷的\n东西，\n' },
        { type: 'strong', children: [{ type: 'text', value: 'Flask' }] },
        { type: 'text', value: '\n会话' },
      ],
    };
    const set: string[] = [];
    const dropped = mendSoftBreaks({ type: 'root', children: [para] }, (_node, value) => set.push(value));
    // The break after 东西， goes (full-width punctuation), the one between Flask and 会话 stays.
    expect(set).toEqual(['没有消失：', ' 成了被偷的东西，']);
    expect(dropped).toBe(3);
  });

  it('does the same in HTML rendered elsewhere (exercise instructions), leaving code and block edges alone', () => {
    expect(mendHtmlSoftBreaks('<p>没有消失：\n<code>a\nb</code> 成了被偷的\n<strong>东西</strong>，\nFlask\n会话</p>\n<p>下一段</p><pre>一\n二</pre>')).toBe(
      '<p>没有消失：<code>a\nb</code> 成了被偷的<strong>东西</strong>，Flask\n会话</p>\n<p>下一段</p><pre>一\n二</pre>',
    );
  });
});

describe('the built Chinese pages', () => {
  it('are all there', () => {
    expect(zhPages.map((p) => p.path)).toContain('/zh-cn/glossary/');
  });

  it('have no space between Chinese characters or beside full-width punctuation', () => {
    const found = zhPages.flatMap((p) => straySpaces(pageText(p.html)).map((f) => `${p.path}: ${f.context}`));
    expect(found).toEqual([]);
  });

  it('have no ASCII punctuation right after Chinese text', () => {
    const found = zhPages.flatMap((p) => asciiPunctuation(pageText(p.html)).map((f) => `${p.path}: ${f.context}`));
    expect(found).toEqual([]);
  });
});

describe('English left on the built Chinese pages', () => {
  // Words the interface itself prints (not code, not a library's own output): each has a Chinese rendering.
  const INTERFACE_ENGLISH = ['Copy to clipboard', 'Copied!', 'Terminal window', 'Section titled', 'results for', 'No results'];
  // (Library output such as Werkzeug's UserWarning, and code comments, stay as they are.)
  const PLACEHOLDERS = [/<\d+ (bytes|chars)>/, /\d+ bytes → zlib/, /\((none|inserted|found|kept the old value)\)/, /HMAC-SHA1, \d+ bytes/, /matches the cookie: |key found after \d|verifies with key-/];

  it('has none in the markup (attributes included), nor in the placeholders of computed listings', () => {
    const found = zhPages.flatMap((p) => {
      const markup = p.html.replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/\sdata-(state|strings|steps|lab|exchanges|trace|initial)="[^"]*"/g, '');
      const text = pageText(p.html, { keepCode: true });
      return [
        ...INTERFACE_ENGLISH.filter((w) => decodeEntities(markup).includes(w)).map((w) => `${p.path}: “${w}”`),
        ...PLACEHOLDERS.flatMap((re) => (re.exec(text) ? [`${p.path}: ${re.exec(text)![0]}`] : [])),
      ];
    });
    expect(found).toEqual([]);
  });

  it('every page, the 404 page included, says it is in Chinese', () => {
    const langs = zhPages.map((p) => `${p.path} ${/<html\b[^>]*\blang="([^"]+)"/.exec(p.html)?.[1]}`);
    expect(langs).toContain('/zh-cn/404/ zh-CN');
    expect(langs.filter((l) => !l.endsWith(' zh-CN'))).toEqual([]);
    expect(pageText(zhPages.find((p) => p.path === '/zh-cn/404/')!.html)).toMatch(/页面未找到[\s\S]*这个地址没有页面/);
  });
});

/** A sample argument for a string function: a number, a text, or a record whose every field is "1". */
const SAMPLE: unknown = new Proxy(Object.assign(() => '1', { toString: () => '1' }), { get: (target, key) => (key === Symbol.toPrimitive ? () => 1 : key in target ? Reflect.get(target, key) : '1') });

/** Every string in a nest of objects, arrays and small functions (each called with sample arguments). */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'function') stringsIn((value as (...x: unknown[]) => unknown)(SAMPLE, SAMPLE, SAMPLE), out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

/** Markdown prose without its code blocks and inline code. */
const markdownProse = (text: string) => text.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`\n]*`/g, ' ');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the glossary', () => {
  const report = (where: string, text: string) => bannedVariantsIn(text).map(([variant, term]) => `${where}: “${variant}” (use “${term}”)`);

  it('gives each concept one Chinese term, and no term is another concept’s banned variant', () => {
    const terms = GLOSSARY.map((g) => g.zh);
    expect(new Set(terms).size).toBe(terms.length);
    expect(GLOSSARY.flatMap((g) => g.banned.filter((b) => terms.includes(b)))).toEqual([]);
    expect(bannedVariantsIn('会话 ID 与 Cookie 罐，用 Web Worker，不用 worker')).toEqual([
      ['Cookie 罐', 'Cookie 存储'],
      ['worker', '工作进程'],
      ['会话 ID', '会话 id'],
    ]);
  });

  it('is followed by the built Chinese pages (the glossary’s own table aside)', () => {
    const found = zhPages.flatMap((p) => report(p.path, pageText(p.html.replace(/<table class="glossary[\s\S]*?<\/table>/g, ''))));
    expect(found).toEqual([]);
  });

  it('is followed by the widgets’ Chinese strings', () => {
    const sets = {
      visualizer: STRINGS['zh-CN'],
      'redis-view': redisViewStrings('zh-CN'),
      inspector: inspectorStrings['zh-cn'],
      lesson: labels('zh-cn'),
      'src/content/i18n/zh-CN.json': JSON.parse(readFileSync(join(ROOT, 'src/content/i18n/zh-CN.json'), 'utf8')),
    };
    const found = Object.entries(sets).flatMap(([name, strings]) => stringsIn(strings).flatMap((s) => report(name, s)));
    expect(found).toEqual([]);
  });

  it('is followed by the exercises’ Chinese titles, instructions, hints and messages', () => {
    const dir = join(ROOT, 'exercises');
    const exercises = existsSync(dir) ? readdirSync(dir).filter((name) => /^\d\d-/.test(name)) : [];
    const found = exercises.flatMap((ex) => {
      const docs = filesUnder(join(dir, ex, 'docs/zh-CN')).map((file) => report(file.slice(ROOT.length + 1), markdownProse(readFileSync(file, 'utf8'))));
      const json = ['messages/zh-CN.json', 'hints/zh-CN.json']
        .map((rel) => join(dir, ex, rel))
        .filter((file) => existsSync(file))
        .map((file) => report(file.slice(ROOT.length + 1), stringsIn(JSON.parse(readFileSync(file, 'utf8'))).map(markdownProse).join('\n')));
      const meta = JSON.parse(readFileSync(join(dir, ex, 'exercise.json'), 'utf8')) as { title: Record<string, string>; tasks?: { title: Record<string, string> }[] };
      const titles = [meta.title, ...(meta.tasks ?? []).map((t) => t.title)].map((t) => t['zh-CN'] ?? '');
      return [...docs, ...json, report(`exercises/${ex}/exercise.json`, titles.join('\n'))].flat();
    });
    expect(found).toEqual([]);
  });
});
