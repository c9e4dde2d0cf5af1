import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { onOneScreen } from './support.ts';

// The lessons lead with Flask's behaviour and its Python; the engine's TypeScript listings are folded behind a
// <details> disclosure. Every listing is folded when the page opens, opens with Enter or Space on its summary or
// with a click, and no Python block is folded.

const LESSON_DIR = { en: 'content/lessons', 'zh-CN': 'content/zh-cn/lessons' } as const;

/** How many engine listings each lesson's source asks for (each `<EngineCode …/>` element). */
function listingsPerLesson(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.mdx'))) {
    out.set(file.replace(/\.mdx$/, ''), (readFileSync(`${dir}/${file}`, 'utf8').match(/<EngineCode\s/g) ?? []).length);
  }
  return out;
}

const languages = [
  { lang: 'en', prefix: '', summary: /^The engine's TypeScript: .+ \(src\/.+\.ts, \d+ lines\)$/ },
  { lang: 'zh-CN', prefix: '/zh-cn', summary: /^引擎的 TypeScript 实现：.+（src\/.+\.ts，\d+ 行）$/ },
] as const;

for (const l of languages) {
  test(`engine listings are folded and Python is not (${l.lang})`, onOneScreen(`engine listings are folded and Python is not (${l.lang})`), async ({ page }) => {
    const lessons = listingsPerLesson(LESSON_DIR[l.lang]);
    let total = 0;
    let python = 0;
    for (const [slug, expected] of lessons) {
      await page.goto(`${l.prefix}/lessons/${slug}/`);
      const folds = page.locator('main details.engine-code');
      await expect(folds, slug).toHaveCount(expected);
      for (let i = 0; i < expected; i++) {
        const fold = folds.nth(i);
        await expect(fold, `${slug} listing ${i + 1} starts folded`).not.toHaveAttribute('open');
        await expect(fold.locator('summary')).toHaveText(l.summary);
        await expect(fold.locator('summary')).toBeVisible();
        await expect(fold.locator('pre[data-language="ts"]')).toBeHidden();
      }
      total += expected;
      // Every TypeScript listing on a lesson page is an engine listing, so every one is folded.
      const tsBlocks = await page.locator('main pre[data-language="ts"]').count();
      expect(tsBlocks, `${slug}: TypeScript blocks outside a fold`).toBe(expected);
      // Python: the lesson's listings are shown, and no Python (the widgets' code views included) is ever folded.
      const py = page.locator('main pre[data-language="py"]');
      for (let i = 0; i < (await py.count()); i++) {
        await expect(py.nth(i)).toBeVisible();
        python++;
      }
      expect(await page.locator('main details.engine-code pre:is([data-language="py"], [data-language="python"])').count(), `${slug}: folded Python`).toBe(0);
    }
    expect(total, 'engine listings found across the lessons').toBeGreaterThan(0);
    expect(python, 'Python blocks found across the lessons').toBeGreaterThan(0);
  });

  test(`an engine listing opens with the keyboard and with a click (${l.lang})`, onOneScreen(`an engine listing opens with the keyboard and with a click (${l.lang})`), async ({ page }) => {
    await page.goto(`${l.prefix}/lessons/cookies/`);
    const fold = page.locator('main details.engine-code').first();
    const summary = fold.locator('summary');
    const code = fold.locator('pre[data-language="ts"]');
    // Reached with Tab like any control: focus the element before it and tab once.
    await summary.evaluate((s) => {
      const before = document.createElement('button');
      before.textContent = 'before';
      s.closest('details')!.before(before);
      before.focus();
    });
    await page.keyboard.press('Tab');
    await expect(summary).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(fold).toHaveAttribute('open');
    await expect(code).toBeVisible();
    await expect(code).toContainText('parseCookie');
    await page.keyboard.press('Space');
    await expect(fold).not.toHaveAttribute('open');
    await expect(code).toBeHidden();
    await summary.click();
    await expect(fold).toHaveAttribute('open');
    await expect(code).toBeVisible();
    await summary.click();
    await expect(code).toBeHidden();
  });
}
