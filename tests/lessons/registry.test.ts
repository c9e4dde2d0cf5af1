// The lesson registry (src/lessons/registry.ts) is the one list of lessons: every lesson page has an entry and every
// entry has its page in both languages, with the title the registry gives it; each demo module under src/lessons/ and
// each Python example under examples/python/ belongs to one lesson and exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LESSON_REGISTRY, LESSON_SLUGS, lessonNumber, lessonPath } from '../../src/lessons/registry.ts';

const pages = { en: 'content/lessons', 'zh-CN': 'content/zh-cn/lessons' } as const;

/** The `title:` line of an MDX page's front matter. */
function frontMatterTitle(file: string): string {
  const head = /^---\n([\s\S]*?)\n---\n/.exec(readFileSync(file, 'utf8'));
  const title = head && /^title: (.*)$/m.exec(head[1]!);
  if (!title) throw new Error(`${file}: no title in its front matter`);
  return title[1]!.replace(/^(['"])(.*)\1$/, '$2');
}

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(keep).map((f) => f.split('\\').join('/'));
}

describe('lesson registry', () => {
  it('has one entry per lesson page, in both languages, with the page titles', () => {
    for (const [lang, dir] of Object.entries(pages) as [keyof typeof pages, string][]) {
      const slugs = readdirSync(dir).filter((f) => f.endsWith('.mdx')).map((f) => f.replace(/\.mdx$/, ''));
      expect(slugs.sort(), dir).toEqual([...LESSON_SLUGS].sort());
      for (const lesson of LESSON_REGISTRY) expect(lesson.title[lang], `${dir}/${lesson.slug}.mdx`).toBe(frontMatterTitle(`${dir}/${lesson.slug}.mdx`));
    }
  });

  it('numbers the lessons by their order and makes their paths', () => {
    expect(LESSON_SLUGS.map(lessonNumber)).toEqual(LESSON_SLUGS.map((_, at) => at + 1));
    expect(() => lessonNumber('no-such-lesson')).toThrow(/No lesson "no-such-lesson"/);
    expect(lessonPath('cookies', 'zh-CN')).toBe('/zh-cn/lessons/cookies/');
  });

  it('gives every demo module and Python example to exactly one lesson', () => {
    const shared = ['describe.ts', 'exchange.ts', 'registry.ts', 'demo-common.ts'];
    const demos = filesUnder('src/lessons', (f) => f.endsWith('.ts')).filter((f) => !shared.includes(f));
    expect(LESSON_REGISTRY.flatMap((l) => l.demos).sort()).toEqual(demos.sort());
    const examples = filesUnder('examples/python', (f) => f.endsWith('.py'));
    expect(LESSON_REGISTRY.flatMap((l) => l.examples).sort()).toEqual(examples.sort());
    for (const f of shared) expect(existsSync(`src/lessons/${f}`), f).toBe(true);
    // A lesson's demo modules are named after it: its slug, or its slug and what the module holds.
    for (const l of LESSON_REGISTRY) for (const d of l.demos) expect(d, l.slug).toMatch(new RegExp(`^${l.slug}(-[a-z0-9-]+)?\\.ts$`));
  });
});
