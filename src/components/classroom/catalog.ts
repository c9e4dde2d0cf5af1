// Build time only: what the classroom parts of a page need to know of the site, per language: every exercise
// (id, version, title, lesson, where it is) and every lab (slug, title, where it is), read from the exercise
// catalog and the labs' pages. Embedded in the page as JSON, so the scripts need no fetch to name a task.
import { getCollection } from 'astro:content';
import { allExercises } from '../exercises/catalog-view.ts';
import { CLASS_STRINGS, toClassLang, type ClassLang, type ClassStrings } from '../../classroom/i18n.ts';
import pkg from '../../../package.json' with { type: 'json' };

export interface CatalogExercise {
  id: string;
  version: number;
  title: string;
  lesson: string;
  lessonTitle: string;
  href: string;
}
export interface CatalogLab {
  slug: string;
  title: string;
  href: string;
}
export interface SiteCatalog {
  siteVersion: string;
  exercises: CatalogExercise[];
  labs: CatalogLab[];
}

/** The site's exercises and labs in one language, in course order. */
export async function siteCatalog(lang: ClassLang): Promise<SiteCatalog> {
  const prefix = lang === 'zh-CN' ? 'zh-cn/' : '';
  const docs = await getCollection('docs');
  const titleOf = (id: string) => docs.find((d) => d.id === id)?.data.title;
  const exercises = allExercises().map((ex) => ({
    id: ex.id,
    version: ex.version,
    title: ex.title[lang],
    lesson: ex.lesson,
    lessonTitle: titleOf(`${prefix}lessons/${ex.lesson}`) ?? ex.lesson,
    href: `/${prefix}lessons/${ex.lesson}/#ex-${ex.id}-title`,
  }));
  // A lab is a page content/labs/<slug>.mdx (content/zh-cn/labs/<slug>.mdx); the labs' index page is not one.
  const labPattern = new RegExp(`^${prefix}labs/([a-z0-9]+(?:-[a-z0-9]+)*)$`);
  const labs = docs
    .map((d) => ({ d, slug: labPattern.exec(d.id)?.[1] }))
    .filter((x): x is { d: (typeof docs)[number]; slug: string } => !!x.slug && x.slug !== 'index')
    .map(({ d, slug }) => ({ slug, title: d.data.title, href: `/${prefix}labs/${slug}/` }))
    .sort((a, b) => a.slug.localeCompare(b.slug));
  return { siteVersion: pkg.version, exercises, labs };
}

/** What each classroom component starts from: its language (from the page's `lang` prop), its strings and the catalog. */
export async function classPage(langProp: string | undefined): Promise<{ lang: ClassLang; t: ClassStrings; catalog: SiteCatalog }> {
  const lang = toClassLang(langProp);
  return { lang, t: CLASS_STRINGS[lang], catalog: await siteCatalog(lang) };
}
