// Runs the CLI for a test. `cli` calls it in-process (src/cli/main.ts runCli) with its own stdin, stdout and
// stderr, which is how nearly every CLI test runs: no process per call. `cliProcess` starts it the way
// `npm run cli` does (this Node, type stripping on, src/cli/main.ts), for the few smoke tests that check the
// real process: exit codes, the streams, worker threads started from a file.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CliIo, TextSink } from '../../src/cli/common.ts';
import { runCli } from '../../src/cli/main.ts';

export const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it; never a terminal. */
class Capture implements TextSink {
  text = '';
  readonly isTTY = false;
  write(text: string): boolean {
    this.text += text;
    return true;
  }
}

/** Runs `session-lab ...args` in this process, feeding `input` on stdin (empty when there is none). */
export async function cli(args: string[], input?: string | Uint8Array, options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  async function* stdin(): AsyncGenerator<Uint8Array> {
    if (input !== undefined) yield typeof input === 'string' ? new TextEncoder().encode(input) : input;
  }
  const io: CliIo = { stdin: stdin(), stdout, stderr, env: options.env ?? {}, cwd: options.cwd ?? process.cwd() };
  const status = await runCli(args, io);
  return { status, stdout: stdout.text, stderr: stderr.text };
}

/** Runs `session-lab ...args` as its own process, feeding `input` on stdin. */
export function cliProcess(args: string[], input?: string | Uint8Array): CliResult {
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', MAIN, ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The lines of a stream's text, without the final empty piece. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
}
