import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { settle, sitemapPaths, useTheme, type Theme } from './support.ts';

// Every page in the built sitemap, in both themes: no serious or critical axe violation.
const BLOCKING = new Set(['serious', 'critical']);
const themes: Theme[] = ['light', 'dark'];

// One known finding is not ours to fix and is judged acceptable: Starlight's search button has the
// accessible name "Search" while it also shows the keyboard hint "Ctrl K" (announced separately through
// aria-keyshortcuts). The visible label is contained in the name, which is what WCAG 2.5.3 asks; axe
// counts the hint as label text. Only that rule on that one element is waived, nothing else.
const waived = (id: string, target: string) => id === 'label-content-name-mismatch' && target === 'button[data-open-modal=""]';

for (const path of sitemapPaths()) {
  for (const theme of themes) {
    test(`axe: ${path} (${theme})`, async ({ page }) => {
      await useTheme(page, theme);
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await settle(page);
      const results = await new AxeBuilder({ page }).analyze();
      const blocking = results.violations
        .filter((v) => BLOCKING.has(v.impact ?? ''))
        .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !waived(v.id, n.target.join(' '))) }))
        .filter((v) => v.nodes.length > 0);
      const report = blocking.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
      expect(report, `axe violations on ${path} (${theme})`).toEqual([]);
    });
  }
}
