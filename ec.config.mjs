// @ts-check
// Expressive Code options (read by Starlight's code blocks and by the <Code> component alike).
import { defineEcConfig } from '@astrojs/starlight/expressive-code';
import { focusableCodeBlocks } from './src/markdown/ec-focusable-blocks.mjs';

export default defineEcConfig({
  // A code block that scrolls sideways takes keyboard focus from the markup on.
  plugins: [focusableCodeBlocks()],
  // Expressive Code tells a code block's language from where its file sits under src/content/docs/; the pages live in
  // content/, so without this every Markdown code block on a 简体中文 page spoke English ("Copy to clipboard").
  getBlockLocale: ({ file }) => {
    const where = file.url && file.url.protocol !== 'file:' ? file.url.pathname : file.path.replace(/\\/g, '/');
    return /(^|\/)(content\/)?zh-cn\//.test(where) ? 'zh-CN' : 'en';
  },
});
