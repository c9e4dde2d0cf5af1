// Runs the CLI the way `npm run cli` does: this Node, type stripping on, src/cli/main.ts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `session-lab ...args`, feeding `input` on stdin. */
export function cli(args: string[], input?: string | Uint8Array): CliResult {
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
