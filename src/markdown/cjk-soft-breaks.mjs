// @ts-check
// A Markdown step for Chinese prose: a line break inside a paragraph is a "soft" break, and a browser shows it as a
// space. Between two Chinese characters, or beside full-width punctuation, that space does not belong there
// ("可伪造的。 这话…"). This step drops such breaks; a break beside a Latin word, a number or inline code stays a
// space, as Chinese typesetting puts a space between Han characters and Latin text.

/** Han ideographs, kana and Hangul: characters that are written without spaces between them. */
export const CJK_LETTER = /[\u2E80-\u2FDF\u3040-\u30FF\u3100-\u312F\u31A0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]/u;
/** Full-width punctuation and forms: 、。「」《》【】 and ，：；（）！？ and the ideographic space. */
export const FULLWIDTH_PUNCT = /[\u3000-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]/u;
/** Quotes and marks that Chinese text uses too, but that are not Chinese on their own: “ ” ‘ ’ … — */
const SHARED_MARK = /[\u2018\u2019\u201C\u201D\u2026\u2014]/u;

/**
 * Whether a line break between the characters `before` and `after` should vanish rather than show as a space.
 * @param {string | undefined} before
 * @param {string | undefined} after
 */
export function dropsBreak(before, after) {
  if (!before || !after) return false;
  if (FULLWIDTH_PUNCT.test(before) || FULLWIDTH_PUNCT.test(after)) return true;
  const cjk = (/** @type {string} */ c) => CJK_LETTER.test(c);
  const shared = (/** @type {string} */ c) => SHARED_MARK.test(c);
  return (cjk(before) && (cjk(after) || shared(after))) || (shared(before) && cjk(after));
}

/** Inline node types whose text flows on in the same line of prose. */
const FLOWING = new Set(['emphasis', 'strong', 'delete', 'link', 'linkReference', 'mdxJsxTextElement']);
/** Inline node types that are part of a run of prose, whatever their content. */
const INLINE = new Set([...FLOWING, 'text', 'inlineCode', 'break', 'image', 'imageReference', 'html', 'mdxTextExpression', 'footnoteReference']);

/**
 * @typedef {{ readonly type: string, readonly value?: string, readonly children?: readonly Node[] }} Node
 * @typedef {{ node: Node | null }} Leaf  a text-bearing leaf, or `node: null` for something opaque (an expression, a break)
 */

/**
 * The leaves of a run of inline nodes, in reading order.
 * @param {readonly Node[]} nodes
 * @param {Leaf[]} out
 */
function leaves(nodes, out) {
  for (const node of nodes) {
    if (FLOWING.has(node.type) && node.children) leaves(node.children, out);
    else if (node.type === 'text' || node.type === 'inlineCode') out.push({ node });
    else out.push({ node: null });
  }
  return out;
}

/** @param {Leaf | undefined} leaf @param {'first' | 'last'} end */
function edge(leaf, end) {
  const value = leaf?.node?.value;
  if (!value) return undefined;
  const chars = Array.from(value);
  return end === 'first' ? chars[0] : chars[chars.length - 1];
}

/**
 * The new values of the text nodes of one run of inline nodes, with the soft breaks dropped that sit between
 * Chinese characters or beside full-width punctuation.
 * @param {readonly Node[]} run
 * @param {(node: Node, value: string) => void} set  called once for every text node whose value changes
 */
function mendRun(run, set) {
  const list = leaves(run, []);
  let dropped = 0;
  list.forEach((leaf, i) => {
    const node = leaf.node;
    if (!node || node.type !== 'text' || !node.value || !node.value.includes('\n')) return;
    let changed = false;
    const value = node.value.replace(/[ \t]*\r?\n[ \t]*/g, (match, offset, whole) => {
      const before = offset > 0 ? Array.from(whole.slice(0, offset)).pop() : edge(list[i - 1], 'last');
      const rest = whole.slice(offset + match.length);
      const after = rest.length > 0 ? Array.from(rest)[0] : edge(list[i + 1], 'first');
      if (!dropsBreak(before, after)) return match;
      dropped += 1;
      changed = true;
      return '';
    });
    if (changed) set(node, value);
  });
  return dropped;
}

/**
 * Walks a Markdown tree (mdast) and mends every run of inline nodes in it; returns how many breaks it dropped.
 * The tree is not changed: `set` receives each text node that needs a new value.
 * @param {Node} node
 * @param {(node: Node, value: string) => void} set
 */
