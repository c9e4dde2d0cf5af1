import { expect, test, type Page } from '@playwright/test';
import { sitemapPaths, onOneScreen } from './support.ts';

// "The posts": the five blog posts the course corrects are introduced once, on /sources/ (and /zh-cn/sources/),
// and every page that mentions them links each mention there.

const languages = [
  { lang: 'en', prefix: '', heading: 'The posts this course corrects' },
  { lang: 'zh-CN', prefix: '/zh-cn', heading: '本课程纠正的素材文章' },
] as const;

/** The posts' titles as published (the seeds' headers), which both pages give in the original Chinese. */
const TITLES = ['《flask-session》', '《Flask-Session使用Redis》', '《Day047session技术(8.14)》', '《flasksession组件的使用示例》'];

/**
 * How each language refers to the posts. English: "post"/"posts" (lowercase or capitalised; the HTTP method
 * POST is upper case). Chinese: 文章 (article), 博客 / 博文 (blog post) and 原文 (the original text).
 * `notPosts` are the few phrases that use those words for something else: the news site's articles in
 * lesson 4's cookie-size example, old blog software on a forgotten subdomain in lesson 1, and the
 * visualizer's label for the engine's own message (引擎原文, "the engine's original text").
 */
const MENTION = {
  en: { words: '\\b[Pp]osts?\\b', notPosts: [] as string[] },
  'zh-CN': { words: '文章|博客|博文|原文', notPosts: ['个文章 id', '篇文章后', '读的文章', '文章数', '博客程序', '引擎原文'] },
};

interface Mention {
  text: string;
  href: string | null;
}

/** Every mention of the posts in the page's prose (headings, table headers and code are not prose). */
function mentions(page: Page, lang: 'en' | 'zh-CN'): Promise<Mention[]> {
  return page.evaluate(({ words, notPosts }) => {
    const re = new RegExp(words);
    const root = document.querySelector('main') ?? document.body;
    const out: { text: string; href: string | null }[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement!;
      if (el.closest('h1, h2, h3, h4, h5, h6, th, code, pre, script, style, template, .sl-anchor-link')) continue;
      let text = n.nodeValue ?? '';
      for (const p of notPosts) text = text.split(p).join('');
      if (!re.test(text)) continue;
      out.push({ text: (n.nodeValue ?? '').trim().replace(/\s+/g, ' '), href: el.closest('a')?.getAttribute('href') ?? null });
    }
    return out;
  }, MENTION[lang]);
}

for (const l of languages) {
  test(`the sources page introduces the five posts (${l.lang})`, onOneScreen(`the sources page introduces the five posts (${l.lang})`), async ({ page }) => {
    const response = await page.goto(`${l.prefix}/sources/`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('html')).toHaveAttribute('lang', l.lang);
    await expect(page.getByRole('heading', { level: 1, name: l.heading })).toBeVisible();
    await expect(page.locator('main h2')).toHaveCount(6); // five posts, then how the lessons use them
    for (const title of TITLES) await expect(page.locator('main').getByText(title, { exact: true })).toBeVisible();
    for (const where of ['CSDN', '孤寒者', '《Flask框架从入门到实战》', '创新互联', '2025-08-31']) await expect(page.locator('main')).toContainText(where);
    // Each post says which lessons correct it, and every such link leads to a lesson in this language.
    const lessonLinks = await page.locator('main a[href*="/lessons/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    expect(new Set(lessonLinks).size).toBe(8);
    for (const href of lessonLinks) expect(href.startsWith(`${l.prefix}/lessons/`), href).toBe(true);
  });

  test(`every mention of the posts links to the sources page (${l.lang})`, onOneScreen(`every mention of the posts links to the sources page (${l.lang})`), async ({ page }) => {
    const pages = sitemapPaths().filter((p) => (l.prefix ? p.startsWith('/zh-cn/') : !p.startsWith('/zh-cn/')) && !p.endsWith('/sources/'));
    const unlinked: string[] = [];
    let linked = 0;
    for (const path of pages) {
      await page.goto(path);
      for (const m of await mentions(page, l.lang)) {
        if (m.href === `${l.prefix}/sources/` || m.href?.startsWith(`${l.prefix}/sources/#`)) linked++;
        else unlinked.push(`${path}: "${m.text}" (${m.href ?? 'no link'})`);
      }
    }
    expect(unlinked, 'mentions of the posts without a link to the sources page').toEqual([]);
    // The lessons do cite the posts: if this drops to 0, the words above no longer find them.
    expect(linked).toBeGreaterThanOrEqual(25);
  });
}
