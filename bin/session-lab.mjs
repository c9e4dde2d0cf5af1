#!/usr/bin/env node
// Runs src/cli/main.ts under this same Node with TypeScript type stripping, from wherever the package is installed.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli');
// The hook is only needed when installed under node_modules; worker threads inherit these flags.
const flags = ['--experimental-strip-types', '--no-warnings', '--import', pathToFileURL(join(cli, 'strip-types-hook.mjs')).href];
const child = spawn(process.execPath, [...flags, join(cli, 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });

// Ctrl-C reaches the child through the terminal's process group; these cover a kill aimed at this process only.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exitCode = code ?? 1;
  }
});
child.on('error', (e) => {
  process.stderr.write(`session-lab: cannot start ${process.execPath}: ${e.message}\n`);
  process.exitCode = 1;
});
