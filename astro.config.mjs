// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import cjkSoftBreaks from './src/markdown/cjk-soft-breaks.mjs';
import scrollTables from './src/markdown/scroll-tables.mjs';
import { LESSON_SLUGS } from './src/lessons/registry.ts';
import { LAB_CATALOG } from './src/labs/catalog.ts';

/**
 * Build warnings that say nothing actionable about this site, each dropped by its exact code and subject:
 * Astro's MDX pages carry a `"use astro:head-inject"` marker that Astro itself reads before bundling, and the
 * bundler warns that it may not keep that module-level directive once bundled (it does not need to).
 * @param {{ code?: string, message: string }} warning
 * @param {(warning: { code?: string, message: string }) => void} warn
 */
function quietKnownWarnings(warning, warn) {
  if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && String(warning.message).includes('"use astro:head-inject"')) return;
  warn(warning);
}

export default defineConfig({
  site: 'http://localhost:4321',
  server: { host: '127.0.0.1', port: 4321 },
  vite: {
    build: {
      rolldownOptions: { onwarn: quietKnownWarnings },
      // The largest browser chunk is the in-browser Redis (ioredis-mock, about 1.3 MB minified), which the Redis
      // view loads only when a reader starts it; the limit sits just above it so any other large chunk still
      // warns. What a page loads before interaction is held to its budget by scripts/size-budget.mjs in npm test.
      chunkSizeWarningLimit: 1400,
    },
  },
  integrations: [
    // A line break inside Chinese prose would show as a space: this Markdown step drops it (MDX pages too).
    cjkSoftBreaks(),
    // Lesson tables scroll sideways on a narrow screen and take keyboard focus.
    scrollTables(),
    starlight({
      title: { en: 'Flask Session Lab', 'zh-CN': 'Flask 会话实验室' },
      description: 'How Flask sessions work inside, rebuilt in TypeScript and watched request by request.',
      defaultLocale: 'root',
      locales: {
        root: { label: 'English', lang: 'en' },
        'zh-cn': { label: '简体中文', lang: 'zh-CN' },
      },
      sidebar: [
        {
          label: 'Lessons',
          translations: { 'zh-CN': '课程' },
          // In course order from src/lessons/registry.ts; each item's label is its page's title.
          items: LESSON_SLUGS.map((slug) => `lessons/${slug}`),
        },
        {
          label: 'Labs',
          translations: { 'zh-CN': '实验' },
          items: [{ slug: 'labs' }, ...LAB_CATALOG.map((lab) => `labs/${lab.slug}`)],
        },
        {
          label: 'Tools',
          translations: { 'zh-CN': '工具' },
          items: [{ slug: 'exercises' }, { slug: 'playground' }, { slug: 'inspector' }, { slug: 'live' }, { slug: 'teacher' }],
        },
        {
          label: 'About the course',
          translations: { 'zh-CN': '关于本课程' },
          items: [{ slug: 'sources' }, { slug: 'glossary' }],
        },
      ],
      lastUpdated: false,
      // src/pages/404.astro is the 404 page, in both languages.
      disable404Route: true,
      customCss: ['./src/styles/site.css'],
      // Lesson pages end with their exercises (src/components/exercises/), added in one place for both languages.
      // Search also lists the other language's results when the page's own language has none.
      components: { MarkdownContent: './src/components/overrides/MarkdownContent.astro', Search: './src/components/overrides/Search.astro',
        // Presenter mode (src/components/presenter/): its toggle under the title, its first-paint switch in <head>.
        PageTitle: './src/components/overrides/PageTitle.astro', Head: './src/components/overrides/Head.astro' },
    }),
  ],
});
