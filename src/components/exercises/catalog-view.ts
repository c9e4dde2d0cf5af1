// Build time only: the exercises of the catalog (src/exercises/catalog.ts, read from exercises/ with node:fs), as
// the panel, the overview pages and the fetched files need them, per language. Instructions are rendered from
// Markdown here, so the page ships HTML and no Markdown parser.
import { micromark } from 'micromark';
import { mendHtmlSoftBreaks } from '../../markdown/cjk-soft-breaks.mjs';
import type { PanelLang } from './i18n.ts';
import type { ExercisePayload, ExerciseSummary, SolutionPayload } from './model.ts';

type Localized<T> = { en: T; 'zh-CN': T };

/** The fields of a catalog exercise (src/exercises/types.ts) the panel reads. */
export interface Exercise {
  id: string;
  version: number;
  lesson: string;
  kind: 'implement' | 'attack' | 'fix';
  timeLimitMs: number;
  title: Localized<string>;
  tasks: { id: string; title: Localized<string> }[];
  starter: string;
  solution: string;
  tests: string;
  messages: Localized<Record<string, string>>;
  instructions: Localized<string>;
  hints: Localized<Record<string, string[]>>;
}

// The catalog, when the project has one: a glob, so the site builds (with no exercises) without it.
const catalogs = import.meta.glob<{ loadExercises(root: string): Exercise[] }>('../../exercises/catalog.ts', { eager: true });

let cache: Exercise[] | null = null;

/** Every exercise in the catalog, in folder order (read once per build). */
export function allExercises(): Exercise[] {
  const catalog = catalogs['../../exercises/catalog.ts'];
  cache ??= catalog ? catalog.loadExercises(`${process.cwd()}/exercises`) : [];
  return cache;
}

/**
 * Renders an exercise's instructions (CommonMark; raw HTML in the Markdown is escaped, never passed through), with
 * the line breaks inside Chinese prose dropped as the lesson pages drop them.
 */
export function renderInstructions(markdown: string): string {
  return mendHtmlSoftBreaks(micromark(markdown));
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
    hints: ex.hints[lang],
    tasks: ex.tasks.map((t) => ({ id: t.id, title: t.title[lang] })),
  };
}

/** The solution, served as a file of its own. */
export function solutionOf(ex: Exercise): SolutionPayload {
  return { id: ex.id, version: ex.version, code: ex.solution };
}
