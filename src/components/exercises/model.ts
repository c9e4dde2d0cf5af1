// What the panel knows about an exercise, in one language. Plain data: the page embeds the summary, and the
// workspace fetches the rest (starter, tests, messages, hints) when the learner opens it; the solution is a
// file of its own, fetched only when the learner asks for it.
import type { PanelLang } from './i18n.ts';

export type ExerciseKind = 'implement' | 'attack' | 'fix';

/** What the lesson page shows before the exercise is opened. */
export interface ExerciseSummary {
  id: string;
  version: number;
  lesson: string;
  kind: ExerciseKind;
  timeLimitMs: number;
  title: string;
  tasks: { id: string; title: string }[];
  /** The instructions, rendered from Markdown at build time. */
  instructionsHtml: string;
}

/** What opening the exercise fetches (one JSON file per exercise and language). */
export interface ExercisePayload {
  id: string;
  version: number;
  lang: PanelLang;
  timeLimitMs: number;
  starter: string;
  /** The text of test_exercise.py. */
  tests: string;
  /** Failure messages by key, already in `lang`. */
  messages: Record<string, string>;
  /** Hints per task, weakest first, in `lang`. */
  hints: Record<string, string[]>;
  tasks: { id: string; title: string }[];
}

/** The solution file (fetched only when the learner asks for it). */
export interface SolutionPayload {
  id: string;
  version: number;
  code: string;
}

/** The URL folder of an exercise's fetched files. */
export function exerciseFilesBase(id: string): string {
  return `/exercise-files/${encodeURIComponent(id)}/`;
}

/** The cap on each test's captured output, in characters (the runner cuts longer output and says so). */
export const OUTPUT_CAP = 8000;
