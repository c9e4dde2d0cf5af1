// Build time only: the exercises of the catalog (src/exercises/catalog.ts, read from exercises/ with node:fs), as
// the panel, the overview pages and the fetched files need them, per language. Instructions are rendered from
// Markdown here, so the page ships HTML and no Markdown parser.
import { micromark } from 'micromark';
import { mendHtmlSoftBreaks } from '../../markdown/cjk-soft-breaks.mjs';
import type { PanelLang } from './i18n.ts';
import type { ExercisePayload, ExerciseSummary, SolutionPayload } from './model.ts';
import { loadExercises } from '../../exercises/catalog.ts';
import { LESSONS, type Exercise } from '../../exercises/types.ts';

let cache: Exercise[] | null = null;

/** Every exercise in the catalog, in folder order (read once per build, from the project folder the build runs in). */
export function allExercises(): Exercise[] {
  cache ??= loadExercises(process.cwd());
  return cache;
}

/**
 * Renders an exercise's instructions (CommonMark; raw HTML in the Markdown is escaped, never passed through), with
 * the line breaks inside Chinese prose dropped as the lesson pages drop them. A leading `# Title` is dropped (the
 * panel shows the title), and headings move under the panel's own h3.
 */
export function renderInstructions(markdown: string): string {
  const body = markdown.replace(/^\s*#\s[^\n]*\n/, '');
  return mendHtmlSoftBreaks(micromark(body)).replace(/<(\/?)h([1-6])>/g, (_, slash: string, level: string) => `<${slash}h${Math.min(6, Math.max(4, Number(level) + 2))}>`);
}

/** The summary a lesson page embeds for one exercise. */
export function summaryOf(ex: Exercise, lang: PanelLang): ExerciseSummary {
  return {
    id: ex.id,
    version: ex.version,
    lesson: ex.lesson,
    kind: ex.kind,
    timeLimitMs: ex.timeLimitMs,
    title: ex.title[lang],
    tasks: ex.tasks.map((t) => ({ id: t.id, title: t.title[lang] })),
    instructionsHtml: renderInstructions(ex.instructions[lang]),
  };
}

/** The exercises of one lesson (by slug, e.g. `session-dict`), in folder order. */
export function exercisesOfLesson(lesson: string, lang: PanelLang): ExerciseSummary[] {
  return allExercises()
    .filter((ex) => ex.lesson === lesson)
    .map((ex) => summaryOf(ex, lang));
}

/**
 * Every lesson in registry order with the summaries of its exercises, for the overview page. Fails the build when an
 * exercise names a lesson the registry does not have.
 */
export function exercisesByLesson(lang: PanelLang): { slug: string; exercises: ExerciseSummary[] }[] {
  const exercises = allExercises().map((ex) => summaryOf(ex, lang));
  const unknown = exercises.filter((ex) => !(LESSONS as readonly string[]).includes(ex.lesson));
  if (unknown.length) throw new Error(`Exercises overview: ${unknown.map((ex) => `${ex.id} names lesson "${ex.lesson}"`).join('; ')}, which is not one of ${LESSONS.join(', ')}`);
  return LESSONS.map((slug) => ({ slug, exercises: exercises.filter((ex) => ex.lesson === slug) }));
}

/** What opening an exercise fetches, in one language. */
export function payloadOf(ex: Exercise, lang: PanelLang): ExercisePayload {
  return {
    id: ex.id,
    version: ex.version,
    lang,
    timeLimitMs: ex.timeLimitMs,
    starter: ex.starter,
    tests: ex.tests,
    messages: ex.messages[lang],
    hints: Object.fromEntries(Object.entries(ex.hints[lang]).map(([task, list]) => [task, [...list]])),
    tasks: ex.tasks.map((t) => ({ id: t.id, title: t.title[lang] })),
  };
}

/** The solution, served as a file of its own. */
export function solutionOf(ex: Exercise): SolutionPayload {
  return { id: ex.id, version: ex.version, code: ex.solution };
}