export function mendSoftBreaks(node, set) {
  const children = node.children;
  if (!children) return 0;
  let dropped = 0;
  if (children.some((child) => INLINE.has(child.type))) dropped += mendRun(children, set);
  for (const child of children) if (!INLINE.has(child.type)) dropped += mendSoftBreaks(child, set);
  return dropped;
}

/** The step as a plugin for Sätteri, Astro's Markdown and MDX processor. */
export const cjkSoftBreaksPlugin = {
  name: 'cjk-soft-breaks',
  /**
   * @param {any} root
   * @param {{ setProperty(node: any, key: 'value', value: string): void }} ctx
   */
  before(root, ctx) {
    mendSoftBreaks(root, (node, value) => ctx.setProperty(node, 'value', value));
  },
};

/**
 * An Astro integration that adds the step to the Markdown processor, which MDX pages use too.
 * @returns {import('astro').AstroIntegration}
 */
export default function cjkSoftBreaks() {
  return {
    name: 'cjk-soft-breaks',
    hooks: {
      'astro:config:setup': ({ config, logger }) => {
        const processor = /** @type {any} */ (config.markdown?.processor);
        if (processor?.name !== 'satteri' || !Array.isArray(processor.options?.mdastPlugins)) {
          throw new Error(`cjk-soft-breaks needs Astro's Sätteri Markdown processor, and the configured one is ${processor?.name ?? 'missing'}`);
        }
        processor.options.mdastPlugins.push(cjkSoftBreaksPlugin);
        logger.debug('added to the Markdown processor');
      },
    },
  };
}

/** Start and end tags, with attribute values that may hold `>`. */
const TAG = /<\/?([a-zA-Z][\w-]*)(?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*\/?>/g;
/** Tags inside which text flows on in the same line of prose. */
const INLINE_TAGS = new Set(['a', 'abbr', 'b', 'cite', 'code', 'del', 'em', 'i', 'kbd', 'mark', 'q', 's', 'small', 'span', 'strong', 'sub', 'sup', 'u']);

/**
 * The same step for HTML that did not come through Astro's Markdown processor (an exercise's instructions, rendered
 * with micromark): drops the soft breaks between Chinese characters or beside full-width punctuation, leaving
 * `<pre>` blocks alone.
 * @param {string} html
 */
export function mendHtmlSoftBreaks(html) {
  /** @type {{ text: string, tag: boolean, inline: boolean, keep: boolean }[]} the text and the tags, in order */
  const pieces = [];
  let keep = 0; // inside <pre> or <code>: never changed
  let last = 0;
  for (const m of html.matchAll(TAG)) {
    if (m.index > last) pieces.push({ text: html.slice(last, m.index), tag: false, inline: true, keep: keep > 0 });
    const name = m[1].toLowerCase();
    if (name === 'pre' || name === 'code') keep += m[0][1] === '/' ? -1 : 1;
    pieces.push({ text: m[0], tag: true, inline: INLINE_TAGS.has(name), keep: false });
    last = m.index + m[0].length;
  }
  if (last < html.length) pieces.push({ text: html.slice(last), tag: false, inline: true, keep: false });
  /** The character next to piece i in direction dir, within the same block. @param {number} i @param {-1 | 1} dir */
  const neighbour = (i, dir) => {
    for (let j = i + dir; j >= 0 && j < pieces.length; j += dir) {
      const p = pieces[j];
      if (p.tag && !p.inline) return undefined;
      if (!p.tag && p.text.length > 0) {
        const chars = Array.from(p.text);
        return dir < 0 ? chars[chars.length - 1] : chars[0];
      }
    }
    return undefined;
  };
  return pieces
    .map((p, i) => {
      if (p.tag || p.keep || !p.text.includes('\n')) return p.text;
      return p.text.replace(/[ \t]*\r?\n[ \t]*/g, (match, offset, whole) => {
        const before = offset > 0 ? Array.from(whole.slice(0, offset)).pop() : neighbour(i, -1);
        const rest = whole.slice(offset + match.length);
        const after = rest.length > 0 ? Array.from(rest)[0] : neighbour(i, 1);
        return dropsBreak(before, after) ? '' : match;
      });
    })
    .join('');
}
