// The shapes shared by the exercise catalog, the Python runner's answers, the browser panel and the CLI.
//
// A result follows Exercism's test-runner results.json, version 3
// (https://github.com/exercism/docs/blob/main/building/tooling/test-runners/interface.md), with one addition:
// `exchanges`, the HTTP requests each test made and the responses it got, by test name.

import { LESSON_SLUGS, type LessonSlug } from '../lessons/registry.ts';

/** The two languages every exercise speaks. */
export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];

/** A text in both languages. */
export type Localized = Record<Lang, string>;

/** What the learner does: write new code, break a weak app, or repair a broken one. */
export type ExerciseKind = 'implement' | 'attack' | 'fix';
export const EXERCISE_KINDS: readonly ExerciseKind[] = ['implement', 'attack', 'fix'];

/** The lessons exercises belong to, in course order (the slugs of content/lessons/*.mdx, from src/lessons/registry.ts). */
export const LESSONS = LESSON_SLUGS;
export type { LessonSlug };

export interface ExerciseTask {
  readonly id: string;
  readonly title: Localized;
}

/** exercise.json, as written in each exercise folder. */
export interface ExerciseMeta {
  /** The folder name, `nn-slug`. */
  readonly id: string;
  /** Raised when the tests or the starter change in a way that matters to a learner's saved progress. */
  readonly version: number;
  readonly lesson: LessonSlug;
  readonly kind: ExerciseKind;
  /** How long one check may run before the runtime stops it. */
  readonly timeLimitMs: number;
  readonly title: Localized;
  readonly tasks: readonly ExerciseTask[];
}

/** One exercise with every file the panel and the CLI need, read from its folder. */
export interface Exercise extends ExerciseMeta {
  /** Absolute path of the exercise folder. */
  readonly dir: string;
  readonly starter: string;
  readonly solution: string;
  /** test_exercise.py: one set of tests for both languages. */
  readonly tests: string;
  /** Message key → text, per language. */
  readonly messages: Record<Lang, Record<string, string>>;
  /** instructions.md (Markdown) per language. */
  readonly instructions: Record<Lang, string>;
  /** Task id → hints, weakest first, per language. */
  readonly hints: Record<Lang, Record<string, readonly string[]>>;
}

/** What `check` sends to the Python runner (`flasklab_runner.check`). */
export interface CheckRequest {
  readonly learner: string;
  readonly tests: string;
  /** Already in the chosen language. */
  readonly messages: Record<string, string>;
  readonly lang: Lang;
  /** Characters of captured output kept per test. */
  readonly output_cap: number;
}

/** What `runSnippet` sends to the Python runner (`flasklab_runner.run_snippet`). */
export interface SnippetRequest {
  readonly code: string;
  readonly filename: string;
}

/** One HTTP request a test made through a Flask test client, and its response. Headers keep their order. */
export interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly request_headers: readonly (readonly [string, string])[];
  readonly status: number;
  readonly response_headers: readonly (readonly [string, string])[];
  /** The response body as text (cut after 4000 characters). */
  readonly body: string;
}

export type TestStatus = 'pass' | 'fail' | 'error';

export interface TestResult {
  /** The test function's name, e.g. `test_second_item_is_saved`. */
  readonly name: string;
  readonly status: TestStatus;
  /** Why it failed, in the request's language (expected and actual included when known); null on a pass. */
  readonly message: string | null;
  /** What the code printed during this test, capped; null when nothing. */
  readonly output: string | null;
  /** The task of exercise.json this test checks. */
  readonly task_id: string | null;
  /** The source of the test function. */
  readonly test_code: string;
  /** Python repr of the expected value, when the test compared values. */
  readonly expected?: string;
  /** Python repr of the actual value, when the test compared values. */
  readonly actual?: string;
}

/** The answer of one check, the same from the browser and the CLI. */
export interface ExerciseResult {
  readonly version: 3;
  /** error: the tests could not run at all (syntax error, crash while loading, time limit, runtime failure). */
  readonly status: 'pass' | 'fail' | 'error';
  /** Set when status is error; null otherwise. */
  readonly message: string | null;
  readonly tests: readonly TestResult[];
  /** Test name → the exchanges it made, in order. Absent or empty when the tests did not run. */
  readonly exchanges?: Readonly<Record<string, readonly Exchange[]>>;
}

/** The answer of `runSnippet`. */
export interface SnippetResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The traceback (only the snippet's own frames) when it raised; null otherwise. */
  readonly exception: string | null;
  readonly exchanges: readonly Exchange[];
}
