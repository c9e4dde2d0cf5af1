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
          // Listed by slug: autogenerate looks for files under src/content/docs/, and the lessons live in content/.
          items: [
            'lessons/cookies',
            'lessons/session-dict',
            'lessons/inside-the-cookie',
            'lessons/attacks',
            'lessons/custom-interface',
            'lessons/flask-session-redis',
            'lessons/server-side-security',
            'lessons/scaling',
          ],
        },
        {
          label: 'Tools',
          translations: { 'zh-CN': '工具' },
          items: [{ slug: 'playground' }, { slug: 'inspector' }, { slug: 'live' }],
        },
        {
          label: 'About the course',
          translations: { 'zh-CN': '关于本课程' },
          items: [{ slug: 'sources' }],
        },
      ],
      lastUpdated: false,
      customCss: ['./src/styles/site.css'],
    }),
  ],
});
