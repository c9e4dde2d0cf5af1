// A `{name}` placeholder that a page never filled is text no reader should see: every built page, in both
// languages, is read as a reader sees it (markup, scripts and code left out) and must hold none.
import { describe, expect, it } from 'vitest';
import { builtPages, pageText } from '../support/built-pages.ts';

const pages = builtPages('');

describe('the built pages', () => {
  it('are all read, in both languages', () => {
    expect(pages.filter((p) => p.path.startsWith('/zh-cn/')).length).toBeGreaterThan(20);
    expect(pages.filter((p) => !p.path.startsWith('/zh-cn/')).length).toBeGreaterThan(20);
  });
  it('show no unfilled {placeholder} in their text', () => {
    const found = pages.flatMap(({ path, html }) => [...pageText(html).matchAll(/\{[a-zA-Z_]\w*\}/g)].map((m) => `${path}: ${m[0]}`));
    expect(found).toEqual([]);
  });
});
