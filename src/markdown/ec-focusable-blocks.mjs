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

/** Languages where indentation is syntax, or a wrapped line reads as two commands: never wrapped. */
const NEVER_WRAPPED = new Set(['py', 'python', 'ts', 'typescript', 'js', 'javascript', 'sh', 'bash', 'shell']);

/**
 * An Expressive Code plugin: each rendered block's <pre> carries tabindex="0", and a listing in one of the
 * languages above scrolls instead of wrapping even when its page asks for `wrap`.
 */
export function focusableCodeBlocks() {
  return {
    name: 'Focusable code blocks',
    hooks: {
      /** @param {{ codeBlock: { language: string, props: { wrap?: boolean } } }} context */
      preprocessMetadata: ({ codeBlock }) => {
        if (NEVER_WRAPPED.has(codeBlock.language)) codeBlock.props.wrap = false;
      },
      /** @param {{ renderData: { blockAst: any } }} context */
      postprocessRenderedBlock: ({ renderData }) => focusablePre(renderData.blockAst),
    },
  };
}
