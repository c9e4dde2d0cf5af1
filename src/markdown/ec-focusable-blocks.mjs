// Code blocks scroll sideways instead of wrapping (Python and TypeScript are never broken inside a name), and a
// block that scrolls must be reachable from the keyboard. Expressive Code makes a block focusable from a script
// once it has measured it; here every block's <pre> is focusable in the markup itself, so the keyboard reaches it
// before any script runs (or when none does). Expressive Code's script later takes the tab stop away from a
// block that turns out to fit, and, since the tab stop is already there, adds nothing to one that scrolls: no
// nameless "region" landmarks, which a page with several scrolling blocks would repeat.

/** @param {any} node */
function focusablePre(node) {
  if (node.type === 'element' && node.tagName === 'pre') {
    node.properties ??= {};
    node.properties.tabIndex ??= 0;
    return;
  }
  for (const child of node.children ?? []) focusablePre(child);
}

/** An Expressive Code plugin: each rendered block's <pre> carries tabindex="0". */
export function focusableCodeBlocks() {
  return {
    name: 'Focusable code blocks',
    hooks: {
      /** @param {{ renderData: { blockAst: any } }} context */
      postprocessRenderedBlock: ({ renderData }) => focusablePre(renderData.blockAst),
    },
  };
}
