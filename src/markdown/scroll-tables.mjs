// @ts-check
// Tables in lessons scroll sideways when they are wider than the page (Starlight makes each <table> its own
// scrolling box), so no cell is squeezed until a word breaks into letters. A box that scrolls must be reachable
// from the keyboard, or a reader without a pointer cannot see its hidden columns: every table in the content,
// written in Markdown or as JSX in an MDX file, gets tabindex="0" in the page's markup (no script needed).
// The scroll shadows that show a table has more columns are in src/styles/site.css.

/** The step as an HTML-tree plugin for Sätteri, Astro's Markdown and MDX processor. */
export const scrollTablesPlugin = {
  name: 'scroll-tables',
  element: {
    filter: ['table'],
    /**
     * @param {any} node
     * @param {{ setProperty(node: any, key: string, value: unknown): void }} ctx
     */
    visit(node, ctx) {
      if (node.properties?.tabIndex === undefined) ctx.setProperty(node, 'tabIndex', 0);
    },
  },
  mdxJsxFlowElement: {
    filter: ['table'],
    /**
     * @param {any} node
     * @param {{ setProperty(node: any, key: string, value: unknown): void }} ctx
     */
    visit(node, ctx) {
      const has = (node.attributes ?? []).some((/** @type {any} */ a) => a.type === 'mdxJsxAttribute' && /^tabindex$/i.test(a.name));
      if (!has) ctx.setProperty(node, 'tabindex', '0');
    },
  },
};

/**
 * An Astro integration that adds the step to the Markdown processor, which MDX pages use too.
 * @returns {import('astro').AstroIntegration}
 */
export default function scrollTables() {
  return {
    name: 'scroll-tables',
    hooks: {
      'astro:config:setup': ({ config }) => {
        const processor = /** @type {any} */ (config.markdown?.processor);
        if (processor?.name !== 'satteri' || !Array.isArray(processor.options?.hastPlugins)) {
          throw new Error(`scroll-tables needs Astro's Sätteri Markdown processor, and the configured one is ${processor?.name ?? 'missing'}`);
        }
        processor.options.hastPlugins.push(scrollTablesPlugin);
      },
    },
  };
}
