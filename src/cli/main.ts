// session-lab: sign, verify, decode and crack Flask session cookies from the command line.
import { UsageError, type Command } from './common.ts';

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
function usage(command: string | null, message: string): number {
  const where = command ? `session-lab ${command}` : 'session-lab';
  process.stderr.write(`${where}: ${message} (see ${where} --help)\n`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return usage(null, 'missing command');
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) return (await COMMANDS[topic]!.load()).run(['--help']);
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) return usage(null, name.startsWith('-') ? `unknown option ${name}` : `unknown command '${name}'`);
  try {
    return await (await entry.load()).run(rest);
  } catch (e) {
    if (e instanceof UsageError) return usage(name, e.message);
    throw e;
  }
}

// Output piped into a reader that stops early (`| head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`session-lab: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
