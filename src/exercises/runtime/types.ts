// The request and result shapes the runtime passes through, from the exercise catalog's types.
export type { CheckRequest, Exchange, ExerciseResult, SnippetRequest, SnippetResult, TestResult } from '../types.ts';
