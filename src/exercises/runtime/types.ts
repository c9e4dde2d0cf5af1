// The request and result shapes the runtime passes through. They mirror src/exercises/types.ts (the exercise
// catalog's types); this file re-exports those once they are in the tree.
export interface CheckRequest {
  readonly learner: string;
  readonly tests: string;
  readonly messages: Record<string, string>;
  readonly lang: 'en' | 'zh-CN';
  readonly output_cap: number;
}

export interface SnippetRequest {
  readonly code: string;
  readonly filename: string;
}

export interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly request_headers: readonly (readonly [string, string])[];
  readonly status: number;
  readonly response_headers: readonly (readonly [string, string])[];
  readonly body: string;
}

export interface TestResult {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly message: string | null;
  readonly output: string | null;
  readonly task_id: string | null;
  readonly test_code: string;
}

export interface ExerciseResult {
  readonly version: 3;
  readonly status: 'pass' | 'fail' | 'error';
  readonly message: string | null;
  readonly tests: readonly TestResult[];
  readonly exchanges?: Readonly<Record<string, readonly Exchange[]>>;
}

export interface SnippetResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exception: string | null;
  readonly exchanges: readonly Exchange[];
}
