// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({
  site: 'http://localhost:4321',
  server: { host: '127.0.0.1', port: 4321 },
  integrations: [
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
          items: [{ autogenerate: { directory: 'lessons' } }],
        },
        {
          label: 'Tools',
          translations: { 'zh-CN': '工具' },
          items: [{ slug: 'playground' }, { slug: 'inspector' }],
        },
      ],
      lastUpdated: false,
      customCss: ['./src/styles/site.css'],
    }),
  ],
});
