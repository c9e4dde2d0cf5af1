// session-lab: sign, verify, decode and crack Flask session cookies from the command line.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { processIo, UsageError, type CliIo, type Command } from './common.ts';

/**
 * Every command: a one-line summary for `session-lab --help` and a loader, so a command's imports
 * are paid for only when it runs. Adding a command is one entry here and one file exporting `run`.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  sign: { summary: 'sign session data into a cookie value, exactly as Flask does', load: () => import('./sign.ts') },
  verify: { summary: 'check a cookie with a secret key and print its data', load: () => import('./verify.ts') },
  decode: { summary: 'show what is inside a cookie without checking it', load: () => import('./decode.ts') },
  crack: { summary: 'find the secret key of a cookie in a wordlist', load: () => import('./crack.ts') },
  serve: { summary: 'serve the demo app over HTTP on any session interface, Redis included', load: () => import('./serve.ts') },
};

const HELP = `Usage: session-lab <command> [options]

Sign, verify, decode and crack Flask session cookies. Defaults are Flask's: salt cookie-session,
key derivation hmac, digest sha1, max age 2678400 seconds (31 days).

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(8)}${c.summary}`)
  .join('\n')}

Run "session-lab <command> --help" for a command's options.
Exit status: 0 success, 1 the cookie or wordlist did not check out, 2 bad arguments.`;

/** Prints a usage error on one line of stderr and returns exit status 2. */
function usage(io: CliIo, command: string | null, message: string): number {
  const where = command ? `session-lab ${command}` : 'session-lab';
  io.stderr.write(`${where}: ${message} (see ${where} --help)\n`);
  return 2;
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return usage(io, null, 'missing command');
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) return (await COMMANDS[topic]!.load()).run(['--help'], io);
    io.stdout.write(HELP + '\n');
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) return usage(io, null, name.startsWith('-') ? `unknown option ${name}` : `unknown command '${name}'`);
  try {
    return await (await entry.load()).run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, name, e.message);
    throw e;
  }
}

/**
 * Runs `session-lab ...argv` with the given streams and returns its exit status: 0 success, 1 the cookie or
 * wordlist did not check out (or an unexpected error, printed on one line), 2 bad arguments. The process
 * entry point below passes the process's own streams; tests call this in-process with their own.
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    io.stderr.write(`session-lab: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/** Whether this module is the program Node was started with (not imported by a test). */
function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // Output piped into a reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
