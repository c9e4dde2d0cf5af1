// Reading the built site as a reader sees it: the pages of one language under dist/, and the text of a page
// without its markup, scripts, styles and code.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const DIST = join(import.meta.dirname, '../../dist');

/** Every built HTML page under `dist/<dir>` (e.g. `zh-cn`), as `{ path, html }`; fails when the site was not built. */
export function builtPages(dir: string, dist = DIST): { path: string; html: string }[] {
  const root = join(dist, dir);
  if (!existsSync(join(root, 'index.html'))) throw new Error(`${relative(process.cwd(), root)}/index.html is missing: run \`npm run build\` first`);
  const pages: { path: string; html: string }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const file = join(d, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.html')) pages.push({ path: '/' + relative(dist, file).replace(/index\.html$/, ''), html: readFileSync(file, 'utf8') });
    }
  };
  walk(root);
  return pages;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references a built page uses. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return ENTITIES[ref.toLowerCase()] ?? m;
  });
}

/** Tags that do not interrupt a line of text; every other tag starts a new block. */
const INLINE_TAGS = new Set(['a', 'abbr', 'b', 'bdi', 'cite', 'data', 'del', 'dfn', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr']);

/** A start or end tag whose attribute values may hold `>` (Expressive Code's data-code, a widget's JSON state). */
const TAG = /<\/?([a-zA-Z][\w-]*)(?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*\/?>/g;

/** The markup of a page without scripts, styles, SVG and code (code blocks and inline code). */
export function withoutCode(html: string): string {
  const out: string[] = [];
  let skipping: { tag: string; depth: number } | null = null;
  let last = 0;
  for (const m of html.matchAll(TAG)) {
    const tag = m[1]!.toLowerCase();
    const closing = m[0][1] === '/';
    if (skipping) {
      if (tag === skipping.tag) skipping.depth += closing ? -1 : 1;
      if (skipping.depth === 0) {
        out.push(skipping.tag === 'code' ? '\u0002' : '\u0001');
        skipping = null;
        last = m.index + m[0].length;
      }
      continue;
    }
    if (!closing && ['script', 'style', 'svg', 'pre', 'code', 'template', 'textarea'].includes(tag)) {
      out.push(html.slice(last, m.index));
      skipping = { tag, depth: 1 };
    }
  }
  if (!skipping) out.push(html.slice(last));
  return out.join('');
}

/**
 * The visible prose of a page: markup, scripts, styles and code removed, each block ends with U+0001, inline code
 * stands as U+0002 (so a space before it is still seen as a space before something that is not Chinese).
 * `keepCode` keeps the text of code blocks and inline code too.
 */
export function pageText(html: string, { keepCode = false } = {}): string {
  const body = html.replace(/^[\s\S]*?<body\b[^>]*>/i, '');
  const prose = (markup: string) => (keepCode ? markup.replace(/<(script|style|template)\b[\s\S]*?<\/\1>/gi, '\u0001') : withoutCode(markup));
  return decodeEntities(
    // Whitespace alone between two tags separates elements (a title and its summary), it is not a space in prose.
    prose(body.replace(/>\s+</g, '>\u0001<'))
      .replace(TAG, (_m, tag: string) => (INLINE_TAGS.has(tag.toLowerCase()) ? '' : '\u0001'))
      // White space beside the edge of a block is not shown.
      .replace(/\s*\u0001\s*/g, '\u0001'),
  );
}
